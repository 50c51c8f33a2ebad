// The X connector, on twitter-api-v2. Receives mentions, replies and DMs of one X account in one of three modes:
// - polling (default, every access tier): the mentions timeline and the DM event list (connectors/x/polling.ts);
// - stream: the X Activity API stream with the connector's own subscriptions, five minutes of backfill on every
//   reconnect, and a slow reconciliation poll of mentions and DMs for what XAA never delivers (implicit reply-mentions,
//   replies to replies, outages longer than the backfill);
// - webhook: the same events POSTed to PUBLIC_URL/webhooks/<id> through X's V2 webhooks (CRC answered,
//   signatures verified over the raw bytes), with the same reconciliation poll.
// The Account Activity API is not used: X has deprecated it and ends it on 1 January 2027.
//
// Sends public replies with POST /2/tweets and private ones as DMs. X has no idempotency key, so sends are not
// idempotent (a 5xx or a cut connection after sending may have posted; the core then does not resend). Hides a
// customer's reply under the account's own posts when the guard asks (`removePublic` → 'hidden'); a mention
// elsewhere cannot be hidden ('not_allowed'), so the guard's warning and DM still go out.
//
// Limitations. X's: a customer's deletion of a mention is never announced (no event, and polling does not re-read
// old posts).
//
// The account's own DMs (XAA's `dm.sent` and the DM list: an agent answering in the X app, or the echo of a DM we
// sent) are handed over as outbound messages (normalize.ts); the core stores each DM id once and merges an echo
// into the reply the outbound worker records (src/queues/outbound.ts).
import { z } from 'zod';
import type { InboundMessage, MessageRef, OutboundReply, PlatformUserRef } from '../../src/domain/types.ts';
import type {
  Connector,
  ConnectorCapabilities,
  ConnectorDefinition,
  GatewaySession,
  PollBatch,
  WebhookDelivery,
  WebhookRequest,
} from '../connector.ts';
import { ConnectorError, InvalidError, NotFoundError, PermissionError } from '../errors.ts';
import {
  crcResponse,
  ensureWebhook,
  eventPriceUsd,
  isOurs,
  RecentIds,
  runActivityStream,
  syncSubscriptions,
  verifyWebhookSignature,
} from './activity.ts';
import { toConnectorError, XApi, xReason, type XUsageMeter } from './api.ts';
import { normalizeXActivity, X_ACTIVITY_EVENT_TYPES, XActivityEnvelopeSchema, xDmThreadId, type XNormalized } from './normalize.ts';
import { parsePollCursor, pause, XPoller, type XPollCursor } from './polling.ts';
import { X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './post-length.ts';

export type XMode = 'polling' | 'stream' | 'webhook';

export interface XConnectorConfig {
  connectorId: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  /** The app's Bearer token: needed for stream and webhook modes. */
  bearerToken?: string;
  /** Replaces the origin https://api.x.com (a local fake or a proxy); paths stay /2/... */
  apiBase?: string;
  mode?: XMode;
  /** Polling: the wait between polls while there is traffic, and the floor of every wait. Default 5 s. */
  pollIntervalMs?: number;
  /** Polling: the longest wait between polls on a quiet account. Default 2 min. */
  idlePollIntervalMs?: number;
  /** Stream and webhook modes: how often mentions and DMs are reconciled by polling. Default 5 min. */
  reconcileIntervalMs?: number;
  /** Stream mode: reconnect when X sends nothing (not even a keep-alive, every 20 s) for this long. Default 60 s. */
  streamKeepAliveTimeoutMs?: number;
  /** How far back the first poll reaches when the connector has no cursor yet. Default 24 h. */
  initialBackfillMs?: number;
  /** Where the platform delivers webhooks for this connector (PUBLIC_URL/webhooks/:id). */
  webhookUrl?: string;
  /** Receives one record per request made and per event delivered, with its estimated price. */
  meter?: XUsageMeter;
}

const DEFAULTS = {
  pollIntervalMs: 5_000,
  idlePollIntervalMs: 120_000,
  reconcileIntervalMs: 300_000,
  streamKeepAliveTimeoutMs: 60_000,
  initialBackfillMs: 24 * 3_600_000,
};

/** DM events per reconciliation request: enough to find the gap, few enough to keep the daily read bill small. */
const RECONCILE_DM_PAGE = 20;

/** X's longest DM; a public reply is at most 280 weighted characters (post-length.ts). */
const MAX_DM_LENGTH = 10_000;

/** How events are handed to the core while the stream runs (GatewaySession.deliver with the cursor as JSON). */
type Deliver = (events: InboundMessage[], cursor?: XPollCursor) => Promise<void>;

export class XConnector implements Connector {
  readonly platform = 'x' as const;
  /** X has no idempotency key or nonce: a resent post is a second post. */
  readonly idempotentSend = false;
  readonly capabilities: ConnectorCapabilities;
  readonly connectorId: string;
  readonly mode: XMode;
  readonly api: XApi;
  private bot?: PlatformUserRef;
  private readonly options: typeof DEFAULTS;

  constructor(private readonly config: XConnectorConfig) {
    this.connectorId = config.connectorId;
    this.mode = config.mode ?? 'polling';
    this.options = {
      pollIntervalMs: config.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      idlePollIntervalMs: config.idlePollIntervalMs ?? DEFAULTS.idlePollIntervalMs,
      reconcileIntervalMs: config.reconcileIntervalMs ?? DEFAULTS.reconcileIntervalMs,
      streamKeepAliveTimeoutMs: config.streamKeepAliveTimeoutMs ?? DEFAULTS.streamKeepAliveTimeoutMs,
      initialBackfillMs: config.initialBackfillMs ?? DEFAULTS.initialBackfillMs,
    };
    this.capabilities = {
      webhook: this.mode === 'webhook',
      polling: this.mode === 'polling',
      gateway: this.mode === 'stream',
      deletePublic: false,
      hidePublic: true,
      directMessage: true,
    };
    this.api = new XApi({ ...config, timeoutMs: 15_000 });
  }

  private get botId(): string {
    if (!this.bot) throw new InvalidError('The X connector is not connected yet.');
    return this.bot.id;
  }

  async connect(): Promise<PlatformUserRef> {
    if (this.mode !== 'polling' && !this.config.bearerToken) {
      throw new InvalidError(`${this.mode === 'stream' ? 'Stream' : 'Webhook'} mode needs the app's Bearer token: add it to the connector's credentials, or use polling.`);
    }
    try {
      const me = await this.api.user.v2.me();
      this.bot = { id: me.data.id, handle: me.data.username, displayName: me.data.name };
      return this.bot;
    } catch (err) {
      throw toConnectorError(err);
    }
  }

  // ---------------------------------------------------------------------------------------------- receiving

  /** The poller of this connector, kept across steps: it paces itself to the traffic and X's rate-limit windows. */
  private activePoller?: XPoller;

  /**
   * Polling mode: one request to the mentions timeline or the DM list (whichever is due), after waiting until it
   * is due. Webhook mode: the slow reconciliation poll of mentions and DMs, for what X's deliveries miss.
   */
  async poll(cursor: string | null, signal: AbortSignal): Promise<PollBatch> {
    const interval = this.options.reconcileIntervalMs;
    if (!this.activePoller && this.mode === 'polling') await this.dropSubscriptions();
    this.activePoller ??=
      this.mode === 'polling'
        ? this.poller(['mentions', 'dms'], this.options.pollIntervalMs, this.options.idlePollIntervalMs)
        : this.poller(['mentions', 'dms'], interval, interval, RECONCILE_DM_PAGE);
    const step = await this.activePoller.step(parsePollCursor(cursor), signal);
    if (!step) return { events: [], cursor };
    return { events: this.messages(step.items), cursor: JSON.stringify(step.cursor) };
  }

  /** Stream mode: the X Activity API stream, with the reconciliation poll beside it. */
  async listen(session: GatewaySession, signal: AbortSignal): Promise<void> {
    const deliver: Deliver = (events, next) => session.deliver(events, next ? JSON.stringify(next) : undefined);
    await this.receiveStream(parsePollCursor(session.cursor), deliver, session, signal);
  }

  /** Customers' messages and the account's own DMs (marked outbound), for the core. */
  private messages(items: XNormalized[]): InboundMessage[] {
    return items.map((i) => i.message);
  }

  private poller(sources: Array<'mentions' | 'dms'>, busyMs: number, idleMs: number, dmPageSize?: number): XPoller {
    return new XPoller(this.api, {
      ...(dmPageSize ? { dmPageSize } : {}),
      connectorId: this.connectorId,
      botUserId: () => this.botId,
      busyMs,
      idleMs,
      initialBackfillMs: this.options.initialBackfillMs,
      sources,
    });
  }

  /**
   * Back on polling after stream or webhook mode: the subscriptions this connector made would go on costing
   * deliveries nobody reads. Best effort: without a Bearer token or XAA access there is nothing to remove.
   */
  private async dropSubscriptions(): Promise<void> {
    if (!this.config.bearerToken) return;
    await syncSubscriptions(this.api, { connectorId: this.connectorId, userId: this.botId, eventTypes: [] }).catch(() => undefined);
  }

  /**
   * Polls mentions and DMs every reconcileIntervalMs (starting at once) for what real-time delivery misses:
   * replies to replies, implicit reply-mentions, and anything from an outage longer than the 5-minute backfill.
   */
  private async reconcile(start: XPollCursor, deliver: Deliver, signal: AbortSignal, onError: (e: ConnectorError) => void): Promise<void> {
    const interval = this.options.reconcileIntervalMs;
    const poller = this.poller(['mentions', 'dms'], interval, interval, RECONCILE_DM_PAGE);
    let cursor = start;
    while (!signal.aborted) {
      try {
        const step = await poller.step(cursor, signal);
        if (!step) break;
        await deliver(this.messages(step.items), step.cursor);
        cursor = step.cursor;
      } catch (err) {
        const error = toConnectorError(err);
        if (error.kind === 'auth') throw error;
        onError(error);
        await pause(interval, signal);
      }
    }
  }

  private async receiveStream(cursor: XPollCursor, deliver: Deliver, session: GatewaySession, signal: AbortSignal): Promise<void> {
    await syncSubscriptions(this.api, { connectorId: this.connectorId, userId: this.botId, eventTypes: X_ACTIVITY_EVENT_TYPES });
    // One queue for both sources, so cursor writes and sinks never interleave.
    // The stream and the reconciliation poll see the same posts; hand each version over once.
    // Events that arrive while a hand-over is in flight go out together in the next one: one queue write per
    // batch rather than per event is what keeps a busy account flowing.
    const handed = new RecentIds();
    const serial = batched((events, next) => deliver(events.filter((e) => handed.add(`${e.externalId}:${e.editedAt?.getTime() ?? ''}`)), next));
    // A failed reconciliation poll is retried at its next turn; the stream itself says whether we are connected.
    const reconciling = this.reconcile(cursor, serial, signal, () => {});
    const streaming = runActivityStream(
      this.api,
      { connectorId: this.connectorId, userId: () => this.botId, keepAliveTimeoutMs: this.options.streamKeepAliveTimeoutMs },
      {
        onEvent: (envelope) => serial(this.messages(normalizeXActivity(envelope, { connectorId: this.connectorId, botUserId: this.botId }))),
        connected: () => session.connected(),
        reconnecting: (reason) => session.reconnecting(reason),
      },
      signal,
    );
    await Promise.all([streaming, reconciling]);
  }

  /** Registers (or re-validates) the webhook at `webhookUrl` and points this account's subscriptions at it. */
  async subscribeWebhook(): Promise<void> {
    if (!this.config.webhookUrl) throw new InvalidError('Webhook mode needs PUBLIC_URL, where X can reach /webhooks/<connector id>.');
    const webhookId = await ensureWebhook(this.api, this.config.webhookUrl);
    await syncSubscriptions(this.api, { connectorId: this.connectorId, userId: this.botId, eventTypes: X_ACTIVITY_EVENT_TYPES, webhookId });
  }

  private readonly webhookSeen = new RecentIds();

  /**
   * One request to /webhooks/<id>: X's CRC challenge (GET with crc_token) or a signed delivery (POST). A bad or
   * missing signature is 403 with nothing stored. Returns what to sink and what to answer once it is sunk.
   */
  webhookDelivery(req: WebhookRequest): WebhookDelivery {
    if (req.method === 'GET') {
      const token = req.query.crc_token;
      if (!token) return { events: [], response: { status: 400, body: { error: 'crc_token missing' } } };
      return { events: [], response: { status: 200, body: crcResponse(this.config.appSecret, token) } };
    }
    if (req.method !== 'POST') return { events: [], response: { status: 405 } };
    if (!verifyWebhookSignature(this.config.appSecret, req.rawBody, req.headers['x-twitter-webhooks-signature'])) {
      return { events: [], response: { status: 403, body: { error: 'bad signature' } } };
    }
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { events: [], response: { status: 400, body: { error: 'not JSON' } } };
    }
    // One envelope per POST as far as anyone has seen; accept a list all the same.
    const envelopes = (Array.isArray(body) ? body : [body]).flatMap((b) => {
      const parsed = XActivityEnvelopeSchema.safeParse(b);
      return parsed.success ? [parsed.data] : [];
    });
    const botId = this.bot?.id;
    const events: InboundMessage[] = [];
    for (const envelope of envelopes) {
      const userId = botId ?? envelope.data.filter?.user_id ?? '';
      if (!isOurs(envelope, this.connectorId, userId) || !this.webhookSeen.add(envelope.data.event_uuid)) continue;
      this.api.meter({ endpoint: `event:${envelope.data.event_type}`, requests: 0, costUsd: eventPriceUsd(envelope.data.event_type) });
      events.push(...this.messages(normalizeXActivity(envelope, { connectorId: this.connectorId, botUserId: userId })));
    }
    return { events, response: { status: 200, body: {} } };
  }

  async handleWebhook(req: WebhookRequest): Promise<WebhookDelivery> {
    // Webhooks reach any API process; the account id comes from users/me once per process.
    if (!this.bot && req.method === 'POST') await this.connect().catch(() => undefined);
    return this.webhookDelivery(req);
  }

  // ---------------------------------------------------------------------------------------------- sending

  /**
   * Public threads get a reply post under the customer's post; private threads a DM to the customer. X's
   * refusals end the send for good with X's reason: a duplicate text (403, InvalidError) and the self-serve rule
   * that a reply is accepted only where the customer explicitly @mentioned the account (403, PermissionError:
   * answer by DM instead).
   */
  async send(reply: OutboundReply): Promise<{ externalId: string; sentAt: Date }> {
    if (reply.externalThreadId.startsWith('dm:')) {
      const sent = await this.dm(reply.channelId, reply.text);
      return { externalId: sent.externalId, sentAt: new Date() };
    }
    const inReplyTo = reply.replyToExternalId ?? reply.channelId;
    const length = xWeightedLength(reply.text);
    if (length > X_MAX_WEIGHTED_LENGTH) {
      throw new InvalidError(
        `X allows ${X_MAX_WEIGHTED_LENGTH} characters in a public reply, and counts Chinese, Japanese and Korean characters (and emoji) twice: this reply counts ${length}. Shorten it, or answer by direct message.`,
      );
    }
    try {
      const posted = await this.api.user.v2.tweet({ text: reply.text, reply: { in_reply_to_tweet_id: inReplyTo } });
      return { externalId: posted.data.id, sentAt: new Date() };
    } catch (err) {
      const error = toConnectorError(err, true);
      if (error instanceof PermissionError && /duplicate/i.test(error.message)) {
        throw new InvalidError(`X refused the reply as a duplicate of an earlier post: ${reasonOf(err)}`);
      }
      if (error instanceof PermissionError && /not allowed|mentioned|engaged/i.test(error.message)) {
        throw new PermissionError(`X refused the public reply: ${reasonOf(err)} Answer this customer by direct message instead.`);
      }
      throw error;
    }
  }

  private async dm(participantId: string, text: string): Promise<{ externalId: string }> {
    try {
      // twitter-api-v2 types the result without X's `data` wrapper, but returns the body verbatim (A).
      const sent = (await this.api.user.v2.sendDmToParticipant(participantId, { text })) as unknown as { data?: { dm_event_id?: string }; dm_event_id?: string };
      const id = sent.data?.dm_event_id ?? sent.dm_event_id;
      if (!id) throw new InvalidError('X accepted the DM but named no event id.');
      return { externalId: id };
    } catch (err) {
      throw toConnectorError(err, true);
    }
  }

  /** Hides a customer's reply under the account's own post; X lets only a conversation's author hide replies. */
  async removePublic(ref: MessageRef): Promise<'deleted' | 'hidden' | 'not_allowed'> {
    try {
      await this.api.user.v2.hideReply(ref.externalId, true);
      return 'hidden';
    } catch (err) {
      const error = toConnectorError(err, true);
      if (error instanceof PermissionError) return 'not_allowed';
      if (error instanceof NotFoundError) return 'deleted'; // the customer deleted it already
      throw error;
    }
  }

  /** A DM to a customer (the guard's private advice). X refuses users who do not accept DMs (PermissionError). */
  async openDirect(user: PlatformUserRef, text: string): Promise<{ externalId: string; externalThreadId: string; channelId: string }> {
    const sent = await this.dm(user.id, text);
    // As normalize.ts names a DM conversation.
    return { ...sent, externalThreadId: xDmThreadId(this.botId, user.id), channelId: user.id };
  }
}

