// The inbound worker: feeds queued platform events into the pipeline.
import { UnrecoverableError, Worker } from 'bullmq';
import { ZodError } from 'zod';
import type { InboundPipeline } from '../pipeline/index.ts';
import { QUEUE_NAMES } from './names.ts';
import { redisConnection } from './index.ts';

export function startInboundWorker(options: { redisUrl: string; prefix: string; pipeline: InboundPipeline; concurrency?: number }): Worker {
  return new Worker(
    QUEUE_NAMES.inbound,
    async (job) => {
      try {
        await options.pipeline.submit(job.data);
      } catch (err) {
        // A payload that does not validate now never will: fail it for good instead of retrying.
        if (err instanceof ZodError) throw new UnrecoverableError(`invalid inbound event: ${err.issues.map((i) => i.path.join('.')).join(', ')}`);
        throw err;
      }
    },
    // High concurrency is cheap here: jobs only wait for their batch to commit.
    { connection: redisConnection(options.redisUrl), prefix: options.prefix, concurrency: options.concurrency ?? 256 },
  );
}
