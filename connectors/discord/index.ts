// The Discord connector, on discord.js. Receives over the gateway (a WebSocket), sends over REST with
// Discord's nonces so a retried send never posts twice, deletes with the bot's MANAGE_MESSAGES permission.
//
// Nothing is lost across reconnects: the gateway only replays what a resumable session missed, so after every
// READY and RESUMED the connector also reads channel history after the last message it saw in each channel it
// follows (support channels, DM channels, channels where it was mentioned), and keeps those positions in the
// connector cursor. A DM channel or a channel where the bot was never mentioned before cannot be discovered
// from history, so the cursor also keeps the gateway session: when the process dies, the next holder resumes
// that session and Discord replays what it queued meanwhile, a *first* DM or mention included (see
// resumeDeadSession). A holder that stops cleanly (a deploy, a rebalance, a restart) leaves its session resumable
// the same way, so the first DM of a customer who writes during a handover arrives too. Limitations, all
// Discord's: such a first message is lost when the session could not be resumed (Discord gave it up, or it was
// not resumed within Discord's grace period); channels followed only for mentions are
// read back at most MENTION_CHANNEL_MAX_PAGES pages; DM and mention channels idle for FOLLOW_IDLE_DAYS are no
// longer read back.
//
// Edits and deletions: MESSAGE_UPDATE with a new `edited_timestamp` is handed over as the message's new version,
// MESSAGE_DELETE / MESSAGE_DELETE_BULK in followed channels as deletions. History read back after an outage
// returns edited messages with their edit time, so an edit missed while away arrives then; a deletion missed
// while away is not (history simply lacks the message).
import { createHash } from 'node:crypto';
import {
  Client,
  DiscordAPIError,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  HTTPError,
  IntentsBitField,
  Options,
  Partials,
  RateLimitError,
  REST,
  Routes,
  type RateLimitData,
  type RESTOptions,
} from 'discord.js';
import { WebSocketManager, WebSocketShardEvents, type SessionInfo } from '@discordjs/ws';
import { z } from 'zod';
import { isDeletion, type InboundEvent, type InboundMessage, type MessageRef, type OutboundReply, type PlatformUserRef } from '../../src/domain/types.ts';
import type { Connector, ConnectorCapabilities, ConnectorDefinition, GatewaySession } from '../connector.ts';
import {
  AuthError,
  ConnectorError,
  InvalidError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
} from '../errors.ts';
import {
  DiscordDeleteSchema,
  DiscordMessageSchema,
  isContentEdit,
  normalizeDiscordDeletions,
  normalizeDiscordMessage,
  type DiscordChannelContext,
  type DiscordMessagePayload,
} from './normalize.ts';

export interface DiscordConnectorConfig {
  connectorId: string;
  botToken: string;
  /** Replaces https://discord.com/api (a local fake or a proxy). */
  apiBase?: string;
  /** Channels (or categories, or parents of threads) where every customer message is for the inbox. */
  supportChannelIds?: string[];
}

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  // Privileged: must be switched on in the Developer Portal, or the gateway closes with 4014.
  GatewayIntentBits.MessageContent,
];
/** Discord rarely takes long; a stuck request is better retried by the worker than waited on for 15 s. */
const REST_TIMEOUT_MS = 10_000;
/** Quick retries of a 5xx or a timeout inside one call; anything longer is the worker's backoff to decide. */
const REST_RETRIES = 2;
/**
 * @discordjs/rest waits out a 429 silently by default. That is right for the usual sub-second bucket resets,
 * but a worker blocked for a minute inside send() holds a job slot and hides the limit from the queue; past
 * this wait we make it throw, and the worker reschedules the job after retryAfterMs instead.
 */
const MAX_SILENT_RATE_LIMIT_MS = 5_000;
const PAGE_SIZE = 100;
/** The cursor goes to the runtime with a delivery at most this often (ms); see handOver. */
const CURSOR_EVERY_MS = 250;
/** Channels followed only because the bot was mentioned there may be busy; read back this many pages at most. */
const MENTION_CHANNEL_MAX_PAGES = 10;
/**
 * DM and mention channels quiet for this long are no longer read back after a reconnect (one request each,
 * per reconnect, would grow without bound); a new message there is still received live and follows it again.
 */
const FOLLOW_IDLE_DAYS = 30;
const DISCORD_EPOCH = 1420070400000n;
/** How long resuming a dead holder's gateway session may take before we give up on it (ms). */
const RESUME_TIMEOUT_MS = 10_000;
/**
 * How long a stop waits for a gateway connection that is still opening before closing it (ms). @discordjs/ws leaves
 * a socket destroyed while it opens unattended: when the server then drops it, its error goes unhandled and ends
 * the process. (A stop right after a restart's resume, while the new login connects, met it.)
 */
