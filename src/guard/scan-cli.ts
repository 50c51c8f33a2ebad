// `npm run --silent scan`: JSON Lines in, JSON Lines out (see /work/shared/api.md).
// Input  {"id": string, "text": string} per line (a byte-order mark before the first is ignored).
// Output {"id", "findings": [{"type","start","end"}], "redacted"} per input line, in order, with every finding
// masked; a bad line yields {"id", "error"} (id null when it cannot be read) and the run goes on.
//
// Built for whole histories: stdin is cut into batches of whole lines, answered by this thread and by worker
// threads (one per further core, or SCAN_THREADS threads in all) as each becomes free, and written back in input
// order, one write per batch. A file on stdin is read 1 MiB at a time: at process.stdin's 64 KiB, one read per turn
// of this thread, reading fell behind detecting and this thread often waited for input.
// The workers start only for a long input (see WORKERS_FROM), before this thread loads the guard (its word lists
// and detectors take about 0.05 s to load): a long input has every core detecting within about 0.15 s. The command
// runs as the plain JavaScript that scripts/build-scan.mjs makes of this file
// (`npm run --silent scan` builds it when the sources changed): this file, which is also the workers' code
// (isMainThread tells the two roles apart), and the guard in a file of its own.
import { createReadStream, fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

/** The guard's batch answerer, loaded on demand (see the header). */
const loadGuard = async () => (await import('./scan-batch.ts')).scanBatch;

/** Characters of input per batch: large enough that a batch's overheads vanish, small enough to spread the work. */
const BATCH_CHARS = 64 * 1024;
/**
 * Batches a worker holds at once, so that it never waits while this thread answers a batch of its own (it hands
 * out work only between two of its batches).
 */
const PER_WORKER = 4;
/**
 * Batches read but not yet written, at most (8 Mi characters, more than WORKERS_FROM): reading pauses beyond this,
 * so memory stays bounded.
 */
const AHEAD = (8 << 20) / BATCH_CHARS;
/**
 * Input that pays for the workers, at least: a file of this many bytes, or this many characters read from a pipe.
 * Each worker compiles the detectors anew (about 0.7 s of CPU): on 2 cores, this thread alone finished as soon as
 * with a worker up to about 7 MB of the bench's mix (wall, alone against with a worker, medians of 5: 3 MB 0.74 s against 0.99 s,
 * 5.5 MB 1.18 s against 1.22 s, 7 MB 1.41 s against 1.38 s, 8.9 MB 1.73 s against 1.56 s).
 */
const WORKERS_FROM = 6 << 20;
/** Bytes per read when stdin is a file. */
const READ_BYTES = 1 << 20;

/** A run of whole input lines and its place in the input. */
type Batch = { seq: number; lines: string };

/**
 * Threads answering batches, this one included: SCAN_THREADS when set (a whole number from 1 to the number of
 * cores; 1 keeps the scan on one core, e.g. beside a busy inbox), else one per core, at most 4. A worker costs about
 * 0.7 s of CPU and tens of MB to start and warm up (V8 compiles the detectors again in each thread): on 2 cores it
 * pays from about 7 MB of input, and starts from WORKERS_FROM; a shorter one is scanned by this thread alone.
 * Detection is CPU-bound, so threads beyond the cores only cost, and are refused.
 */
function threads(): number {
  const setting = process.env.SCAN_THREADS;
  const cores = availableParallelism();
  if (!setting) return Math.min(4, cores);
  const count = Number(setting);
  if (!Number.isInteger(count) || count < 1 || count > cores) {
    fail(new Error(`SCAN_THREADS must be a whole number from 1 to ${cores} (this machine's cores), not "${setting}"`));
  }
  return count;
}

function main(): void {
  const extraThreads = threads() - 1;
  // A reader that stops early (`… | head`) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    fail(err);
  });

  const pending: Batch[] = []; // read, not yet answered nor handed to a worker
  const answered = new Map<number, string>(); // answered, waiting for an earlier batch to be written
  const workers: { worker: Worker; holding: number }[] = [];
  let read = 0; // batches cut so far
  let readChars = 0; // characters cut into batches so far
  let written = 0; // batches written so far
  let ended = false;
  let carry = ''; // the input read but not yet cut into batches
  let pieces: string[] = []; // chunks read after carry that hold no newline: a long line, joined once it ends
  let working = false; // a turn of this thread's own work is scheduled
  let scanBatch: ((lines: string) => string) | undefined; // the guard, once loaded

  const write = () => {
    for (let out = answered.get(written); out !== undefined; out = answered.get(written)) {
      answered.delete(written++);
      process.stdout.write(out);
    }
    // Finished: let the process exit without waiting for idle workers.
    if (ended && written === read) for (const w of workers) w.worker.unref();
  };
  const schedule = () => {
    // Once the input has ended, a worker holds no more than is left here: all threads finish at about the same time.
    for (const w of workers) {
      for (; w.holding < PER_WORKER && pending.length > (ended ? w.holding : 0); w.holding++) {
        w.worker.postMessage(pending.shift());
      }
    }
    if (!working && pending.length && scanBatch) {
      working = true;
      setImmediate(work);
    }
    if (read - written >= AHEAD || process.stdout.writableNeedDrain) input.pause();
    else if (!ended) input.resume();
  };
  /** This thread answers one batch no worker could take, then lets input and the workers' answers in. */
  const work = () => {
    working = false;
    const batch = pending.shift();
    if (!batch || !scanBatch) return;
    answered.set(batch.seq, scanBatch(batch.lines));
    write();
    schedule();
  };
  const startWorkers = () => {
    for (let i = 0; i < extraThreads; i++) {
      const worker = new Worker(new URL(import.meta.url));
      const entry = { worker, holding: 0 };
      worker.on('message', ({ seq, out }: { seq: number; out: string }) => {
        entry.holding--;
        answered.set(seq, out);
        write();
        schedule();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
      workers.push(entry);
    }
  };
  /** Loads the guard in this thread, with the first batch (a file long enough for workers has just started them). */
  const loadHere = () => {
    loadGuard().then((loaded) => {
      scanBatch = loaded;
      schedule();
    }, fail);
  };
  const cut = (lines: string) => {
    pending.push({ seq: read++, lines });
    readChars += lines.length + 1;
    if (!workers.length && Math.max(readChars, fileBytes) >= WORKERS_FROM) startWorkers();
    if (read === 1) loadHere();
  };

  const stdin = fstatSync(0);
  // `scan < some-folder`: Node reads a directory on stdin as an empty input; say so rather than answer nothing.
  if (stdin.isDirectory()) fail(new Error('standard input is a directory; give it a JSON Lines file (scan < history.jsonl)'));
  const fileBytes = stdin.isFile() ? stdin.size : 0;
  const input: Readable = stdin.isFile()
    ? createReadStream('', { fd: 0, autoClose: false, highWaterMark: READ_BYTES })
    : process.stdin;
  process.stdout.on('drain', schedule);
  input.on('error', fail);
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    // A file saved with a byte-order mark (Windows editors, PowerShell) starts with U+FEFF: not part of line 1.
    if (read === 0 && carry === '' && !pieces.length && chunk.startsWith('\ufeff')) chunk = chunk.slice(1);
    // Appending every chunk of a line of many MB to it and searching it again took time growing with its square.
    if (!chunk.includes('\n')) {
      if (chunk) pieces.push(chunk);
      return;
    }
    carry += pieces.join('') + chunk;
    pieces = [];
    // Batches of whole lines, each ending at the last newline within BATCH_CHARS (a longer line: at its end).
    let from = 0;
    while (carry.length - from >= BATCH_CHARS) {
      let end = carry.lastIndexOf('\n', from + BATCH_CHARS);
      if (end < from) end = carry.indexOf('\n', from + BATCH_CHARS);
      if (end < 0) break; // one very long line: keep reading until it ends
      cut(carry.slice(from, end));
      from = end + 1;
    }
    if (from === 0) return;
    carry = carry.slice(from);
    schedule();
  });
  input.on('end', () => {
    ended = true;
    carry += pieces.join('');
    // The newline ending the last line ends it; it does not start another one.
    if (carry) cut(carry.endsWith('\n') ? carry.slice(0, -1) : carry);
    else if (!read) loadHere(); // an empty input costs what any input costs to start
    schedule();
    write();
  });
}

function fail(err: unknown): never {
  process.stderr.write(`scan failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

/** A worker thread: answers the batches the main thread posts, tagged with their place for in-order output. */
async function serve(): Promise<void> {
  const scanBatch = await loadGuard();
  parentPort?.on('message', ({ seq, lines }: Batch) => {
    parentPort?.postMessage({ seq, out: scanBatch(lines) });
  });
}

if (isMainThread) main();
else serve().catch(fail);
