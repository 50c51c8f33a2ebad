import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildScanIfChanged, SCAN_BUNDLE } from '../../scripts/build-scan.mjs';

// What `npm run --silent scan` runs: the bundle of scan-cli.ts, built when the sources changed.
beforeAll(() => buildScanIfChanged(), 60_000);

function scan(input: string, env: Record<string, string> = {}): Promise<{ code: number | null; lines: unknown[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCAN_BUNDLE], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
      resolve({ code, lines, stderr });
    });
    child.stdin.end(input);
  });
}

describe('scan command', () => {
  it('answers every line in order, masks every finding and survives bad lines', async () => {
    const longText = 'ordinary words '.repeat(20_000) + 'my password is Hunter2024!';
    const input = [
      JSON.stringify({ id: 'a', text: '😀 my password is Hunter2024! 验证码：４８２９１３' }),
      '',
      'this is not json',
      JSON.stringify({ id: 7, text: 'wrong id type' }),
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', text: 'nothing to see here' }),
      '   ',
      JSON.stringify({ id: 'e', text: longText }),
      JSON.stringify({ id: 'f', text: 'mail a@b.io' }) + '\r',
    ].join('\n');
    // A byte-order mark before the first line (files saved by Windows tools) is not part of it.
    const { code, lines, stderr } = await scan('\ufeff' + input + '\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // One output line per input line, blank ones included: output line n answers input line n.
    expect(lines).toHaveLength(9);
    expect(lines.splice(1, 1)).toEqual([{ id: null, error: 'empty line' }]);
    expect(lines.splice(5, 1)).toEqual([{ id: null, error: 'empty line' }]);
    expect(lines[0]).toEqual({
      id: 'a',
      findings: [
        { type: 'password', start: 18, end: 29 },
        { type: 'otp', start: 34, end: 40 },
      ],
      redacted: '😀 my password is [password removed] 验证码：[otp removed]',
    });
    expect(lines[1]).toEqual({ id: null, error: expect.any(String) });
    expect(lines[2]).toEqual({ id: null, error: expect.any(String) });
    expect(lines[3]).toEqual({ id: 'c', error: expect.any(String) });
    expect(lines[4]).toEqual({ id: 'd', findings: [], redacted: 'nothing to see here' });
    expect(lines[5]).toMatchObject({ id: 'e', findings: [{ type: 'password' }] });
    expect((lines[5] as { redacted: string }).redacted.endsWith('my password is [password removed]')).toBe(true);
    expect(lines[6]).toEqual({ id: 'f', findings: [{ type: 'email', start: 5, end: 11 }], redacted: 'mail [email removed]' });
  }, 30_000);

  it('handles an empty input', async () => {
    const { code, lines } = await scan('');
    expect(code).toBe(0);
    expect(lines).toEqual([]);
  }, 30_000);

  it('refuses a directory on standard input (`scan < folder`) instead of answering nothing', async () => {
    const folder = openSync(tmpdir(), 'r');
    try {
      const child = spawnSync(process.execPath, [SCAN_BUNDLE], { stdio: [folder, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(child.status).toBe(1);
      expect(child.stdout).toBe('');
      expect(child.stderr).toContain('standard input is a directory');
    } finally {
      closeSync(folder);
    }
  }, 30_000);

  // Default: this thread and a worker per further core (the input is long enough for workers, over 6 MiB);
  // SCAN_THREADS=1: this thread alone.
  it.each<Record<string, string>>([{}, { SCAN_THREADS: '1' }])('answers a large input (many batches) completely and in order, threads %o', async (env) => {
    const padding = ' and words'.repeat(60);
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      lines.push(JSON.stringify({ id: `m${i}`, text: i % 3 === 0 ? `my password is Hunter${i}! and some padding text to make the line longer${padding}` : `ordinary message number ${i}, nothing to see, just words and words and words${padding}` }));
    }
    const { code, lines: out, stderr } = await scan(lines.join('\n') + '\n', env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(out).toHaveLength(12_000);
    out.forEach((line, i) => {
      expect((line as { id: string }).id).toBe(`m${i}`);
      expect((line as { findings: unknown[] }).findings).toHaveLength(i % 3 === 0 ? 1 : 0);
    });
  }, 60_000);

  // More threads than cores only cost (each compiles the detectors again): 999 once took 18 GB and the machine.
  it.each(['0', '1.5', 'two', String(availableParallelism() + 1), '999'])('refuses SCAN_THREADS=%s', async (threads) => {
    const { code, lines, stderr } = await scan(JSON.stringify({ id: 'a', text: 'hello' }) + '\n', { SCAN_THREADS: threads });
    expect(code).toBe(1);
    expect(lines).toEqual([]);
    expect(stderr).toContain(`SCAN_THREADS must be a whole number from 1 to ${availableParallelism()}`);
  });

  it('stops quietly when its reader stops early (`… | head`)', async () => {
    const line = JSON.stringify({ id: 'x', text: 'ordinary message, nothing to see, just words and words and words' });
    const child = spawn(process.execPath, [SCAN_BUNDLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first answer, then go away.
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => {}); // the command may be gone before all of its input is written
    child.stdin.end(`${line}\n`.repeat(50_000));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
