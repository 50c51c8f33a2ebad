// The X Activity API (XAA, platforms.md A2) for one connected account: the connector's own subscriptions
// (created, kept in line with its mode, cleaned up), the persistent stream with X's reconnect policy and
// backfill, and the V2 webhook's CRC and signature checks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ETwitterStreamEvent, type TweetStream } from 'twitter-api-v2';
import { ConnectorError, RateLimitedError } from '../errors.ts';
import { toConnectorError, X_PRICES_USD, type XApi } from './api.ts';
import { pause } from './polling.ts';
import { XActivityEnvelopeSchema, type XActivityEnvelope } from './normalize.ts';

/** The tag on every subscription this connector owns, so it can tell them from other apps' and connectors'. */
export const subscriptionTag = (connectorId: string) => `inbox:${connectorId}`;

interface Subscription {
  subscription_id: string;
  event_type: string;
  filter?: { user_id?: string };
  tag?: string;
  webhook_id?: string;
}

/** Subscriptions come back in three shapes (spec, quickstart flat, quickstart list): accept all three. */
function subscriptionsIn(body: unknown): Subscription[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  const list = Array.isArray(data) ? data : data ? [data] : [];
  return list.map((d) => ((d as { subscription?: Subscription }).subscription ?? d) as Subscription).filter((s) => s?.subscription_id);
}

/**
 * Makes the account's subscriptions exactly `eventTypes` for `userId`, delivered to `webhookId` (or only to the
 * stream): creates what is missing with the account's own token (X requires the monitored user's authorization
 * for private events) and deletes this connector's stale ones with the app Bearer. With no event types it
 * removes them all (back to polling). Safe to repeat.
 */
export async function syncSubscriptions(api: XApi, opts: { connectorId: string; userId: string; eventTypes: readonly string[]; webhookId?: string }): Promise<void> {
  const app = api.requireApp('Real-time delivery (stream or webhook mode)');
  const tag = subscriptionTag(opts.connectorId);
  try {
    const ours: Subscription[] = [];
    let token: string | undefined;
    do {
      const page = await app.v2.get('activity/subscriptions', { max_results: 1000, ...(token ? { pagination_token: token } : {}) });
      ours.push(...subscriptionsIn(page).filter((s) => s.tag === tag));
      token = (page as { meta?: { next_token?: string } }).meta?.next_token;
    } while (token);
    const wanted = new Set(opts.eventTypes);
    const keep = new Set<string>();
    const stale: string[] = [];
    for (const s of ours) {
      const fits = wanted.has(s.event_type) && s.filter?.user_id === opts.userId && (s.webhook_id ?? undefined) === opts.webhookId && !keep.has(s.event_type);
      if (fits) keep.add(s.event_type);
      else stale.push(s.subscription_id);
    }
    for (let i = 0; i < stale.length; i += 100) await app.v2.delete('activity/subscriptions', { ids: stale.slice(i, i + 100).join(',') });
    for (const eventType of opts.eventTypes) {
      if (keep.has(eventType)) continue;
      await api.user.v2.post('activity/subscriptions', { event_type: eventType, filter: { user_id: opts.userId }, tag, ...(opts.webhookId ? { webhook_id: opts.webhookId } : {}) });
    }
  } catch (err) {
    throw toConnectorError(err);
  }
}

/** Whether an envelope belongs to this connector: its account, and its tag when X sent one. */
export function isOurs(envelope: XActivityEnvelope, connectorId: string, userId: string): boolean {
  const d = envelope.data;
  if (d.filter?.user_id && d.filter.user_id !== userId) return false;
  return !d.tag || d.tag === subscriptionTag(connectorId);
}

/** What X charges for delivering an event (A2 prices): post.* $0.005, dm.received $0.010, the rest free. */
export function eventPriceUsd(eventType: string): number {
  if (eventType === 'dm.received') return X_PRICES_USD.dmReceivedEvent;
  if (eventType.startsWith('post.') && eventType !== 'post.delete') return X_PRICES_USD.postEvent;
  return 0;
}

/** Remembers recent event_uuids: X warns duplicates happen, and every reconnect backfills five minutes. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 10_000) {}
  /** True the first time `id` is seen. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

class DeliveryFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('handing events over failed');
  }
}

export interface StreamCallbacks {
  /**
   * Called for each new event of this connector, in stream order; resolves once the event is stored. The
   * stream does not wait for it before reading on; a rejection ends listening.
   */
  onEvent(envelope: XActivityEnvelope): Promise<void>;
  connected(): void;
  reconnecting(reason: string): void;
}

/**
 * X's reconnect policy for streams (platforms.md A2, from docs.x.com "handling disconnections"): after a network
 * error retry at once, then back off linearly by 250 ms up to 16 s; after an HTTP error back off exponentially
 * from 5 s up to 320 s; after a 429 start at 1 min and double.
 */
export function streamRetryDelayMs(error: ConnectorError, attempt: number): number {
  if (error instanceof RateLimitedError || /429/.test(error.message)) return Math.min(60_000 * 2 ** (attempt - 1), 600_000);
  if (error.kind === 'network' && !/answered \d{3}/.test(error.message)) return Math.min(250 * (attempt - 1), 16_000);
  return Math.min(5_000 * 2 ** (attempt - 1), 320_000);
}

