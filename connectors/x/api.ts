// The one HTTP choke point of the X connector: twitter-api-v2 clients (OAuth 1.0a user context for reads, posts,
// DMs and hiding; the app Bearer for the activity stream, subscriptions and webhooks), pointed at `apiBase` when
// set, with every answer's rate-limit headers remembered per endpoint, every request counted with its estimated
// pay-per-use price, and every failure mapped to the connector error family.
import { Agent as HttpAgent } from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  TwitterApi,
  type ITwitterApiClientPlugin,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import type { UsageRecord } from '../connector.ts';
import { AuthError, ConnectorError, InvalidError, NetworkError, NotFoundError, PermissionError, RateLimitedError } from '../errors.ts';

/** Rate-limited endpoint groups, named after X's rate-limit table. */
export type XEndpointKey =
  | 'users/me'
  | 'mentions'
  | 'dm_events'
  | 'tweets:create'
  | 'tweets:delete'
  | 'tweets:hide'
  | 'dm:send'
  | 'subscriptions'
  | 'stream:connect'
  | 'webhooks'
  | 'other';

/** One metered X call (or one XAA event delivered), with what X's pay-per-use tier charges for it. */
export interface XUsageRecord extends UsageRecord {
  endpoint: XEndpointKey | `event:${string}`;
}

/** Where usage records go (the core keeps them per connector and shows them to admins). */
export type XUsageMeter = (record: XUsageRecord) => void;

/**
 * Pay-per-use prices in USD (platforms.md A2, from docs.x.com pricing, 2026). Reads are charged per resource
 * returned, once per UTC day; writes per request.
 */
export const X_PRICES_USD = {
  /** GET /2/users/:id/mentions of the authenticated account that owns the app: "owned read", per post. */
  ownedPostRead: 0.001,
  /** GET /2/dm_events, per DM event returned. */
  dmEventRead: 0.01,
  /** POST /2/tweets answering a post that summoned the account (the only replies self-serve accepts). */
  summonedReply: 0.01,
  /** POST /2/tweets, a post that answers nothing. */
  postCreate: 0.015,
  /** Any post with a URL in it. */
  postWithUrl: 0.2,
  dmSend: 0.015,
  hideReply: 0.005,
  deletePost: 0.005,
  /** XAA deliveries: post.* events (not post.delete) and dm.received; dm.sent is free. */
  postEvent: 0.005,
  dmReceivedEvent: 0.01,
} as const;

/** The endpoint group of a v2 request. */
export function endpointOf(method: string, pathname: string): XEndpointKey {
  const m = method.toUpperCase();
  if (pathname === '/2/users/me') return 'users/me';
  if (/^\/2\/users\/[^/]+\/mentions$/.test(pathname)) return 'mentions';
  if (pathname === '/2/dm_events') return 'dm_events';
  if (pathname === '/2/tweets' && m === 'POST') return 'tweets:create';
  if (/^\/2\/tweets\/[^/]+\/hidden$/.test(pathname)) return 'tweets:hide';
  if (/^\/2\/tweets\/[^/]+$/.test(pathname) && m === 'DELETE') return 'tweets:delete';
  if (/^\/2\/dm_conversations\/with\/[^/]+\/messages$/.test(pathname)) return 'dm:send';
  if (pathname === '/2/activity/stream') return 'stream:connect';
  if (pathname.startsWith('/2/activity/subscriptions')) return 'subscriptions';
  if (pathname.startsWith('/2/webhooks')) return 'webhooks';
  return 'other';
}

const URL_IN_TEXT = /https?:\/\/\S/i;

/** Reads are billed once per resource per UTC day; this remembers which ids were billed today (bounded). */
class DailyReads {
  private day = '';
  private readonly ids = new Set<string>();
  /** How many of `ids` were not yet billed today. */
  fresh(ids: string[]): number {
    const today = new Date().toISOString().slice(0, 10);
    if (today !== this.day || this.ids.size > 200_000) {
      this.day = today;
      this.ids.clear();
    }
    let n = 0;
    for (const id of ids) {
      if (this.ids.has(id)) continue;
      this.ids.add(id);
      n += 1;
    }
    return n;
  }
}

/** What the last answer of an endpoint said about its window. */
export interface XWindow {
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

export interface XApiOptions {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  bearerToken?: string;
  /** Replaces the origin https://api.x.com; paths stay /2/... */
  apiBase?: string;
  meter?: XUsageMeter;
  /** Per-request timeout. twitter-api-v2 sets none by default, and a hung request would hold a poll forever. */
  timeoutMs?: number;
}

export class XApi {
  /** OAuth 1.0a user context: the connected account. */
  readonly user: TwitterApi;
  /** The app's Bearer token (streams, subscriptions, webhooks); absent when not configured. */
  readonly app: TwitterApi | null;
  /** Per endpoint group, the window X reported last. */
  readonly windows = new Map<XEndpointKey, XWindow>();
  private readonly reads = new DailyReads();

  constructor(private readonly options: XApiOptions) {
    const plugins = [this.plugin()];
    const settings = { plugins, ...(options.apiBase?.startsWith('http:') ? { httpAgent: new HttpAgent({ keepAlive: true }) } : {}) };
    this.user = new TwitterApi({ appKey: options.appKey, appSecret: options.appSecret, accessToken: options.accessToken, accessSecret: options.accessSecret }, settings);
    this.app = options.bearerToken ? new TwitterApi(options.bearerToken, settings) : null;
  }

  /** Records a request the plugin cannot see (the stream connect) or an event delivered to us. */
  meter(record: XUsageRecord): void {
    this.options.meter?.(record);
  }

