// The one retry policy of the inbox: how long to wait after a failure, and waiting itself. Used by the
// connector runtime (restarting a receive loop) and by the queues (BullMQ backoff of inbound jobs), so every
// retry in the system grows and caps the same way.
import { RateLimitedError } from '../../connectors/errors.ts';

export interface BackoffOptions {
  /** Delay after the first failure, in ms. */
  baseMs?: number;
  /** The longest delay, in ms. */
  maxMs?: number;
}

/**
 * How long to wait (ms) after the `failures`-th failure in a row (1 = the first): exactly what a rate limit
 * asks for, otherwise exponential from `baseMs` (doubling), capped at `maxMs`, with ±20 % jitter so that many
 * processes retrying one platform or one database do not do it in lockstep.
 */
export function backoffDelayMs(error: unknown, failures: number, { baseMs = 500, maxMs = 30_000 }: BackoffOptions = {}): number {
  if (error instanceof RateLimitedError) return error.retryAfterMs;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