/**
 * Holds `GET /2/activity/stream?backfill_minutes=5` open until `signal` aborts, reconnecting by X's policy.
 * Every connection asks for five minutes of backfill, so a drop loses nothing shorter than that; repeats are
 * dropped on event_uuid. Rejects only with an error no reconnect can fix (rejected credentials).
 */
export async function runActivityStream(
  api: XApi,
  opts: { connectorId: string; userId: () => string; keepAliveTimeoutMs: number; retryDelayMs?: (error: ConnectorError, attempt: number) => number },
  callbacks: StreamCallbacks,
  signal: AbortSignal,
): Promise<void> {
  const app = api.requireApp('Stream mode');
  const seen = new RecentIds();
  const delay = opts.retryDelayMs ?? streamRetryDelayMs;
  let attempt = 0;
  while (!signal.aborted) {
    let stream: TweetStream | undefined;
    try {
      stream = app.v2.getStream('activity/stream', { backfill_minutes: 5 }, {
        autoConnect: false,
        payloadIsError: (p: unknown) => typeof p === 'object' && p !== null && 'errors' in p && !('data' in p),
      });
      const ended = new Promise<ConnectorError>((resolve) => {
        const lost = (reason: string) => resolve(toConnectorError(new Error(reason)));
        stream!.on(ETwitterStreamEvent.ConnectionClosed, () => lost('X closed the activity stream'));
        stream!.on(ETwitterStreamEvent.ConnectionLost, () => lost('no data or keep-alive from X in time'));
        stream!.on(ETwitterStreamEvent.DataError, (e: unknown) => lost(`X ended the stream: ${JSON.stringify(e).slice(0, 300)}`));
      });
      // Events go to the connector in stream order without waiting for each to be stored (it gathers them into
      // batches); a failed hand-over ends listening, and the runtime listens again from the stored cursor, with
      // the backfill bringing back what was lost.
      let deliveryFailed: ((err: unknown) => void) | undefined;
      const failure = new Promise<{ failed: unknown }>((resolve) => (deliveryFailed = (err) => resolve({ failed: err })));
      const pending = new Set<Promise<void>>();
      stream.on(ETwitterStreamEvent.Data, (payload: unknown) => {
        const parsed = XActivityEnvelopeSchema.safeParse(payload);
        if (!parsed.success || !isOurs(parsed.data, opts.connectorId, opts.userId())) return;
        if (!seen.add(parsed.data.data.event_uuid)) return;
        api.meter({ endpoint: `event:${parsed.data.data.event_type}`, requests: 0, costUsd: eventPriceUsd(parsed.data.data.event_type) });
        const handed = callbacks.onEvent(parsed.data).catch((err: unknown) => deliveryFailed?.(err));
        pending.add(handed);
        void handed.finally(() => pending.delete(handed));
      });
      api.meter({ endpoint: 'stream:connect', requests: 1, costUsd: 0 });
      await stream.connect({ autoReconnect: false, keepAliveTimeout: opts.keepAliveTimeoutMs });
      attempt = 0;
      callbacks.connected();
      const outcome = await Promise.race([ended, failure, pause(2 ** 31 - 1, signal).then(() => null)]);
      await Promise.all(pending);
      if (outcome && 'failed' in outcome) throw new DeliveryFailed(outcome.failed);
      const reason = outcome;
      if (!reason) break;
      attempt += 1;
      callbacks.reconnecting(reason.message);
      await pause(delay(reason, attempt), signal);
    } catch (err) {
      if (err instanceof DeliveryFailed) throw err.cause;
      const error = toConnectorError(err);
      if (error.kind === 'auth') throw error;
      attempt += 1;
      callbacks.reconnecting(error.message);
      await pause(delay(error, attempt), signal);
    } finally {
      stream?.destroy();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// V2 webhooks: CRC and signature (HMAC-SHA256 keyed with the app's consumer secret, base64, "sha256=")

/** The CRC answer: `{response_token: "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token))}`. */
export function crcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}` };
}

/** Whether `x-twitter-webhooks-signature` matches the raw body bytes, in constant time. */
export function verifyWebhookSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', consumerSecret).update(rawBody).digest();
  const given = Buffer.from(header.slice(7), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Finds this connector's webhook by URL (re-validating it when X marked it invalid) or registers it. */
export async function ensureWebhook(api: XApi, url: string): Promise<string> {
  const app = api.requireApp('Webhook mode');
  try {
    const list = await app.v2.get<{ data?: Array<{ id: string; url: string; valid: boolean }> }>('webhooks');
    const existing = list.data?.find((w) => w.url === url);
    if (existing) {
      if (!existing.valid) await app.v2.put(`webhooks/${existing.id}`);
      return existing.id;
    }
    const created = await app.v2.post<{ data: { id: string } }>('webhooks', { url });
    return created.data.id;
  } catch (err) {
    throw toConnectorError(err);
  }
}

