// `npm run --silent scan`: JSON Lines in, JSON Lines out (see /work/shared/api.md).
// Input  {"id": string, "text": string} per line; blank lines are skipped.
// Output {"id", "findings": [{"type","start","end"}], "redacted"} per input line, in order, with every finding
// masked; a bad line yields {"id", "error"} (id null when it cannot be read) and the run goes on.
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { detect } from './index.ts';
import { maskText } from './mask.ts';

type Output =
  | { id: string; findings: { type: string; start: number; end: number }[]; redacted: string }
  | { id: string | null; error: string };

export function scanLine(line: string): Output {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { id: null, error: 'invalid JSON' };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { id: null, error: 'expected a JSON object {"id": string, "text": string}' };
  }
  const { id, text } = input as { id?: unknown; text?: unknown };
  if (typeof id !== 'string') return { id: null, error: '"id" must be a string' };
  if (typeof text !== 'string') return { id, error: '"text" must be a string' };
  try {
    const findings = detect(text);
    return { id, findings, redacted: maskText(text, findings, () => true).text };
  } catch (err) {
    // A detector bug must not end the run nor lose the line's place in the output.
    return { id, error: `internal error: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function main(): Promise<void> {
  // A reader that stops early (`… | head`) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (!process.stdout.write(JSON.stringify(scanLine(line)) + '\n')) await once(process.stdout, 'drain');
  }
}

// Run only as a command, so tests can import scanLine without reading stdin.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().catch((err: unknown) => {
  process.stderr.write(`scan failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
