// Worker thread of the scan command: answers the batches the main thread posts, tagged with their sequence
// number so the main thread writes them in input order.
import { parentPort } from 'node:worker_threads';
import { scanBatch } from './scan-batch.ts';

parentPort?.on('message', ({ seq, lines }: { seq: number; lines: string }) => {
  parentPort?.postMessage({ seq, out: scanBatch(lines) });
});