const OPENING_GRACE_MS = 3_000;

/** Resolves once `promise` settles or `ms` have passed, whichever is first; never rejects. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.then(() => {}, () => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const DiscordUserSchema = z.object({ id: z.string(), username: z.string(), global_name: z.string().nullish() }).loose();
const SentMessageSchema = z.object({ id: z.string(), timestamp: z.string() }).loose();
const ChannelSchema = z.object({ id: z.string(), type: z.number(), guild_id: z.string().optional(), parent_id: z.string().nullish() }).loose();

/**
 * The gateway session of the process receiving, as its stored cursor keeps it (key "gateway"), so that if the
 * process dies the next holder can resume it and receive what Discord queued for it meanwhile. `sequence` is the
 * last dispatch handed over (or skipped): a resume replays everything after it.
 */
type StoredSession = { sessionId: string; resumeURL: string; sequence: number };
const StoredSessionSchema = z.object({ sessionId: z.string().min(1), resumeURL: z.string().min(1), sequence: z.number().int().nonnegative() });

/** The dispatches the connector hands over: new messages, content edits, deletions. */
const wantedDispatch = (t: string | undefined, d: unknown): t is string =>
  t === 'MESSAGE_CREATE' ||
  (t === 'MESSAGE_UPDATE' && isContentEdit(d as { edited_timestamp?: string | null })) ||
  t === 'MESSAGE_DELETE' ||
  t === 'MESSAGE_DELETE_BULK';

/** Where a followed channel lives; learnt from the gateway, discord.js's cache or GET /channels/:id. */
type ChannelPlace = { kind: 'dm' } | { kind: 'guild'; guildId: string; parentId?: string };

const compareIds = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The smallest snowflake Discord could assign at `ms`: "everything after this moment". */
const snowflakeAt = (ms: number): string => ((BigInt(ms) - DISCORD_EPOCH) << 22n).toString();
const timeOf = (snowflake: string): number => Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH);

/** Discord nonces are at most 25 characters; 25 hex digits of SHA-256 (100 bits) of our key are plenty. */
export const nonceFor = (idempotencyKey: string): string => createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 25);


/** The one place Discord failures (REST, discord.js, the network) become ConnectorErrors. */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof RateLimitError) {
    const waitMs = Math.ceil(Math.max(err.retryAfter, err.timeToReset, 0));
    return new RateLimitedError(waitMs, `Discord rate limit on ${err.method.toUpperCase()} ${err.route} (${err.scope}); retry after ${waitMs} ms`);
  }
  if (err instanceof DiscordAPIError) {
    const what = `Discord answered ${err.status} (code ${err.code}): ${err.message}`;
    if (err.status === 401) return new AuthError('Discord rejected the bot token (401 Unauthorized). Copy a fresh token from the Developer Portal.');
    if (err.status === 403) return new PermissionError(what);
    if (err.status === 404) return new NotFoundError(what);
    if (err.status === 429) return new RateLimitedError(1_000, what); // only without rate-limit headers
    return new InvalidError(what);
  }
  // A 5xx that outlived the quick retries: Discord may have done the work before failing.
  if (err instanceof HTTPError) return new NetworkError(`Discord answered ${err.status} ${err.message}`, true);
  const e = err as { name?: string; code?: unknown; message?: string; cause?: { code?: unknown } };
  if ((err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid) || e.code === 'TokenInvalid') {
    return new AuthError('Discord rejected the bot token (401 Unauthorized). Copy a fresh token from the Developer Portal.');
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new NetworkError(`Discord did not answer within ${REST_TIMEOUT_MS} ms`, true);
  }
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  // Refused or unresolved connections never reached Discord; a reset may have, after sending.
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new NetworkError(`Discord unreachable: ${code ?? e.message ?? String(err)}`, !neverSent);
}

/**
 * Closes the client's gateway connection with code 4000 instead of the 1000 that `client.destroy()` sends: Discord
 * ends a session closed with 1000 or 1001 and keeps any other resumable, queueing its events for the next holder
 * (resumeDeadSession). discord.js has no public way to choose the code; its @discordjs/ws manager is `ws._ws` in the
 * version pinned in package.json (14.28.1). Without it this does nothing and the client closes with 1000.
 * Source: https://discord.com/developers/docs/events/gateway#resuming
 */
