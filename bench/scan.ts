// The scan command from outside, as admins run it over history: 50,000 mixed messages (corpus texts glued in
// pairs, shuffled, with ordinary traffic) piped through `npm run --silent scan`, timed by the wall clock.
// Startup (an empty input through the same command) is measured too and subtracted for the throughput figure.
// Prints figures; never fails on time. Run: npm run bench:scan   (or npx tsx bench/scan.ts [messages])
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CORPUS, loadCorpus } from '../src/guard/evaluate.ts';
import { Rng } from '../src/guard/corpus/values.ts';
import { ordinaryTraffic } from './traffic.ts';

const COUNT = Number(process.argv[2] ?? 50_000);
const RUNS = 3;

function input(r: Rng): string {
  const corpus = loadCorpus(DEFAULT_CORPUS).map((m) => m.text);
  const messages: string[] = [];
  // Half glued corpus pairs, half ordinary traffic.
  for (let i = 0; i < COUNT / 2; i++) messages.push(`${r.pick(corpus)}\n${r.pick(corpus)}`);
  messages.push(...ordinaryTraffic(r, COUNT - messages.length));
  for (let i = messages.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [messages[i], messages[j]] = [messages[j] ?? '', messages[i] ?? ''];
  }
  return messages.map((text, i) => JSON.stringify({ id: `m${i}`, text })).join('\n') + '\n';
}

function time(file: string): number {
  const stdin = openSync(file, 'r');
  const t0 = performance.now();
  const result = spawnSync('npm', ['run', '--silent', 'scan'], { stdio: [stdin, 'ignore', 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  closeSync(stdin);
  if (result.status !== 0) throw new Error(`scan exited with ${result.status}`);
  return seconds;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-scan-'));
try {
  const data = input(new Rng(11));
  const file = join(dir, 'in.jsonl');
  const empty = join(dir, 'empty.jsonl');
  writeFileSync(file, data);
  writeFileSync(empty, '');
  const mb = Buffer.byteLength(data) / (1 << 20);
  time(empty); // the first run may build the scan bundle (scripts/setup.mjs) and warms the file cache
  const startups: number[] = [];
  const totals: number[] = [];
  // Back to back, alternating, so a busy machine weighs on both alike.
  for (let i = 0; i < RUNS; i++) {
    startups.push(time(empty));
    totals.push(time(file));
  }
  const startup = [...startups].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  const rates = totals.map((t) => mb / Math.max(0.001, t - startup)).sort((a, b) => b - a);
  console.log(`scan: ${COUNT} messages, ${mb.toFixed(1)} MB`);
  console.log(`  startup      ${startups.map((s) => s.toFixed(2)).join(' / ')} s (median ${startup.toFixed(2)} s)`);
  console.log(`  total        ${totals.map((s) => s.toFixed(2)).join(' / ')} s`);
  console.log(`  throughput   ${rates.map((r) => r.toFixed(1)).join(' / ')} MB/s startup-adjusted (best first); raw ${(mb / Math.min(...totals)).toFixed(1)} MB/s best`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
