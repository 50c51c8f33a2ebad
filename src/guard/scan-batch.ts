// One batch of the scan command (see scan-cli.ts): JSON Lines in, JSON Lines out. Shared by the command's main
// thread and its worker thread, so both answer a line identically.
import { detect } from './index.ts';
import { maskText } from './mask.ts';

type Output =
  | { id: string; findings: { type: string; start: number; end: number }[]; redacted: string }
  | { id: string | null; error: string };

/** Answers one input line (see /work/shared/api.md, `npm run --silent scan`). Never throws. */
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

/**
 * Answers a run of whole input lines (separated by "\n", a trailing "\r" ignored): one output line per input line,
 * each ending in "\n". A blank line is a bad line like any other, so output line n always answers input line n.
 */
export function scanBatch(lines: string): string {
  let out = '';
  let from = 0;
  while (from <= lines.length) {
    let to = lines.indexOf('\n', from);
    if (to < 0) to = lines.length;
    const line = lines.slice(from, to);
    from = to + 1;
    out += JSON.stringify(line.trim() === '' ? { id: null, error: 'empty line' } : scanLine(line)) + '\n';
  }
  return out;
}