  /** The app client, or an error an admin can act on. */
  requireApp(what: string): TwitterApi {
    if (!this.app) throw new InvalidError(`${what} needs the app's Bearer token: add it to the connector's credentials.`);
    return this.app;
  }

  /** How long until `endpoint` may be called without a known refusal (0 when it may be called now). */
  waitMs(endpoint: XEndpointKey, now = Date.now()): number {
    const w = this.windows.get(endpoint);
    if (!w || w.remaining > 0 || now >= w.resetAt) return 0;
    return w.resetAt - now;
  }

  private remember(endpoint: XEndpointKey, rateLimit: TwitterRateLimit | undefined): void {
    if (!rateLimit || !Number.isFinite(rateLimit.reset)) return;
    this.windows.set(endpoint, { remaining: rateLimit.remaining, resetAt: rateLimit.reset * 1000 });
  }

  private price(endpoint: XEndpointKey, body: unknown, data: unknown): number {
    const items = (data as { data?: unknown } | undefined)?.data;
    const ids = Array.isArray(items) ? items.map((i: { id?: string }) => String(i?.id)) : [];
    switch (endpoint) {
      case 'mentions':
        return this.reads.fresh(ids.map((id) => `p${id}`)) * X_PRICES_USD.ownedPostRead;
      case 'dm_events':
        return this.reads.fresh(ids.map((id) => `d${id}`)) * X_PRICES_USD.dmEventRead;
      case 'tweets:create': {
        const b = body as { text?: string; reply?: unknown } | undefined;
        if (URL_IN_TEXT.test(b?.text ?? '')) return X_PRICES_USD.postWithUrl;
        return b?.reply ? X_PRICES_USD.summonedReply : X_PRICES_USD.postCreate;
      }
      case 'dm:send':
        return X_PRICES_USD.dmSend;
      case 'tweets:hide':
        return X_PRICES_USD.hideReply;
      case 'tweets:delete':
        return X_PRICES_USD.deletePost;
      default:
        return 0;
    }
  }

  private plugin(): ITwitterApiClientPlugin {
    const base = this.options.apiBase?.replace(/\/$/, '');
    const timeout = this.options.timeoutMs ?? 15_000;
    const rewrite = ({ params }: { params: { url: string; timeout?: number } }) => {
      if (base) params.url = params.url.replace(/^https:\/\/(api|upload)\.(x|twitter)\.com/, base);
    };
    return {
      onBeforeRequestConfig: (args) => {
        rewrite(args);
        args.params.timeout ??= timeout;
      },
      onBeforeStreamRequestConfig: rewrite,
      onAfterRequest: ({ computedParams, params, response }) => {
        const endpoint = endpointOf(computedParams.method, computedParams.url.pathname);
        this.remember(endpoint, response.rateLimit);
        this.meter({ endpoint, requests: 1, costUsd: this.price(endpoint, params.body, response.data) });
      },
      onResponseError: ({ computedParams, error }) => {
        const endpoint = endpointOf(computedParams.method, computedParams.url.pathname);
        this.remember(endpoint, error.rateLimit);
        // Refused requests are not billed; they still count against the window and show in the request counts.
        this.meter({ endpoint, requests: 1, costUsd: 0 });
      },
      onRequestError: ({ computedParams }) => {
        this.meter({ endpoint: endpointOf(computedParams.method, computedParams.url.pathname), requests: 1, costUsd: 0 });
      },
    };
  }
}

/** X's human-readable reason from a problem-JSON body. */
export function xReason(err: ApiResponseError): string {
  const data = err.data as { detail?: string; title?: string; errors?: Array<{ message?: string; detail?: string }> } | string | undefined;
  if (typeof data === 'string') return data.slice(0, 300) || `HTTP ${err.code}`;
  const first = data?.errors?.[0];
  return data?.detail && data.detail !== 'One or more parameters to your request was invalid.' ? data.detail : (first?.message ?? first?.detail ?? data?.title ?? `HTTP ${err.code}`);
}

/**
 * The one place X failures become ConnectorErrors. `write` says whether the request changes something on X:
 * then a 5xx or a connection cut after sending means it may have been carried out (X has no idempotency key).
 */
export function toConnectorError(err: unknown, write = false): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof ApiResponseError) {
    const reason = xReason(err);
    if (err.code === 401) return new AuthError(`X rejected the credentials (401): ${reason}. Check the API key and secret and the access token and secret.`);
    if (err.code === 429) {
      const reset = err.rateLimit?.reset ? err.rateLimit.reset * 1000 - Date.now() : 60_000;
      return new RateLimitedError(Math.max(1_000, reset), `X rate limit (429): ${reason}`);
    }
    if (err.code === 403) return new PermissionError(`X refused (403): ${reason}`);
    if (err.code === 404) return new NotFoundError(`X answered 404: ${reason}`);
    if (err.code >= 500) return new NetworkError(`X answered ${err.code}: ${reason}`, write);
    return new InvalidError(`X answered ${err.code}: ${reason}`);
  }
  if (err instanceof ApiPartialResponseError) return new NetworkError(`X cut the answer short: ${err.message}`, write);
  if (err instanceof ApiRequestError) {
    const code = (err.requestError as { code?: string } | undefined)?.code;
    const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
    return new NetworkError(`X unreachable: ${code ?? err.requestError?.message ?? err.message}`, write && !neverSent);
  }
  const e = err as { message?: string };
  return new NetworkError(`X call failed: ${e?.message ?? String(err)}`, write);
}