const reasonOf = (err: unknown) => (err && typeof err === 'object' && 'data' in err ? xReason(err as never) : String(err));

/**
 * Gathers hand-overs: events passed while one delivery is in flight go out together in the next, in order, with
 * the latest cursor. Each call resolves (or rejects) with the delivery that carried its events.
 */
function batched(deliver: Deliver): Deliver {
  let next: { events: InboundMessage[]; cursor?: XPollCursor; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | null = null;
  let running = false;
  const run = async () => {
    running = true;
    while (next) {
      const batch = next;
      next = null;
      try {
        await deliver(batch.events, batch.cursor);
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        for (const w of batch.waiters) w.reject(err);
      }
    }
    running = false;
  };
  return (events, cursor) =>
    new Promise<void>((resolve, reject) => {
      next ??= { events: [], waiters: [] };
      next.events.push(...events);
      if (cursor) next.cursor = cursor;
      next.waiters.push({ resolve, reject });
      if (!running) void run();
    });
}

export function createXConnector(config: XConnectorConfig): XConnector {
  return new XConnector(config);
}

// ---------------------------------------------------------------------------------------------------------------
// Definition: what an admin enters, with where each value comes from (the admin form shows the descriptions).

const token = (what: string, where: string) =>
  z
    .string()
    .trim()
    .min(10, `${what} is too short: copy it from ${where}`)
    .max(200)
    .regex(/^\S+$/, `${what} has no spaces: copy it from ${where}`)
    .describe(`${what}: ${where}.`);

const PORTAL = 'the X Developer Portal, your app, "Keys and tokens"';
const XCredentials = z.object({
  appKey: token('API Key (Consumer Key)', `${PORTAL}, "Consumer Keys"`),
  appSecret: token('API Key Secret (Consumer Secret)', `${PORTAL}, "Consumer Keys"; it also signs webhook deliveries`),
  accessToken: token('Access Token', `${PORTAL}, "Authentication Tokens" (generated for the support account, with Read, Write and Direct Messages permission)`),
  accessSecret: token('Access Token Secret', `${PORTAL}, "Authentication Tokens", next to the Access Token`),
  bearerToken: token('Bearer Token', `${PORTAL}, "Bearer Token"; needed for stream and webhook modes`).optional(),
});
const XSettings = z.object({
  apiBase: z.url().optional().describe('Replaces https://api.x.com (a local fake or a proxy); leave empty for X itself.'),
  mode: z
    .enum(['polling', 'stream', 'webhook'])
    .default('polling')
    .describe('polling works on every tier; stream (X Activity API) and webhook deliver in real time and need the Bearer Token.'),
  pollIntervalMs: z.number().int().min(3_000).max(3_600_000).optional().describe('Polling: milliseconds between polls while customers are writing (default 5000; quiet accounts are polled less often, up to every 2 minutes).'),
});

export const xDefinition: ConnectorDefinition<z.infer<typeof XCredentials>, z.infer<typeof XSettings>> = {
  platform: 'x',
  credentialsSchema: XCredentials,
  settingsSchema: XSettings,
  secretSettings: [],
  maxReplyLength: MAX_DM_LENGTH,
  replyLength: (text, visibility) =>
    visibility === 'public' ? { length: xWeightedLength(text), max: X_MAX_WEIGHTED_LENGTH } : { length: text.length, max: MAX_DM_LENGTH },
  create: ({ connectorId, credentials, settings, webhookUrl, meter }) => createXConnector({ connectorId, ...credentials, ...settings, webhookUrl, ...(meter ? { meter } : {}) }),
};
