// The HTTP client: JSON in and out, the session cookie (httpOnly, never seen by this code) sent same-origin,
// and the API's one error shape `{"error": {code, message, fields?, details?}}` turned into an ApiError.
import { i18n } from '../i18n/index.ts';

/** A failed API call: HTTP status (0 when the server was unreachable), the API's code and sentence. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field path → message, from a 400's `error.fields`. */
  readonly fields: Record<string, unknown>;
  /** Seconds to wait before trying again, from a Retry-After header given in seconds (429, 503). */
  readonly retryAfterSec: number | undefined;
  /** The specifics of the message as data, from `error.details` (a connector's name, a limit, kinds of secret). */
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, fields?: Record<string, unknown>, retryAfterSec?: number, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.retryAfterSec = retryAfterSec;
    this.details = details ?? {};
  }
}

let onUnauthorized: (error: ApiError) => void = () => {};
/** Called when a request (other than the session calls) gets a 401: the session expired or was revoked. */
export function setUnauthorizedHandler(fn: (error: ApiError) => void): void {
  onUnauthorized = fn;
}

let onSetupRequired: () => void = () => {};
/** Called on 403 `two_factor_setup_required`: an admin made two-factor sign-in mandatory. */
export function setSetupRequiredHandler(fn: () => void): void {
  onSetupRequired = fn;
}

export interface RequestOptions {
  /** Do not report a 401 to the unauthorized handler (session calls). */
  quiet401?: boolean;
}

/** One API call. Resolves to the parsed JSON (undefined for 204); rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  if (res.status === 204) return undefined as T;
  if (!res.ok) {
    const error = await apiErrorOf(res);
    if (res.status === 401 && !options.quiet401) onUnauthorized(error);
    if (res.status === 403 && error.code === 'two_factor_setup_required') onSetupRequired();
    throw error;
  }
  return (await jsonOf(res)) as T;
}

/** The body as JSON; undefined when empty or not JSON. */
async function jsonOf(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The ApiError a failed response stands for: its `{"error": …}` body, Retry-After, or its status alone. */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  const data = await jsonOf(res);
  const e = data && typeof data === 'object' && data.error ? data.error : {};
  const retryAfter = /^\d+$/.test(res.headers.get('retry-after') ?? '') ? Number(res.headers.get('retry-after')) : undefined;
  return new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? i18n.t('errors.http', { status: res.status, text: res.statusText }), e.fields, retryAfter, e.details);
}

/** `?a=1&b=2` from the defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
