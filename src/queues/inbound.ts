// The inbound worker: feeds queued platform events into the pipeline.
import { UnrecoverableError, Worker } from 'bullmq';
import type { SecretBox } from '../db/cipher.ts';
import type { Logger } from '../log.ts';
import { ZodError } from 'zod';
import type { InboundPipeline } from '../pipeline/index.ts';
import { QUEUE_NAMES } from './names.ts';
import { cappedBackoff, CAPPED_BACKOFF, openInbound, workerOptions } from './index.ts';

/**
 * The inbound worker: opens each sealed delivery and submits its events to the pipeline. An event that does
 * not validate is dropped (and logged by field name); anything else failing retries the whole delivery.
 */
export function startInboundWorker(options: {
  redisUrl: string;
  prefix: string;
  pipeline: InboundPipeline;
  /** Opens sealed payloads (queues/index.ts). */
  payloads: SecretBox;
  log: Logger;
  concurrency?: number;
}): Worker {
  return new Worker(
    QUEUE_NAMES.inbound,
    async (job) => {
      let events: unknown[];
      try {
        events = openInbound(job.data, options.payloads);
      } catch (err) {
        // Sealed with another APP_SECRET: no retry can open it. It stays (still sealed) in the failed set.
        throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      }
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
      ...workerOptions(options.redisUrl, options.prefix),
      concurrency: options.concurrency ?? 64,
      settings: { backoffStrategy: (attemptsMade, type) => (type === CAPPED_BACKOFF ? cappedBackoff(attemptsMade) : 0) },
    },
  );
}
