// A faithful, stateful, in-memory stand-in for Discord's REST API (v10) and WebSocket gateway, for tests and demo
// mode. The real discord.js client talks to it unchanged: point `rest.api` at `apiBase` and log in with `token`.
//
// What it models: one bot account, its guilds and text channels, DM channels, message history with Discord's
// pagination, replies, nonces, delete permissions, per-route rate-limit headers, and gateway sessions (Hello,
// Identify → READY + GUILD_CREATE, heartbeats, Resume with replay, Reconnect, Invalid Session, close codes).
// What it deliberately leaves out: zlib/ETF encodings (discord.js only uses them with optional packages we do not
// install), threads, embeds, reactions, voice, interactions, presences, and any account other than the one bot.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes (the subset of Discord's objects the fake produces)

export interface DiscordUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  public_flags?: number;
}

export interface DiscordAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  /** Alt text the poster wrote for it. */
  description?: string;
}

/** A forwarded message as Discord copies it into `message_snapshots[].message` (a subset of Message). */
export interface DiscordMessageSnapshot {
  message: Pick<DiscordMessage, 'type' | 'content' | 'embeds' | 'attachments' | 'timestamp' | 'edited_timestamp' | 'flags' | 'mentions' | 'mention_roles' | 'components'>;
}

export interface DiscordPoll {
  question: { text: string };
  answers: Array<{ answer_id: number; poll_media: { text: string } }>;
  expiry: string;
  allow_multiselect: boolean;
  layout_type: number;
  results?: { answer_counts: unknown[]; is_finalized: boolean };
}

export interface DiscordMessageReference {
  type?: number;
  message_id: string;
  channel_id: string;
  guild_id?: string;
}

/** A message as REST returns it. MESSAGE_CREATE adds guild_id, member, channel_type and mention members. */
export interface DiscordMessage {
  id: string;
  channel_id: string;
  author: DiscordUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: DiscordUser[];
  mention_roles: string[];
  attachments: DiscordAttachment[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  /** 0 = default, 19 = reply. */
  type: number;
  flags: number;
  nonce?: string | number;
  message_reference?: DiscordMessageReference;
  referenced_message?: DiscordMessage | null;
  /** Forwards (message_reference.type 1, flag HAS_SNAPSHOT): the forwarded message; `content` is then empty. */
  message_snapshots?: DiscordMessageSnapshot[];
  poll?: DiscordPoll;
}

/** MessageFlags.HAS_SNAPSHOT: the message is a forward. */
const HAS_SNAPSHOT = 1 << 14;

export interface DiscordFakeUserInput {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface DiscordFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  bot?: { id: string; username: string };
  guilds?: Array<{
    id: string;
    name: string;
    channels: Array<{ id: string; name: string }>;
    /** Whether the bot's role grants MANAGE_MESSAGES (needed to delete other people's messages). Default true. */
    botCanManageMessages?: boolean;
    /** The guild's preferred locale (GUILD_CREATE.preferred_locale). Default 'en-US'. */
    preferredLocale?: string;
  }>;
  heartbeatIntervalMs?: number;
  /** How long a disconnected gateway session stays resumable. Default 120 s. */
  resumeWindowMs?: number;
  /** How long a nonce sent with enforce_nonce is remembered ("a few minutes" on Discord). Default 5 min. */
  nonceWindowMs?: number;
  /** Per-route bucket size; generous by default so tests never wait on it. Default 50 requests per 1 s. */
  rateLimit?: { limit: number; windowSec: number };
}

/** Scripted failures for the next matching REST requests (`times` defaults to 1). */
export type DiscordFault = { method?: string; pathPrefix?: string; times?: number } & (
  | { kind: 'rate_limit'; retryAfterSec: number; global?: boolean; scope?: 'user' | 'global' | 'shared' }
  | { kind: 'server_error'; status?: number }
  | { kind: 'unauthorized' }
  /** The connection is cut without any answer (ECONNRESET-like). */
  | { kind: 'reset' }
  /** The answer comes `ms` late (to trip client timeouts); it still comes. */
  | { kind: 'delay'; ms: number }
);

export interface RecordedRequest {
  method: string;
  /** Path below /api/v10, without the query string, e.g. "/channels/1300000000000000001/messages". */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or `payload_json` of a multipart body; undefined when there was none. */
  body: unknown;
  at: number;
}

/** Ids used when no options are given; tests and demo mode can import them. */
export const DISCORD_FAKE_DEFAULTS = {
  token: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.fake-discord-bot-token-for-local-tests',
  bot: { id: '1100000000000000001', username: 'WalletSupport' },
  guild: {
    id: '1200000000000000001',
    name: 'Wallet Community',
    channels: [
      { id: '1300000000000000001', name: 'support' },
      { id: '1300000000000000002', name: 'general' },
    ],
    botCanManageMessages: true,
  },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Constants from Discord's documentation

const API_PREFIX = '/api/v10';
const DISCORD_EPOCH = 1420070400000n;
const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 } as const;
const Permission = {
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
} as const;
const EVERYONE_PERMISSIONS =
  Permission.AddReactions | Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.AttachFiles | Permission.ReadMessageHistory;
const MAX_CONTENT_LENGTH = 2000;
const REPLAY_BUFFER_SIZE = 1000;
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Discord's JSON error bodies, by name. */
const Errors = {
  unauthorized: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  notFound: { status: 404, body: { message: '404: Not Found', code: 0 } },
  methodNotAllowed: { status: 405, body: { message: '405: Method Not Allowed', code: 0 } },
  unknownChannel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  unknownMessage: { status: 404, body: { message: 'Unknown Message', code: 10008 } },
  unknownUser: { status: 404, body: { message: 'Unknown User', code: 10013 } },
  missingPermissions: { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
  dmNotOwn: { status: 403, body: { message: 'Cannot execute action on a DM channel', code: 50003 } },
  cannotDm: { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } },
  emptyMessage: { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
  invalidJson: { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } },
  tooLarge: { status: 413, body: { message: 'Request entity too large', code: 40005 } },
  internal: { status: 500, body: { message: '500: Internal Server Error', code: 0 } },
} as const;

function invalidFormBody(field: string, code: string, message: string) {
  return {
    status: 400,
    body: { message: 'Invalid Form Body', code: 50035, errors: { [field]: { _errors: [{ code, message }] } } },
  };
}

class HttpFailure extends Error {
  constructor(readonly failure: { status: number; body: unknown }) {
    super(`HTTP ${failure.status}`);
  }
}

const fail = (failure: { status: number; body: unknown }): never => {
  throw new HttpFailure(failure);
};

const compareIds = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

// ---------------------------------------------------------------------------------------------------------------
// Internal state

interface ChannelState {
  id: string;
  type: 0 | 1;
  name?: string;
  guildId?: string;
  /** DM channels only: the customer on the other end. */
  recipient?: DiscordUser;
  /** Oldest first (ids increase with time). */
  messages: DiscordMessage[];
}

interface GuildState {
  id: string;
  name: string;
  channelIds: string[];
  botCanManageMessages: boolean;
  preferredLocale: string;
  ownerId: string;
  botRoleId: string;
  joinedAt: string;
}

interface GatewayDispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface GatewayConnection {
  ws: WebSocket;
  session: GatewaySession | null;
}

interface GatewaySession {
  id: string;
  seq: number;
  intents: number;
  /** Recent dispatches, for Resume (op 6). */
  buffer: GatewayDispatch[];
  connection: GatewayConnection | null;
  disconnectedAt: number | null;
}

interface Bucket {
  count: number;
  resetAt: number;
}

export class DiscordFake {
  readonly token: string;
  readonly bot: DiscordUser;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Identify (op 2) and Resume (op 6) payloads accepted so far. */
  identifies = 0;
  resumes = 0;

