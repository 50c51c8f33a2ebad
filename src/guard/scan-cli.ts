// `npm run --silent scan`: JSON Lines in, JSON Lines out (see /work/shared/api.md).
// Input  {"id": string, "text": string} per line; blank lines are skipped.
// Output {"id", "findings": [{"type","start","end"}], "redacted"} per input line, in order, with every finding
// masked; a bad line yields {"id", "error"} (id null when it cannot be read) and the run goes on.
//
// Built for whole histories: stdin is read in large chunks and cut into batches of whole lines (readline costs
// a callback and a string per line); the batches are answered by this thread and by worker threads (one per
// further core) as each becomes free, and written back in input order, one large write per batch. A small
// input never waits for a worker: workers start only once a second batch is waiting.
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { scanBatch } from './scan-batch.ts';

export { scanLine } from './scan-batch.ts';

/** Bytes of input per batch: large enough that a batch's overheads vanish, small enough to spread the work. */
const BATCH_CHARS = 256 * 1024;

async function main(): Promise<void> {
  // A reader that stops early (`… | head`) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  const pending: { seq: number; lines: string }[] = [];
  const done = new Map<number, string>();
  const workers: { worker: Worker; inFlight: number }[] = [];
  let nextSeq = 0;
  let nextToWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  const flush = () => {
    let out = '';
    while (done.has(nextToWrite)) {
      out += done.get(nextToWrite);
      done.delete(nextToWrite++);
    }
    if (!out) return;
    writing = writing.then(async () => {
      if (!process.stdout.write(out)) await once(process.stdout, 'drain');
    });
  };
  // Each worker holds up to two batches, so it never waits for this thread to finish one of its own.
  const dispatch = () => {
    for (const w of workers) {
      while (w.inFlight < 2) {
        const batch = pending.shift();
        if (!batch) return;
        w.inFlight++;
        w.worker.postMessage(batch);
      }
    }
  };
  const startWorkers = () => {
    const extra = Math.max(1, Math.min(3, availableParallelism() - 1));
    for (let i = 0; i < extra; i++) {
      const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { execArgv: process.execArgv });
      const entry = { worker, inFlight: 0 };
      worker.on('message', ({ seq, out }: { seq: number; out: string }) => {
        entry.inFlight--;
        done.set(seq, out);
        flush();
        dispatch();
      });
      worker.on('error', (err) => {
        failure ??= err;
      });
      workers.push(entry);
    }
  };
  /** This thread answers a batch itself when no worker could take it. */
  const work = () => {
    dispatch();
    const batch = pending.shift();
    if (!batch) return;
    done.set(batch.seq, scanBatch(batch.lines));
    flush();
  };

  let carry = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin as AsyncIterable<string>) {
    carry += chunk;
    if (carry.length < BATCH_CHARS) continue;
    const cut = carry.lastIndexOf('\n');
    if (cut < 0) continue; // one very long line: keep reading until it ends
    pending.push({ seq: nextSeq++, lines: carry.slice(0, cut) });
    carry = carry.slice(cut + 1);
    if (!workers.length && pending.length > 1) startWorkers();
    work();
    if (failure) throw failure;
  }
  if (carry) pending.push({ seq: nextSeq++, lines: carry });
  while (pending.length) work();
  // Wait for the workers' last batches, then for the writes.
  while (nextToWrite < nextSeq) {
    if (failure) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await writing;
  await Promise.all(workers.map((w) => w.worker.terminate()));
}

// Run only as a command, so tests can import scanLine without reading stdin.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().catch((err: unknown) => {
  process.stderr.write(`scan failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
