// The one error family connectors report. Workers decide retries from the kind alone:
// RateLimited waits retryAfterMs, Network retries with backoff, the rest fail at once.

/** Every kind, for code that names them all (the reasons a reply or a guard action gives, translated by clients). */
export const CONNECTOR_ERROR_KINDS = ['rate_limited', 'auth', 'permission', 'not_found', 'invalid', 'network'] as const;
export type ConnectorErrorKind = (typeof CONNECTOR_ERROR_KINDS)[number];

export abstract class ConnectorError extends Error {
  abstract readonly kind: ConnectorErrorKind;
  /** Whether repeating the same call later may succeed. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'network';
  }
}

export class RateLimitedError extends ConnectorError {
  readonly kind = 'rate_limited';
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}
export class AuthError extends ConnectorError {
  readonly kind = 'auth';
}
export class PermissionError extends ConnectorError {
  readonly kind = 'permission';
}
export class NotFoundError extends ConnectorError {
  readonly kind = 'not_found';
}
export class InvalidError extends ConnectorError {
  readonly kind = 'invalid';
}
/** Timeouts, resets, 5xx: the platform may answer next time. */
export class NetworkError extends ConnectorError {
  readonly kind = 'network';
  constructor(
    message: string,
    /**
     * True when the request may have reached the platform and been carried out although no answer came back
     * (connection reset after sending). Repeating a non-idempotent send could then post it twice.
     */
    readonly maybeDelivered = false,
  ) {
    super(message);
  }
}