  private readonly heartbeatIntervalMs: number;
  private readonly resumeWindowMs: number;
  private readonly nonceWindowMs: number;
  private readonly rateLimit: { limit: number; windowSec: number };
  private readonly guilds = new Map<string, GuildState>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly users = new Map<string, DiscordUser>();
  private readonly dmClosed = new Set<string>();
  private readonly deletedMessages: Array<{ channelId: string; messageId: string }> = [];
  private readonly nonces = new Map<string, { messageId: string; channelId: string; at: number }>();
  private readonly buckets = new Map<string, Bucket>();
  private faults: Array<DiscordFault & { remaining: number }> = [];
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<GatewayConnection>();
  private online = true;
  private lastSnowflake = 0n;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly options: DiscordFakeOptions = {}) {
    this.token = options.token ?? DISCORD_FAKE_DEFAULTS.token;
    const bot = options.bot ?? DISCORD_FAKE_DEFAULTS.bot;
    this.bot = { id: bot.id, username: bot.username, discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 };
    this.users.set(this.bot.id, this.bot);
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.resumeWindowMs = options.resumeWindowMs ?? 120_000;
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.rateLimit = options.rateLimit ?? { limit: 50, windowSec: 1 };
    const guilds = options.guilds ?? [
      { ...DISCORD_FAKE_DEFAULTS.guild, channels: DISCORD_FAKE_DEFAULTS.guild.channels.map((c) => ({ ...c })) },
    ];
    for (const g of guilds) {
      const guild: GuildState = {
        id: g.id,
        name: g.name,
        channelIds: g.channels.map((c) => c.id),
        botCanManageMessages: g.botCanManageMessages ?? true,
        preferredLocale: g.preferredLocale ?? 'en-US',
        ownerId: this.nextId(),
        botRoleId: this.nextId(),
        joinedAt: new Date().toISOString(),
      };
      this.guilds.set(guild.id, guild);
      for (const c of g.channels) this.channels.set(c.id, { id: c.id, type: 0, name: c.name, guildId: g.id, messages: [] });
    }
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handleHttp(req, res));
    // Track sockets so stop() never waits on a keep-alive connection held by undici.
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path !== '/' && path !== '/resume') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, req));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    this.connections.clear();
    this.wss?.close();
    const server = this.server;
    this.server = null;
    this.wss = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** For discord.js `rest.api`: 'http://127.0.0.1:P/api'. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  // ------------------------------------------------------------------------------------------------ customers acting

  /** A customer posts in a guild text channel. */
  userPosts(
    channelId: string,
    author: DiscordFakeUserInput,
    content: string,
    opts: { mentionBot?: boolean; replyToMessageId?: string } = {},
  ): DiscordMessage {
    const channel = this.channels.get(channelId);
    if (!channel || channel.type !== 0) throw new Error(`DiscordFake: no guild text channel ${channelId}`);
    const user = this.registerUser(author);
    const text = opts.mentionBot && !content.includes(`<@${this.bot.id}>`) ? `<@${this.bot.id}> ${content}` : content;
    let reference: DiscordMessage | undefined;
    if (opts.replyToMessageId) {
      reference = channel.messages.find((m) => m.id === opts.replyToMessageId);
      if (!reference) throw new Error(`DiscordFake: no message ${opts.replyToMessageId} in channel ${channelId}`);
    }
    const message = this.createMessage(channel, user, text, { reference });
    return structuredClone(message);
  }

  /**
   * A customer forwards a message into a guild text channel (Discord's message forwarding): the new message has
   * empty content, flag HAS_SNAPSHOT, a message_reference of type 1 and the forwarded text and attachments in
   * message_snapshots[0].message. discord.js does not surface snapshots; the raw gateway payload has them.
   */
  userForwards(channelId: string, author: DiscordFakeUserInput, forwarded: { content: string; attachments?: Array<{ filename: string; description?: string }> }): DiscordMessage {
    const channel = this.guildTextChannel(channelId);
    const user = this.registerUser(author);
    const attachments = (forwarded.attachments ?? []).map((a) => this.attachment(channel.id, a.filename, a.description));
    const source = { message_id: this.nextId(), channel_id: channel.id, ...(channel.guildId ? { guild_id: channel.guildId } : {}) };
    const snapshot: DiscordMessageSnapshot = {
      message: {
        type: 0,
        content: forwarded.content,
        embeds: [],
        attachments,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
        edited_timestamp: null,
        flags: 0,
        mentions: [],
        mention_roles: [],
        components: [],
      },
    };
    return structuredClone(this.createMessage(channel, user, '', { forward: { reference: { type: 1, ...source }, snapshot } }));
  }

  /** A customer posts a poll (content empty, the question and answers in `poll`). */
  userPostsPoll(channelId: string, author: DiscordFakeUserInput, question: string, answers: string[]): DiscordMessage {
    const channel = this.guildTextChannel(channelId);
    const user = this.registerUser(author);
    const poll: DiscordPoll = {
      question: { text: question },
      answers: answers.map((text, i) => ({ answer_id: i + 1, poll_media: { text } })),
      expiry: new Date(Date.now() + 86_400_000).toISOString(),
      allow_multiselect: false,
      layout_type: 1,
      results: { answer_counts: [], is_finalized: false },
    };
    return structuredClone(this.createMessage(channel, user, '', { poll }));
  }

  /**
   * The author edits their message: new content, `edited_timestamp` set, mentions recomputed, and a MESSAGE_UPDATE
   * carrying the whole message (as Discord sends it since 2024), content blanked without the MESSAGE_CONTENT intent.
   */
  userEdits(channelId: string, messageId: string, content: string): DiscordMessage {
    const channel = this.channels.get(channelId);
    const message = channel?.messages.find((m) => m.id === messageId);
    if (!channel || !message || message.author.id === this.bot.id) throw new Error(`DiscordFake: no customer message ${messageId} in channel ${channelId}`);
    message.content = content;
    message.edited_timestamp = new Date().toISOString();
    message.mentions = this.mentionsFor(content, message.author, message.referenced_message ?? undefined);
    this.dispatchMessage('MESSAGE_UPDATE', channel, message);
    return structuredClone(message);
  }

  /** Discord resolving a link preview: a MESSAGE_UPDATE with embeds and the previous edited_timestamp. Not an edit. */
  embedsResolved(channelId: string, messageId: string): void {
    const channel = this.channels.get(channelId);
    const message = channel?.messages.find((m) => m.id === messageId);
    if (!channel || !message) throw new Error(`DiscordFake: no message ${messageId} in channel ${channelId}`);
    message.embeds = [{ type: 'link', url: 'https://example.com/', title: 'Example Domain' }];
    this.dispatchMessage('MESSAGE_UPDATE', channel, message);
  }

  /** The author deletes their message: gone from history, and a MESSAGE_DELETE (id, channel_id, guild_id). */
  userDeletes(channelId: string, messageId: string): void {
    const channel = this.channels.get(channelId);
    if (!channel?.messages.some((m) => m.id === messageId)) throw new Error(`DiscordFake: no message ${messageId} in channel ${channelId}`);
    channel.messages = channel.messages.filter((m) => m.id !== messageId);
    this.dispatchDelete(channel, messageId);
  }

  private guildTextChannel(channelId: string): ChannelState {
    const channel = this.channels.get(channelId);
    if (!channel || channel.type !== 0) throw new Error(`DiscordFake: no guild text channel ${channelId}`);
    return channel;
  }

  private attachment(channelId: string, filename: string, description?: string): DiscordAttachment {
    const id = this.nextId();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: 1024, url, proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'), ...(description ? { description } : {}) };
  }

  /** A customer writes to the bot privately; the DM channel is created on first use. */
  userSendsDm(author: DiscordFakeUserInput, content: string): DiscordMessage {
    const user = this.registerUser(author);
    const channel = this.dmChannelFor(user);
    return structuredClone(this.createMessage(channel, user, content, {}));
  }

  /** Whether the user accepts DMs from the bot (Discord answers 50007 when not). */
  setUserAcceptsDms(userId: string, accepts: boolean): void {
    if (accepts) this.dmClosed.delete(userId);
    else this.dmClosed.add(userId);
  }

  // ------------------------------------------------------------------------------------------------ gateway control

  /** Closes every gateway socket. Without a code the close is abnormal (1006), so discord.js resumes. */
  dropConnections(code?: number): void {
    for (const c of [...this.connections]) {
      // Detach at once: the socket's own 'close' event comes a tick later, and a post made right after this call
      // must already count as "missed" (queued for Resume), not as delivered.
      this.detach(c);
      if (code === undefined) c.ws.terminate();
      else c.ws.close(code);
    }
  }

  /** Op 7: every connected client should reconnect and resume. */
  requestReconnect(): void {
    for (const c of this.connections) this.sendRaw(c, { op: 7, d: null, s: null, t: null });
  }

  /** Op 9. When not resumable the sessions are forgotten, so the clients identify again. */
  invalidateSession(resumable: boolean): void {
    for (const c of this.connections) {
      if (!c.session) continue;
      this.sendRaw(c, { op: 9, d: resumable, s: null, t: null });
      if (!resumable) {
        this.sessions.delete(c.session.id);
        c.session = null;
      }
    }
  }

  /**
   * Offline simulates a gateway outage: new connections are closed at once, and events are not queued for
   * disconnected sessions (messages posted meanwhile exist only in channel history). REST keeps working.
   */
  setOnline(online: boolean): void {
    this.online = online;
  }

  /** Connected, identified gateway sockets. */
  get liveSessions(): number {
    let n = 0;
    for (const c of this.connections) if (c.session) n += 1;
    return n;
  }

  // ------------------------------------------------------------------------------------------------ assertions

  channelMessages(channelId: string): DiscordMessage[] {
    return structuredClone(this.channels.get(channelId)?.messages ?? []);
  }

  botMessages(): DiscordMessage[] {
    const all: DiscordMessage[] = [];
    for (const c of this.channels.values()) for (const m of c.messages) if (m.author.id === this.bot.id) all.push(m);
    return structuredClone(all.sort((a, b) => compareIds(a.id, b.id)));
  }

  deleted(): Array<{ channelId: string; messageId: string }> {
    return [...this.deletedMessages];
  }

  /** The DM channel id between the bot and a user, if one exists. */
  dmChannelId(userId: string): string | undefined {
    for (const c of this.channels.values()) if (c.type === 1 && c.recipient?.id === userId) return c.id;
    return undefined;
  }

  setBotCanManageMessages(guildId: string, can: boolean): void {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`DiscordFake: no guild ${guildId}`);
    guild.botCanManageMessages = can;
    // Real Discord tells connected clients, so their permission caches stay true.
    this.broadcast('GUILD_ROLE_UPDATE', Intent.Guilds, () => ({ guild_id: guild.id, role: this.botRole(guild) }));
  }

  injectFault(fault: DiscordFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  // ------------------------------------------------------------------------------------------------ model helpers

  /** Snowflakes carry their creation time (discord.js derives timestamps from them) and always increase. */
  private nextId(at = Date.now()): string {
    let id = (BigInt(at) - DISCORD_EPOCH) << 22n;
    if (id <= this.lastSnowflake) id = this.lastSnowflake + 1n;
    this.lastSnowflake = id;
    return id.toString();
  }

  private registerUser(input: DiscordFakeUserInput): DiscordUser {
    const user: DiscordUser = {
      id: input.id,
      username: input.username,
      discriminator: '0',
      global_name: input.global_name ?? null,
      avatar: null,
      public_flags: 0,
    };
    this.users.set(user.id, user);
    return user;
  }

  private dmChannelFor(user: DiscordUser): ChannelState {
    for (const c of this.channels.values()) if (c.type === 1 && c.recipient?.id === user.id) return c;
    const channel: ChannelState = { id: this.nextId(), type: 1, recipient: user, messages: [] };
    this.channels.set(channel.id, channel);
    return channel;
  }

  private botRole(guild: GuildState) {
    return {
      id: guild.botRoleId,
      name: this.bot.username,
      color: 0,
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 1,
      permissions: String(guild.botCanManageMessages ? Permission.ManageMessages : 0n),
      managed: true,
      mentionable: false,
      flags: 0,
      tags: { bot_id: this.bot.id },
    };
  }

  private everyoneRole(guild: GuildState) {
    return {
      id: guild.id,
      name: '@everyone',
      color: 0,
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: String(EVERYONE_PERMISSIONS),
      managed: false,
      mentionable: false,
      flags: 0,
    };
  }

  private channelObject(c: ChannelState) {
    const lastMessageId = c.messages.at(-1)?.id ?? null;
    if (c.type === 1) return { id: c.id, type: 1, last_message_id: lastMessageId, flags: 0, recipients: [c.recipient] };
    return {
      id: c.id,
      type: 0,
      guild_id: c.guildId,
      name: c.name,
      position: this.guilds.get(c.guildId!)?.channelIds.indexOf(c.id) ?? 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: lastMessageId,
      flags: 0,
    };
  }

  private member(joinedAt: string, roles: string[] = []) {
    return { roles, joined_at: joinedAt, deaf: false, mute: false, flags: 0, nick: null, avatar: null, premium_since: null, pending: false };
  }

  private guildCreate(guild: GuildState) {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      unavailable: false,
      preferred_locale: guild.preferredLocale,
      afk_channel_id: null,
      afk_timeout: 300,
      system_channel_id: null,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      vanity_url_code: null,
      application_id: null,
      features: [],
      roles: [this.everyoneRole(guild), this.botRole(guild)],
      channels: guild.channelIds.map((id) => {
        const { guild_id: _omitted, ...channel } = this.channelObject(this.channels.get(id)!) as { guild_id?: string };
        return channel;
      }),
      threads: [],
      members: [{ ...this.member(guild.joinedAt, [guild.botRoleId]), user: this.bot }],
      member_count: 2,
      large: false,
      joined_at: guild.joinedAt,
      emojis: [],
      stickers: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Users named by <@id> in the content, plus the replied-to author (Discord pings them by default). */
  private mentionsFor(content: string, author: DiscordUser, reference: DiscordMessage | undefined): DiscordUser[] {
    const found = new Map<string, DiscordUser>();
    for (const match of content.matchAll(/<@!?(\d{15,21})>/g)) {
      const user = this.users.get(match[1]!);
      if (user) found.set(user.id, user);
    }
    if (reference && reference.author.id !== author.id) found.set(reference.author.id, reference.author);
    return [...found.values()];
  }

  private createMessage(
    channel: ChannelState,
    author: DiscordUser,
    content: string,
    extra: {
      reference?: DiscordMessage;
      nonce?: string | number;
      attachments?: DiscordAttachment[];
      forward?: { reference: DiscordMessageReference; snapshot: DiscordMessageSnapshot };
      poll?: DiscordPoll;
    },
  ): DiscordMessage {
    const id = this.nextId();
    const message: DiscordMessage = {
      id,
      channel_id: channel.id,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: this.mentionsFor(content, author, extra.reference),
      mention_roles: [],
      attachments: extra.attachments ?? [],
      embeds: [],
      components: [],
      pinned: false,
      type: extra.reference ? 19 : 0,
      flags: extra.forward ? HAS_SNAPSHOT : 0,
    };
    if (extra.nonce !== undefined) message.nonce = extra.nonce;
    if (extra.forward) {
      message.message_reference = extra.forward.reference;
      message.message_snapshots = [extra.forward.snapshot];
    }
    if (extra.poll) message.poll = extra.poll;
    if (extra.reference) {
      message.message_reference = {
        type: 0,
        message_id: extra.reference.id,
        channel_id: channel.id,
        ...(channel.guildId ? { guild_id: channel.guildId } : {}),
      };
      // Discord nests the replied message one level deep only.
      const { referenced_message: _nested, ...referenced } = extra.reference;
      message.referenced_message = referenced;
    }
    channel.messages.push(message);
    this.dispatchMessage('MESSAGE_CREATE', channel, message);
    return message;
  }

  /** MESSAGE_CREATE or MESSAGE_UPDATE: the message plus guild_id, member and channel_type, per session's intents. */
  private dispatchMessage(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', channel: ChannelState, message: DiscordMessage): void {
    const guild = channel.guildId ? this.guilds.get(channel.guildId) : undefined;
    const intent = guild ? Intent.GuildMessages : Intent.DirectMessages;
    this.broadcast(t, intent, (session) => {
      const payload: Record<string, unknown> = { ...structuredClone(message), channel_type: channel.type };
      if (guild) {
        const rolesOf = (userId: string) => (userId === this.bot.id ? [guild.botRoleId] : []);
        payload.guild_id = guild.id;
        payload.member = this.member(guild.joinedAt, rolesOf(message.author.id));
        payload.mentions = message.mentions.map((u) => ({ ...u, member: this.member(guild.joinedAt, rolesOf(u.id)) }));
      }
      // MESSAGE_CONTENT is privileged: without it Discord blanks the content of guild messages, except the bot's
      // own and those that mention it.
      const privileged =
        (session.intents & Intent.MessageContent) !== 0 ||
        !guild ||
        message.author.id === this.bot.id ||
        message.mentions.some((u) => u.id === this.bot.id);
      if (!privileged) Object.assign(payload, { content: '', embeds: [], attachments: [], components: [], ...(message.poll ? { poll: undefined } : {}), ...(message.message_snapshots ? { message_snapshots: [] } : {}) });
      return payload;
    });
  }

  // ------------------------------------------------------------------------------------------------ gateway

  private sendRaw(c: GatewayConnection, payload: unknown): void {
    // Text frames only: discord.js treats binary frames as compressed and drops them.
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(payload), { binary: false });
  }

  private expired(session: GatewaySession, now = Date.now()): boolean {
    return session.connection === null && session.disconnectedAt !== null && now - session.disconnectedAt > this.resumeWindowMs;
  }

  /**
   * Sends a dispatch to every session whose intents include `intent`. Disconnected sessions still queue it for a
   * later Resume, as Discord does, except during an outage (setOnline(false)).
   */
  private broadcast(t: string, intent: number, build: (session: GatewaySession) => unknown): void {
    for (const session of [...this.sessions.values()]) {
      if (this.expired(session)) {
        this.sessions.delete(session.id);
        continue;
      }
      if ((session.intents & intent) === 0) continue;
      if (!session.connection && !this.online) continue;
      this.dispatch(session, t, build(session));
    }
  }

  private dispatch(session: GatewaySession, t: string, d: unknown): void {
    session.seq += 1;
    const payload: GatewayDispatch = { op: 0, t, s: session.seq, d };
    session.buffer.push(payload);
    if (session.buffer.length > REPLAY_BUFFER_SIZE) session.buffer.shift();
    if (session.connection) this.sendRaw(session.connection, payload);
  }

  private onGatewayConnection(ws: WebSocket, req: IncomingMessage): void {
    if (!this.online) {
      ws.terminate();
      return;
    }
    const query = new URL(req.url ?? '/', 'http://fake').searchParams;
    if (query.get('v') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const conn: GatewayConnection = { ws, session: null };
    this.connections.add(conn);
    ws.on('error', () => {});
    ws.on('close', (code) => this.detach(conn, code));
    ws.on('message', (data, isBinary) => this.onGatewayMessage(conn, data, isBinary));
    this.sendRaw(conn, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['["fake-gateway",{}]'] }, s: null, t: null });
  }

  /**
   * A connection is gone. Its session stays resumable for resumeWindowMs, unless the client closed it with 1000 or
   * 1001: Discord then ends the session ("your session will be invalidated and your bot will appear offline").
   */
  private detach(conn: GatewayConnection, closeCode?: number): void {
    this.connections.delete(conn);
    if (conn.session?.connection !== conn) return;
    if (closeCode === 1000 || closeCode === 1001) {
      this.sessions.delete(conn.session.id);
      conn.session = null;
      return;
    }
    conn.session.connection = null;
    conn.session.disconnectedAt = Date.now();
  }

  private onGatewayMessage(conn: GatewayConnection, data: RawData, isBinary: boolean): void {
    if (isBinary) return conn.ws.close(4002, 'Error while decoding payload.');
    let payload: { op?: unknown; d?: any };
    try {
      payload = JSON.parse(data.toString());
    } catch {
      return conn.ws.close(4002, 'Error while decoding payload.');
    }
    switch (payload.op) {
      case 1: // Heartbeat
        return this.sendRaw(conn, { op: 11, d: null, s: null, t: null });
      case 2:
        return this.identify(conn, payload.d);
      case 6:
        return this.resume(conn, payload.d);
      case 3: // Presence Update
      case 4: // Voice State Update
      case 8: // Request Guild Members
        if (!conn.session) return conn.ws.close(4003, 'Not authenticated.');
        return;
      default:
        return conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private identify(conn: GatewayConnection, d: { token?: unknown; intents?: unknown; shard?: unknown } | undefined): void {
    if (conn.session) return conn.ws.close(4005, 'Already authenticated.');
    if (!d || d.token !== this.token) return conn.ws.close(4004, 'Authentication failed.');
    if (typeof d.intents !== 'number') return conn.ws.close(4013, 'Invalid intent(s).');
    if (Array.isArray(d.shard) && (d.shard[0] !== 0 || d.shard[1] !== 1)) return conn.ws.close(4010, 'Invalid shard.');
    this.identifies += 1;
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      intents: d.intents,
      buffer: [],
      connection: conn,
      disconnectedAt: null,
    };
    this.sessions.set(session.id, session);
    conn.session = session;
    const guilds = [...this.guilds.values()].filter(() => (session.intents & Intent.Guilds) !== 0);
    this.dispatch(session, 'READY', {
      v: 10,
      user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: `${this.gatewayUrl}/resume`,
      shard: [0, 1],
      application: { id: this.bot.id, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['["fake-gateway",{}]'],
    });
    for (const guild of guilds) this.dispatch(session, 'GUILD_CREATE', this.guildCreate(guild));
  }

  private resume(conn: GatewayConnection, d: { token?: unknown; session_id?: unknown; seq?: unknown } | undefined): void {
    if (!d || d.token !== this.token) return conn.ws.close(4004, 'Authentication failed.');
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.buffer[0]?.s ?? (session ? session.seq + 1 : 0);
    if (!session || this.expired(session) || seq < oldest - 1) {
      if (session) this.sessions.delete(session.id);
      conn.session = null;
      return this.sendRaw(conn, { op: 9, d: false, s: null, t: null });
    }
    if (seq > session.seq) return conn.ws.close(4007, 'Invalid seq.');
    // The session moves to this socket; a zombie socket still holding it is cut.
    if (session.connection && session.connection !== conn) session.connection.ws.terminate();
    session.connection = conn;
    session.disconnectedAt = null;
    conn.session = session;
    this.resumes += 1;
    for (const missed of session.buffer) if (missed.s > seq) this.sendRaw(conn, missed);
    this.dispatch(session, 'RESUMED', { _trace: ['["fake-gateway",{}]'] });
  }

  // ------------------------------------------------------------------------------------------------ REST

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = (req.method ?? 'GET').toUpperCase();
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch {
        return this.respond(res, Errors.tooLarge.status, Errors.tooLarge.body);
      }
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) return this.respond(res, Errors.notFound.status, Errors.notFound.body);
      // discord.js percent-encodes '@' in '/users/@me'.
      const path = decodeURIComponent(url.pathname.slice(API_PREFIX.length));
      const query = Object.fromEntries(url.searchParams);
      let parsed: ParsedBody;
      try {
        parsed = parseBody(raw, req.headers['content-type']);
      } catch {
        this.requests.push({ method, path, query, body: raw.toString('utf8'), at: Date.now() });
        return this.respond(res, Errors.invalidJson.status, Errors.invalidJson.body);
      }
      this.requests.push({ method, path, query, body: parsed.json, at: Date.now() });

      const fault = this.takeFault(method, path);
      if (fault && (await this.applyFault(fault, res))) return;

      const isPublic = method === 'GET' && path === '/gateway';
      if (!isPublic && req.headers.authorization !== `Bot ${this.token}`) {
        return this.respond(res, Errors.unauthorized.status, Errors.unauthorized.body);
      }
      const bucket = this.takeBucket(method, path);
      if (bucket.limited) return this.respondRateLimited(res, bucket.resetAfterSec, false, 'user', bucket.headers);
      const { status, body } = this.route(method, path, query, parsed);
      this.respond(res, status, body, bucket.headers);
    } catch (err) {
      const failure = err instanceof HttpFailure ? err.failure : Errors.internal;
      if (!(err instanceof HttpFailure)) console.error('DiscordFake: unexpected error', err);
      this.respond(res, failure.status, failure.body);
    }
  }

  private respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (status === 204 || body === undefined) {
      // Discord answers 204 with no body and no JSON content type.
      res.writeHead(status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private respondRateLimited(
    res: ServerResponse,
    retryAfterSec: number,
    global: boolean,
    scope: string,
    headers: Record<string, string> = {},
  ): void {
    // @discordjs/rest reads only these headers; without them it would retry at once, for ever.
    const h: Record<string, string> = {
      ...headers,
      'Retry-After': String(retryAfterSec),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset-After': String(retryAfterSec),
      'X-RateLimit-Reset': String((Date.now() + retryAfterSec * 1000) / 1000),
      'X-RateLimit-Scope': scope,
    };
    if (!h['X-RateLimit-Limit']) h['X-RateLimit-Limit'] = String(this.rateLimit.limit);
    if (global) h['X-RateLimit-Global'] = 'true';
    this.respond(res, 429, { message: 'You are being rate limited.', retry_after: retryAfterSec, global }, h);
  }

  private takeFault(method: string, path: string): (DiscordFault & { remaining: number }) | undefined {
    const fault = this.faults.find(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathPrefix || path.startsWith(f.pathPrefix)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  /** Returns true when the fault answered (or cut) the request itself. */
  private async applyFault(fault: DiscordFault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'rate_limit':
        this.respondRateLimited(res, fault.retryAfterSec, fault.global ?? false, fault.scope ?? (fault.global ? 'global' : 'user'));
        return true;
      case 'server_error': {
        const status = fault.status ?? 500;
        this.respond(res, status, { message: `${status}: Internal Server Error`, code: 0 });
        return true;
      }
      case 'unauthorized':
        this.respond(res, Errors.unauthorized.status, Errors.unauthorized.body);
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return res.socket?.destroyed ?? true;
    }
  }

  /** A simple fixed-window bucket per route and major parameter, reported with Discord's headers. */
  private takeBucket(method: string, path: string): { limited: boolean; resetAfterSec: number; headers: Record<string, string> } {
    const major = /^\/channels\/(\d+)/.exec(path)?.[1] ?? 'global';
    const route = `${method} ${path.replace(/\/\d{15,21}/g, '/:id')}`;
    const key = `${route}|${major}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { count: 0, resetAt: now + this.rateLimit.windowSec * 1000 };
      this.buckets.set(key, bucket);
    }
    bucket.count += 1;
    const resetAfterSec = Math.max(0, (bucket.resetAt - now) / 1000);
    const headers = {
      'X-RateLimit-Limit': String(this.rateLimit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, this.rateLimit.limit - bucket.count)),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfterSec.toFixed(3),
      'X-RateLimit-Bucket': createHash('sha1').update(route).digest('hex').slice(0, 16),
    };
    return { limited: bucket.count > this.rateLimit.limit, resetAfterSec: Number(resetAfterSec.toFixed(3)), headers };
  }

  private route(method: string, path: string, query: Record<string, string>, body: ParsedBody): { status: number; body?: unknown } {
    const parts = path.split('/').filter(Boolean);
    const [a, b, c, d] = parts;
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) fail(Errors.methodNotAllowed);
    };
    if (a === 'gateway' && parts.length === 1) {
      allow('GET');
      return { status: 200, body: { url: this.gatewayUrl } };
    }
    if (a === 'gateway' && b === 'bot' && parts.length === 2) {
      allow('GET');
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: Math.max(1, 1000 - this.identifies), reset_after: 86_400_000, max_concurrency: 1 },
        },
      };
    }
    if (a === 'users' && b === '@me' && parts.length === 2) {
      allow('GET');
      return { status: 200, body: { ...this.bot, verified: true, mfa_enabled: false, flags: 0, locale: 'en-US', email: null } };
    }
    if (a === 'users' && b === '@me' && c === 'channels' && parts.length === 3) {
      allow('POST');
      return this.createDm(body.json);
    }
    if (a === 'channels' && b) {
      const channel = this.channels.get(b) ?? fail(Errors.unknownChannel);
      if (parts.length === 2) {
        allow('GET');
        return { status: 200, body: this.channelObject(channel) };
      }
      if (c === 'messages' && parts.length === 3) {
        allow('GET', 'POST');
        if (method === 'GET') return { status: 200, body: this.history(channel, query) };
        return this.postMessage(channel, body);
      }
      if (c === 'messages' && d && parts.length === 4) {
        allow('GET', 'DELETE');
        const message = channel.messages.find((m) => m.id === d) ?? fail(Errors.unknownMessage);
        if (method === 'GET') return { status: 200, body: message };
        return this.deleteMessage(channel, message);
      }
    }
    return fail(Errors.notFound);
  }

  /** GET /channels/:id/messages: newest first, like Discord, whichever of around/before/after is used. */
  private history(channel: ChannelState, query: Record<string, string>): DiscordMessage[] {
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1) fail(invalidFormBody('limit', 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 1.'));
    if (limit > 100) fail(invalidFormBody('limit', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.'));
    for (const key of ['around', 'before', 'after'] as const) {
      if (query[key] !== undefined && !/^\d{1,20}$/.test(query[key])) fail(invalidFormBody(key, 'NUMBER_TYPE_COERCE', `Value "${query[key]}" is not snowflake.`));
    }
    const all = channel.messages; // oldest first
    let slice: DiscordMessage[];
    if (query.around !== undefined) {
      let at = all.findIndex((m) => compareIds(m.id, query.around!) >= 0);
      if (at < 0) at = all.length;
      const start = Math.max(0, at - Math.floor(limit / 2));
      slice = all.slice(start, start + limit);
    } else if (query.before !== undefined) {
      const older = all.filter((m) => compareIds(m.id, query.before!) < 0);
      slice = older.slice(-limit);
    } else if (query.after !== undefined) {
      // The `limit` messages right after the id (so paging forward works), still returned newest first.
      slice = all.filter((m) => compareIds(m.id, query.after!) > 0).slice(0, limit);
    } else {
      slice = all.slice(-limit);
    }
    return [...slice].reverse();
  }

  private postMessage(channel: ChannelState, body: ParsedBody): { status: number; body: unknown } {
    const json = (body.json ?? {}) as {
      content?: unknown;
      nonce?: unknown;
      enforce_nonce?: unknown;
      message_reference?: { message_id?: unknown; fail_if_not_exists?: unknown } | null;
    };
    if (typeof json !== 'object' || Array.isArray(json)) fail(invalidFormBody('_errors', 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    const content = json.content === undefined || json.content === null ? '' : json.content;
    if (typeof content !== 'string') fail(invalidFormBody('content', 'BASE_TYPE_BAD_TYPE', 'Must be a string.'));
    const text = content as string;
    if (text.length > MAX_CONTENT_LENGTH) {
      fail(invalidFormBody('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT_LENGTH} or fewer in length.`));
    }
    const nonce = json.nonce;
    if (nonce !== undefined && nonce !== null) {
      const ok = (typeof nonce === 'string' && nonce.length <= 25) || (typeof nonce === 'number' && Number.isInteger(nonce));
      if (!ok) fail(invalidFormBody('nonce', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.'));
    }
    if (text.trim() === '' && body.files.length === 0) fail(Errors.emptyMessage);
    if (channel.type === 1 && channel.recipient && this.dmClosed.has(channel.recipient.id)) fail(Errors.cannotDm);

    // enforce_nonce: the same nonce from the same author within the window returns the first message.
    const enforce = json.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number');
    const nonceKey = `${this.bot.id}:${String(nonce)}`;
    if (enforce) {
      const seen = this.nonces.get(nonceKey);
      if (seen && Date.now() - seen.at <= this.nonceWindowMs) {
        const original = this.channels.get(seen.channelId)?.messages.find((m) => m.id === seen.messageId);
        if (original) return { status: 200, body: original };
      }
    }

    let reference: DiscordMessage | undefined;
    const ref = json.message_reference;
    if (ref && ref.message_id !== undefined) {
      reference = channel.messages.find((m) => m.id === String(ref.message_id));
      if (!reference && ref.fail_if_not_exists !== false) {
        fail(invalidFormBody('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message'));
      }
    }
    const attachments: DiscordAttachment[] = body.files.map((f) => {
      const id = this.nextId();
      const url = `https://cdn.discordapp.com/attachments/${channel.id}/${id}/${encodeURIComponent(f.filename)}`;
      return { id, filename: f.filename, size: f.size, url, proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'), content_type: f.contentType };
    });
    const message = this.createMessage(channel, this.bot, text, {
      reference,
      attachments,
      ...(nonce !== undefined && nonce !== null ? { nonce: nonce as string | number } : {}),
    });
    if (enforce) this.nonces.set(nonceKey, { messageId: message.id, channelId: channel.id, at: Date.now() });
    return { status: 200, body: message };
  }

  private deleteMessage(channel: ChannelState, message: DiscordMessage): { status: number } {
    const own = message.author.id === this.bot.id;
    if (!own) {
      if (channel.type === 1) fail(Errors.dmNotOwn);
      if (!this.guilds.get(channel.guildId!)?.botCanManageMessages) fail(Errors.missingPermissions);
    }
    channel.messages = channel.messages.filter((m) => m.id !== message.id);
    this.deletedMessages.push({ channelId: channel.id, messageId: message.id });
    this.dispatchDelete(channel, message.id);
    return { status: 204 };
  }

  private dispatchDelete(channel: ChannelState, messageId: string): void {
    const guildId = channel.guildId;
    this.broadcast('MESSAGE_DELETE', guildId ? Intent.GuildMessages : Intent.DirectMessages, () => ({
      id: messageId,
      channel_id: channel.id,
      ...(guildId ? { guild_id: guildId } : {}),
    }));
  }

  private createDm(json: unknown): { status: number; body: unknown } {
    const recipientId = (json as { recipient_id?: unknown } | undefined)?.recipient_id;
    if (typeof recipientId !== 'string' && typeof recipientId !== 'number') {
      fail(invalidFormBody('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required'));
    }
    const user = this.users.get(String(recipientId)) ?? fail(Errors.unknownUser);
    if (user.id === this.bot.id) fail(invalidFormBody('recipient_id', 'BASE_TYPE_BAD_TYPE', 'Cannot DM yourself'));
    return { status: 200, body: this.channelObject(this.dmChannelFor(user)) };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Body parsing

interface ParsedBody {
  json: unknown;
  files: Array<{ name: string; filename: string; contentType?: string; size: number }>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, or multipart/form-data with `payload_json` and `files[n]` parts (what discord.js sends with files). */
function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { json: undefined, files: [] };
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    const mark = boundary?.[1] ?? boundary?.[2];
    if (!mark) throw new Error('multipart without boundary');
    const result: ParsedBody = { json: undefined, files: [] };
    // latin1 maps bytes 1:1, so binary file parts survive the split.
    for (const part of raw.toString('latin1').split(`--${mark}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const headers = part.slice(0, split);
      const content = part.slice(split + 4).replace(/\r\n$/, '');
      const name = /[;\s]name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name === 'payload_json') result.json = JSON.parse(Buffer.from(content, 'latin1').toString('utf8'));
      else if (filename !== undefined) {
        const ct = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
        result.files.push({ name, filename, size: Buffer.byteLength(content, 'latin1'), ...(ct ? { contentType: ct } : {}) });
      }
    }
    return result;
  }
  return { json: JSON.parse(raw.toString('utf8')), files: [] };
}