async function leaveResumable(client: Client): Promise<void> {
  const manager = (client.ws as unknown as { _ws?: { destroy(options: { code: number; reason: string }): Promise<void> } | null })._ws;
  await manager?.destroy({ code: 4000, reason: 'Stopping; the next holder resumes this session' }).catch(() => {});
}

/** Close codes after which discord.js stops reconnecting, as errors someone has to act on. */
function gatewayCloseError(code: number): ConnectorError {
  if (code === 4004) return new AuthError('Discord closed the gateway: authentication failed (4004). The bot token is wrong or was reset.');
  if (code === 4014) {
    return new PermissionError('Discord refused a privileged intent (4014). Turn on "Message Content Intent" for the bot in the Developer Portal.');
  }
  return new InvalidError(`Discord closed the gateway for good (close code ${code}).`);
}

export class DiscordConnector implements Connector {
  readonly platform = 'discord' as const;
  /** Sends carry a nonce with enforce_nonce, so Discord returns the first message for a repeat. */
  readonly idempotentSend = true;
  readonly capabilities: ConnectorCapabilities = {
    webhook: false,
    polling: false,
    gateway: true,
    deletePublic: true,
    hidePublic: false,
    directMessage: true,
  };
  readonly connectorId: string;
  private readonly rest: REST;
  private readonly supportChannelIds: ReadonlySet<string>;
  private bot?: PlatformUserRef;

  // Receiving state, while listen() runs.
  private session: GatewaySession | null = null;
  private client: Client | null = null;
  /** Per followed channel, the newest message id handed over: the connector cursor. */
  private cursor = new Map<string, string>();
  /** Where history must be read again from (per channel), after a disconnect. */
  private gapFrom: Map<string, string> | null = null;
  private readonly places = new Map<string, ChannelPlace>();
  /** Every gateway event and catch-up runs here, one at a time, so cursors only move after their delivery. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * Gateway packets (new messages, content edits, deletions) waiting for the queue, in arrival order. While one
   * delivery is in flight the next ones gather here and go out together: one delivery per batch, not per message,
   * is what keeps a busy server flowing.
   */
  private live: Array<{ t: string; d: unknown; s?: number }> = [];
  /** The current gateway session (from READY), stored with the cursor; null when there is none to resume. */
  private gateway: StoredSession | null = null;
  /** A batch of live packets is being handed over: later dispatches may not move `gateway.sequence` yet. */
  private handing = false;
  private startedAt = 0;
  /** Positions adopted but not yet handed to the runtime as a cursor, and when one last was (see handOver). */
  private cursorDirty = false;
  private cursorAt = 0;
  private cursorTimer: NodeJS.Timeout | undefined;
  /** Set once a delivery or a catch-up failed: nothing more is handed over until listen() is called again. */
  private broken = false;
  /** Ends the current listen() with an error. */
  private giveUp: (error: ConnectorError) => void = () => {};

  constructor(private readonly config: DiscordConnectorConfig) {
    this.connectorId = config.connectorId;
    this.supportChannelIds = new Set(config.supportChannelIds ?? []);
    // Sends and history go through our own REST client, so send() works in a process that runs no gateway.
    this.rest = new REST(this.restOptions()).setToken(config.botToken);
  }

  private restOptions(): Partial<RESTOptions> {
    return {
      ...(this.config.apiBase ? { api: this.config.apiBase } : {}),
      timeout: REST_TIMEOUT_MS,
      retries: REST_RETRIES,
      rejectOnRateLimit: (limit: RateLimitData) => Math.max(limit.retryAfter, limit.timeToReset) > MAX_SILENT_RATE_LIMIT_MS,
    };
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    // @discordjs/rest forgets the token after any 401; a single spurious one must not break every later call.
    this.rest.setToken(this.config.botToken);
    try {
      return await work();
    } catch (err) {
      throw toConnectorError(err);
    }
  }

  async connect(): Promise<PlatformUserRef> {
    // GET /users/@me checks the token without opening a gateway session (Discord allows only 1000 a day).
    const me = DiscordUserSchema.parse(await this.call(() => this.rest.get(Routes.user('@me'))));
    this.bot = { id: me.id, handle: me.username, displayName: me.global_name ?? me.username };
    return this.bot;
  }

  // ---------------------------------------------------------------------------------------------- receiving

