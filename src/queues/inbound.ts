// The inbound worker: feeds queued platform events into the pipeline.
import { Worker } from 'bullmq';
import type { Logger } from '../log.ts';
import { ZodError } from 'zod';
import type { InboundPipeline } from '../pipeline/index.ts';
import { QUEUE_NAMES } from './names.ts';
import { cappedBackoff, INBOUND_BACKOFF, redisConnection } from './index.ts';

export function startInboundWorker(options: { redisUrl: string; prefix: string; pipeline: InboundPipeline; log: Logger; concurrency?: number }): Worker {
  return new Worker(
    QUEUE_NAMES.inbound,
    async (job) => {
      const events: unknown[] = Array.isArray(job.data?.events) ? job.data.events : [];
      await Promise.all(
        events.map(async (event) => {
          try {
            await options.pipeline.submit(event);
          } catch (err) {
            // An event that does not validate now never will: drop it (and say so) rather than retry the delivery.
            if (!(err instanceof ZodError)) throw err;
            options.log.warn({ jobId: job.id, fields: err.issues.map((i) => i.path.join('.')) }, 'dropped an invalid inbound event');
          }
        }),
      );
    },
    // Jobs mostly wait for their batch to commit, so many can be in flight at once.
    {
      connection: redisConnection(options.redisUrl),
      prefix: options.prefix,
      concurrency: options.concurrency ?? 64,
      settings: { backoffStrategy: (attemptsMade, type) => (type === INBOUND_BACKOFF ? cappedBackoff(attemptsMade) : 0) },
    },
  );
}
