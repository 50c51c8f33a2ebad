// Waiting between attempts, shared by every receive loop (connectors and the supervisor that restarts them).
import { RateLimitedError, type ConnectorError } from './errors.ts';

/** Resolves after `ms`, or at once when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * How long to wait after the `failures`-th failure in a row: exactly what a rate limit asks for, otherwise
 * exponential from `baseMs`, capped at `maxMs`.
 */
export function retryDelayMs(error: ConnectorError | null, failures: number, { baseMs = 500, maxMs = 30_000 } = {}): number {
  if (error instanceof RateLimitedError) return error.retryAfterMs;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures, 6));
}