  /**
   * Holds one discord.js gateway connection until `signal` aborts. After every READY and RESUMED it reads back
   * history from the cursor positions (see the top of this file). Rejects when the gateway closes for good,
   * login fails, or a delivery or a history read fails: the runtime listens again later from the cursor it
   * stored, which only ever covers what was handed over.
   */
  async listen(session: GatewaySession, signal: AbortSignal): Promise<void> {
    this.session = session;
    this.broken = false;
    this.live = [];
    const stored = parseCursor(session.cursor);
    this.cursor = stored.positions;
    this.cursorDirty = false;
    this.cursorAt = 0;
    // Whatever was posted while we were not listening is read back at the first READY.
    this.gapFrom = new Map(this.cursor);
    this.startedAt = Date.now();
    try {
      if (stored.gateway) await this.resumeDeadSession(stored.gateway, signal);
      await this.runGateway(session, signal);
    } finally {
      // Positions adopted since the last cursor went along are handed over now, so a restart resumes there, with the
      // gateway session runGateway left resumable and the last sequence handed over: the next holder resumes it.
      if (this.gateway) this.cursorDirty = true;
      this.enqueue(() => this.handOver([], null, true));
      clearTimeout(this.cursorTimer);
      this.cursorTimer = undefined;
      await this.queue; // let a delivery in flight finish
      this.gateway = null;
      this.broken = true;
      this.session = null;
    }
  }

  /** One discord.js client, from login until the signal aborts (resolves) or the gateway gives up (rejects). */
  private async runGateway(session: GatewaySession, signal: AbortSignal): Promise<void> {
    const client = new Client({
      intents: INTENTS,
      partials: [Partials.Channel],
      rest: this.restOptions(),
      // We read raw packets and never look messages up in discord.js's cache: keeping 200 per channel is waste.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    });
    this.client = client;
    const fatal = new Promise<never>((_, reject) => (this.giveUp = reject));
    fatal.catch(() => {});
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });

    // Raw packets rather than messageCreate: the exact wire payload (the same shape REST history returns),
    // delivered whether or not discord.js has the channel cached.
    client.on('raw', (packet: { t?: string; s?: number | null; d?: { user?: unknown; session_id?: unknown; resume_gateway_url?: unknown } }) => {
      const s = typeof packet.s === 'number' ? packet.s : undefined;
      if (packet.t === 'READY') {
        const me = DiscordUserSchema.safeParse(packet.d?.user);
        if (me.success) this.bot = { id: me.data.id, handle: me.data.username, displayName: me.data.global_name ?? me.data.username };
        const ready = StoredSessionSchema.safeParse({ sessionId: packet.d?.session_id, resumeURL: packet.d?.resume_gateway_url, sequence: s });
        this.gateway = ready.success ? ready.data : null;
      }
      if (wantedDispatch(packet.t, packet.d)) {
        if (this.live.push({ t: packet.t, d: packet.d, ...(s !== undefined ? { s } : {}) }) === 1) this.enqueue(() => this.ingestLive());
      } else if (this.gateway && s !== undefined && s > this.gateway.sequence && this.live.length === 0 && !this.handing) {
        this.gateway.sequence = s; // nothing before it waits to be handed over
      }
    });
    const connected = () => {
      session.connected();
      this.enqueue(() => this.catchUp());
    };
    client.on(Events.ShardReady, connected);
    client.on(Events.ShardResume, connected);
    client.on(Events.ShardReconnecting, () => {
      // Everything after the current positions may be missed until we are back: remember where to read from.
      this.markGap(this.cursor);
      session.reconnecting('Lost the Discord gateway connection; reconnecting.');
    });
    client.on(Events.ShardDisconnect, (event) => {
      this.gateway = null; // closed for good: nothing left to resume
      this.giveUp(gatewayCloseError(event.code));
    });
    client.on(Events.Error, () => {}); // discord.js reports connection trouble through the shard events above

    let login: Promise<unknown> = Promise.resolve();
    try {
      login = client.login(this.config.botToken);
      login.catch(() => {});
      await Promise.race([login, fatal, aborted]);
      if (!signal.aborted) await Promise.race([fatal, aborted]);
    } catch (err) {
      throw toConnectorError(err);
    } finally {
      client.removeAllListeners();
      client.on(Events.Error, () => {});
      this.client = null;
      await settledWithin(login, OPENING_GRACE_MS); // see OPENING_GRACE_MS
      await leaveResumable(client);
      await client.destroy().catch(() => {});
    }
  }

  /**
   * Resumes the gateway session that a holder which died (a crash, SIGKILL) left in the stored cursor, hands over
   * what Discord replays, and ends the session (close code 1000). Discord queues a session's events for a while
   * after its connection drops, so this is the one way to receive a customer's *first* DM sent while no process
   * listened: a bot cannot list its DM channels, so no history read-back finds it. When the session can no longer
   * be resumed (ended cleanly, or too old), Discord answers "invalid session" and we stop there: read-back covers
   * the channels the cursor names. Never throws; gives up after RESUME_TIMEOUT_MS.
   */
  private async resumeDeadSession(dead: StoredSession, signal: AbortSignal): Promise<void> {
    let finish: () => void = () => {};
    const over = new Promise<void>((resolve) => (finish = resolve));
    let info: SessionInfo | null = { ...dead, shardId: 0, shardCount: 1 };
    const manager = new WebSocketManager({
      token: this.config.botToken,
      intents: IntentsBitField.resolve(INTENTS),
      rest: this.rest,
      shardCount: 1,
      shardIds: [0],
      retrieveSessionInfo: () => info,
      updateSessionInfo: (_, next) => {
        info = next;
        if (next === null) finish(); // the session was refused: the library would identify a new one next
      },
    });
    const replayed: Array<{ t: string; d: unknown }> = [];
    manager.on(WebSocketShardEvents.Dispatch, ({ data }) => {
      if (wantedDispatch(data.t, data.d)) replayed.push({ t: data.t, d: data.d });
    });
    manager.on(WebSocketShardEvents.Resumed, finish);
    manager.on(WebSocketShardEvents.Ready, finish);
    manager.on(WebSocketShardEvents.Error, finish);
    signal.addEventListener('abort', finish, { once: true });
    const timer = setTimeout(finish, RESUME_TIMEOUT_MS);
    let handedOver = false;
    const connecting = manager.connect();
    connecting.catch(() => {});
    try {
      await Promise.race([connecting, over]);
      await over;
      // Stored cursors keep naming the dead session until what it replayed is handed over.
      this.gateway = dead;
      if (replayed.length && !signal.aborted) await this.handOverPackets(replayed);
      handedOver = true;
    } catch (err) {
      if (this.broken) throw err; // the inbox did not take the replay: listen again later, resuming again
      // Unreachable: read-back still covers the channels the cursor names.
    } finally {
      clearTimeout(timer);
      this.gateway = null;
      // Stopped while it may still be opening (see OPENING_GRACE_MS). Not after a refused resume: the library would
      // identify a session of its own meanwhile.
      if (signal.aborted) await settledWithin(connecting, OPENING_GRACE_MS);
      // Ended (1000) once its replay is handed over; otherwise left resumable (4000) for the next attempt.
      await Promise.resolve(manager.destroy({ code: handedOver ? 1000 : 4000, reason: 'Took over from a holder that died' })).catch(() => {});
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch(() => {
      // Tasks handle their own failures; this only keeps one bad event from stopping the queue.
    });
  }

  private async ingestLive(): Promise<void> {
    const packets = this.live;
    this.live = [];
    if (this.broken) return;
    this.handing = true;
    try {
      await this.handOverPackets(packets);
    } finally {
      this.handing = false;
    }
    // Handed over: a resume need not replay them.
    for (const { s } of packets) if (this.gateway && s !== undefined && s > this.gateway.sequence) this.gateway.sequence = s;
  }

  /** Normalizes gateway packets (in arrival order) and hands them over with the positions they move. */
  private async handOverPackets(packets: ReadonlyArray<{ t: string; d: unknown }>): Promise<void> {
    const events: InboundEvent[] = [];
    /** Per followed channel, the newest message id in the batch. */
    const moved = new Map<string, string>();
    const placeOfPacket = (d: { channel_id: string; guild_id?: string }): ChannelPlace =>
      d.guild_id ? { kind: 'guild', guildId: d.guild_id, ...this.parentOf(d.channel_id) } : { kind: 'dm' };
    const followed = (channelId: string, place: ChannelPlace) => place.kind === 'dm' || this.cursor.has(channelId) || this.isSupport(channelId, place);
    for (const { t, d } of packets) {
      if (t === 'MESSAGE_DELETE' || t === 'MESSAGE_DELETE_BULK') {
        // Only where we could have stored the message; the core skips ids it never stored.
        const parsed = DiscordDeleteSchema.safeParse(d);
        if (parsed.success && followed(parsed.data.channel_id, placeOfPacket(parsed.data))) {
          events.push(...normalizeDiscordDeletions(parsed.data, this.connectorId, new Date()));
        }
        continue;
      }
      const parsed = DiscordMessageSchema.safeParse(d);
      if (!parsed.success) continue;
      const m = parsed.data;
      const place = placeOfPacket(m);
      this.places.set(m.channel_id, place);
      const event = this.normalize(m, place);
      if (t === 'MESSAGE_UPDATE') {
        // A new version of an older message (kind edited): it moves no cursor.
        if (event) events.push(event);
        continue;
      }
      if (event === null && !followed(m.channel_id, place)) continue; // chatter in a channel we do not follow: not worth a cursor entry
      if (event) events.push(event);
      const newest = moved.get(m.channel_id);
      if (newest === undefined || compareIds(m.id, newest) > 0) moved.set(m.channel_id, m.id);
    }
    await this.handOver(events, this.advanced(new Map([...moved].map(([channelId, newest]) => [channelId, newest]))));
  }

  /** Reads history after the gap positions (and sets a starting point for support channels seen first). */
  private async catchUp(): Promise<void> {
    if (this.broken) return;
    const from = this.gapFrom ?? new Map<string, string>();
    this.gapFrom = null;
    const channels = [...new Set([...this.supportChannelIds, ...from.keys()])];
    for (const channelId of channels) {
      let position = from.get(channelId);
      if (position === undefined) {
        // A support channel never seen before: follow it from when we started, not from its first message.
        if (!this.cursor.has(channelId)) await this.handOver([], this.advanced(new Map([[channelId, snowflakeAt(this.startedAt)]])));
        continue;
      }
      if (!this.supportChannelIds.has(channelId) && timeOf(position) < Date.now() - FOLLOW_IDLE_DAYS * 86_400_000) {
        await this.forget(channelId);
        continue;
      }
      try {
        await this.readHistory(channelId, position, (reached) => (position = reached));
      } catch (err) {
        const error = toConnectorError(err);
        if (error.kind === 'not_found') {
          await this.forget(channelId); // the channel is gone
          continue;
        }
        if (error.kind === 'permission') continue; // no access any more: nothing we can read
        // Transient: stop here; the runtime listens again later and reads back from the stored cursor.
        this.fail(error);
        return;
      }
    }
  }

  private async readHistory(channelId: string, after: string, progress: (reached: string) => void): Promise<void> {
    const place = await this.placeOf(channelId);
    const mentionsOnly = place.kind === 'guild' && !this.isSupport(channelId, place);
    let position = after;
    for (let page = 1; ; page += 1) {
      const query = new URLSearchParams({ after: position, limit: String(PAGE_SIZE) });
      const batch = z.array(z.object({ id: z.string() }).loose()).parse(await this.call(() => this.rest.get(Routes.channelMessages(channelId), { query })));
      if (batch.length === 0) return;
      batch.sort((a, b) => compareIds(a.id, b.id)); // Discord lists newest first; we sink oldest first
      const events: InboundMessage[] = [];
      for (const raw of batch) {
        const parsed = DiscordMessageSchema.safeParse(raw);
        const event = parsed.success ? this.normalize(parsed.data, place) : null;
        if (event) events.push(event);
      }
      position = batch[batch.length - 1]!.id;
      await this.handOver(events, this.advanced(new Map([[channelId, position]])));
      progress(position);
      if (batch.length < PAGE_SIZE || (mentionsOnly && page >= MENTION_CHANNEL_MAX_PAGES)) return;
    }
  }

  private normalize(m: DiscordMessagePayload, place: ChannelPlace): InboundMessage | null {
    const botUserId = this.bot?.id;
    if (!botUserId) return null;
    let channel: DiscordChannelContext;
    if (place.kind === 'dm') channel = { kind: 'dm' };
    else {
      const locale = this.client?.guilds.cache.get(place.guildId)?.preferredLocale;
      channel = { kind: 'guild', guildId: place.guildId, support: this.isSupport(m.channel_id, place), ...(locale ? { locale } : {}) };
    }
    return normalizeDiscordMessage(m, { connectorId: this.connectorId, botUserId, channel });
  }

  private isSupport(channelId: string, place: ChannelPlace): boolean {
    if (this.supportChannelIds.has(channelId)) return true;
    return place.kind === 'guild' && place.parentId !== undefined && this.supportChannelIds.has(place.parentId);
  }

  private parentOf(channelId: string): { parentId?: string } {
    const channel = this.client?.channels.cache.get(channelId);
    const parentId = channel && !channel.isDMBased() ? channel.parentId : null;
    return parentId ? { parentId } : {};
  }

  private async placeOf(channelId: string): Promise<ChannelPlace> {
    const known = this.places.get(channelId);
    if (known) return known;
    let place: ChannelPlace;
    const cached = this.client?.channels.cache.get(channelId);
    if (cached) {
      place = cached.isDMBased() ? { kind: 'dm' } : { kind: 'guild', guildId: cached.guildId, ...(cached.parentId ? { parentId: cached.parentId } : {}) };
    } else {
      const channel = ChannelSchema.parse(await this.call(() => this.rest.get(Routes.channel(channelId))));
      // 1 = DM, 3 = group DM; everything else lives in a guild.
      place =
        channel.type === 1 || channel.type === 3 || !channel.guild_id
          ? { kind: 'dm' }
          : { kind: 'guild', guildId: channel.guild_id, ...(channel.parent_id ? { parentId: channel.parent_id } : {}) };
    }
    this.places.set(channelId, place);
    return place;
  }

  /**
   * Hands events over, with the positions they move forward. Once they are durable the positions are adopted.
   * The cursor names every followed channel (thousands of DM channels on a busy server), so serializing and
   * storing it with every delivery would cost as much as the deliveries themselves: it goes along at most every
   * CURSOR_EVERY_MS (and `now` forces it), and positions adopted meanwhile follow with the next delivery or a
   * timer. A crash in between reads a little more history back, whose repeats the core drops. A failed delivery
   * ends listen(): what was not handed over is read back from history when the runtime listens again.
   *
   * A channel followed for the first time is different: history can be read back only for channels the stored
   * cursor names, so a crash before it is stored would lose, for good, whatever the channel receives until a
   * process listens again (a DM channel cannot be found any other way). It is stored first, at a position just
   * before its first message in `events`, and only then are the events handed over.
   */
  private async handOver(events: InboundEvent[], moved: ReadonlyMap<string, string> | null, now = false): Promise<void> {
    const changes = moved && moved.size ? moved : null;
    if (events.length === 0 && !changes && !(now && this.cursorDirty)) return;
    if (this.broken || !this.session) throw new NetworkError('Discord: no longer listening.');
    const session = this.session;
    const starts = changes && this.startsOfNewChannels(changes, events);
    if (starts) await this.toSession(() => session.storeCursor(this.serializeCursor(starts)), starts, true);
    const rest = starts ? this.advanced(changes) : changes;
    if (events.length === 0 && !rest && !(now && this.cursorDirty)) return;
    const carry = (rest !== null || this.cursorDirty) && (now || Date.now() - this.cursorAt >= CURSOR_EVERY_MS);
    await this.toSession(() => session.deliver(events, carry ? this.serializeCursor(rest) : undefined), rest, carry);
  }

  /** Where channels in `changes` that the cursor does not name yet start: just before their first message. */
  private startsOfNewChannels(changes: ReadonlyMap<string, string>, events: InboundEvent[]): Map<string, string> | null {
    let starts: Map<string, string> | null = null;
    for (const [channelId, position] of changes) {
      if (this.cursor.has(channelId)) continue;
      let start = BigInt(position);
      for (const e of events) {
        if (!isDeletion(e) && e.channelId === channelId && BigInt(e.externalId) <= start) start = BigInt(e.externalId) - 1n;
      }
      (starts ??= new Map()).set(channelId, start.toString());
    }
    return starts;
  }

  /** Runs one hand-over to the session; then adopts `changes` and, when `carried`, notes the cursor as stored. */
  private async toSession(work: () => Promise<void>, changes: ReadonlyMap<string, string> | null, carried: boolean): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.fail(new NetworkError(`The inbox could not take Discord events: ${err instanceof Error ? err.message : String(err)}`));
      throw err;
    }
    if (changes) for (const [channelId, messageId] of changes) this.cursor.set(channelId, messageId);
    if (carried) {
      this.cursorDirty = false;
      this.cursorAt = Date.now();
    } else if (changes) {
      this.cursorDirty = true;
      this.cursorTimer ??= setTimeout(() => {
        this.cursorTimer = undefined;
        this.enqueue(() => this.handOver([], null, true));
      }, CURSOR_EVERY_MS);
    }
  }

  /** The cursor as stored: `{ [channelId]: lastMessageId }`, with `changes` applied. */
  private serializeCursor(changes: ReadonlyMap<string, string> | null): string {
    const positions: Record<string, unknown> = Object.fromEntries(this.cursor);
    if (changes) for (const [channelId, messageId] of changes) positions[channelId] = messageId;
    if (this.gateway) positions.gateway = { ...this.gateway };
    return JSON.stringify(positions);
  }

  /** The positions among `positions` that move a channel forward (never back); null when none does. */
  private advanced(positions: ReadonlyMap<string, string>): Map<string, string> | null {
    let moved: Map<string, string> | null = null;
    for (const [channelId, messageId] of positions) {
      const current = this.cursor.get(channelId);
      if (current !== undefined && compareIds(messageId, current) <= 0) continue;
      (moved ??= new Map()).set(channelId, messageId);
    }
    return moved;
  }

  private async forget(channelId: string): Promise<void> {
    this.places.delete(channelId);
    if (!this.cursor.delete(channelId)) return;
    this.cursorDirty = true;
    await this.handOver([], null, true);
  }

  private fail(error: ConnectorError): void {
    this.broken = true;
    this.giveUp(error);
  }

  /** Remembers the earliest position per channel that history must be read from again. */
  private markGap(from: ReadonlyMap<string, string>): void {
    const gap = (this.gapFrom ??= new Map());
    for (const [channelId, id] of from) {
      const current = gap.get(channelId);
      if (current === undefined || compareIds(id, current) < 0) gap.set(channelId, id);
    }
  }

  // ---------------------------------------------------------------------------------------------- sending

  async send(reply: OutboundReply): Promise<{ externalId: string; sentAt: Date }> {
    const body = {
      content: reply.text,
      // Same key → same nonce → Discord returns the message it already created (for a few minutes).
      nonce: nonceFor(reply.idempotencyKey),
      enforce_nonce: true,
      // An agent's text never pings @everyone, @here or roles; the customer being answered is still notified.
      allowed_mentions: { parse: ['users'], replied_user: true },
      // fail_if_not_exists false: if the customer deleted their message, the answer still goes out, unthreaded.
      ...(reply.replyToExternalId ? { message_reference: { message_id: reply.replyToExternalId, fail_if_not_exists: false } } : {}),
    };
    const sent = SentMessageSchema.parse(await this.call(() => this.rest.post(Routes.channelMessages(reply.channelId), { body })));
    return { externalId: sent.id, sentAt: new Date(sent.timestamp) };
  }

  async removePublic(ref: MessageRef): Promise<'deleted' | 'hidden' | 'not_allowed'> {
    const channelId = ref.channelId ?? ref.externalThreadId.split(':')[0];
    if (!channelId || channelId === 'dm') throw new InvalidError('removePublic needs the channel id of the message.');
    try {
      await this.call(() => this.rest.delete(Routes.channelMessage(channelId, ref.externalId)));
      return 'deleted';
    } catch (err) {
      if (err instanceof NotFoundError) return 'deleted'; // already gone (10008), or its channel is
      if (err instanceof PermissionError) return 'not_allowed'; // 50013 without MANAGE_MESSAGES; 50003 in DMs
      throw err;
    }
  }

  /** Discord lets a bot DM only users who share a guild with it and accept DMs (else 403 50007 → PermissionError). */
  async openDirect(user: PlatformUserRef, text: string): Promise<{ externalId: string; externalThreadId: string; channelId: string }> {
    const channel = ChannelSchema.parse(await this.call(() => this.rest.post(Routes.userChannels(), { body: { recipient_id: user.id } })));
    const body = { content: text, allowed_mentions: { parse: [] } };
    const sent = SentMessageSchema.parse(await this.call(() => this.rest.post(Routes.channelMessages(channel.id), { body })));
    // As normalize.ts names a DM conversation.
    return { externalId: sent.id, externalThreadId: `dm:${user.id}`, channelId: channel.id };
  }
}

/**
 * The stored cursor: `{ [channelId]: lastMessageId }` and, while a holder receives, `gateway` (its session, see
 * StoredSession). Anything unreadable starts afresh rather than failing.
 */
function parseCursor(saved: string | null): { positions: Map<string, string>; gateway: StoredSession | null } {
  let value: unknown = null;
  try {
    value = saved ? JSON.parse(saved) : null;
  } catch {
    // unreadable: start afresh
  }
  if (typeof value !== 'object' || value === null) return { positions: new Map(), gateway: null };
  const positions = new Map(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string' && /^\d+$/.test(e[1])));
  const gateway = StoredSessionSchema.safeParse((value as { gateway?: unknown }).gateway);
  return { positions, gateway: gateway.success ? gateway.data : null };
}

export function createDiscordConnector(config: DiscordConnectorConfig): DiscordConnector {
  return new DiscordConnector(config);
}

const DiscordCredentials = z.object({
  botToken: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'not a Discord bot token (three dot-separated parts, from the Developer Portal)'),
});
const DiscordSettings = z.object({
  apiBase: z.url().optional(),
  supportChannelIds: z.array(z.string().regex(/^\d{15,21}$/, 'a Discord channel id (a long number)')).default([]),
});

export const discordDefinition: ConnectorDefinition<z.infer<typeof DiscordCredentials>, z.infer<typeof DiscordSettings>> = {
  platform: 'discord',
  credentialsSchema: DiscordCredentials,
  settingsSchema: DiscordSettings,
  secretSettings: [],
  maxReplyLength: 2000,
  create: ({ connectorId, credentials, settings }) => createDiscordConnector({ connectorId, botToken: credentials.botToken, ...settings }),
};
