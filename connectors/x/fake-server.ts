// A faithful, stateful, in-memory stand-in for the X API v2 (sections A and A2 of /work/shared/platforms.md), for
// tests and demo mode. The real twitter-api-v2 client talks to it unchanged through its URL-rewrite plugin hooks
// (`xFakePlugin(apiBase)`, both the request and the stream hook) and a plain `http.Agent`.
//
// What it models: one app (consumer key/secret, app Bearer) and one bot account (OAuth 1.0a access token/secret),
// customers who post mentions, replies and DMs and edit their posts; OAuth 1.0a signatures verified over the
// real base string; the v2 routes a support inbox uses with X's shapes (`data`, `includes`, `meta`,
// `next_token`); per-endpoint rate-limit windows with `x-rate-limit-*` headers and 429s; problem-JSON errors;
// the self-serve reply rule and duplicate-text 403s; hidden replies (only under the bot's own conversations);
// the X Activity API (subscriptions, the persistent `\r\n`-framed stream with keep-alives and backfill) and V2
// webhooks (CRC at registration and on PUT, deliveries signed over the exact bytes sent); the edit model
// (every edit a new post id, `edit_history_tweet_ids` oldest first). Faults (429, 5xx, cut connections, delays,
// a dropped stream) can be injected.
// What it deliberately leaves out: media, quotes and reposts, group DMs, XChat, likes and follows, the v1.1 API,
// OAuth 2.0 PKCE flows, webhook replay, compliance jobs, Enterprise-only features, and any check of the
// `*.fields` lists beyond what a support inbox asks for (every post carries the fields it asks for).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './post-length.ts';

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes (v2 names, as X sends them)

export interface XUser {
  id: string;
  name: string;
  username: string;
  protected?: boolean;
}

export interface XMentionEntity {
  start: number;
  end: number;
  username: string;
  id: string;
}

/** A v2 Post with the fields a support inbox asks for. */
export interface XPost {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  conversation_id: string;
  edit_history_tweet_ids: string[];
  in_reply_to_user_id?: string;
  referenced_tweets?: Array<{ type: 'replied_to' | 'quoted' | 'retweeted'; id: string }>;
  entities?: { mentions?: XMentionEntity[] };
  lang?: string;
}

/** A v2 DM event (GET /2/dm_events). */
export interface XDmEvent {
  id: string;
  event_type: 'MessageCreate';
  text: string;
  sender_id: string;
  dm_conversation_id: string;
  created_at: string;
  participant_ids: string[];
}

/** One XAA event envelope (stream line or webhook body). */
export interface XActivityEnvelope {
  data: {
    event_uuid: string;
    filter: { user_id: string };
    event_type: string;
    tag?: string;
    payload: unknown;
    includes?: unknown;
  };
}

export interface XSubscription {
  subscription_id: string;
  event_type: string;
  filter: { user_id: string };
  tag?: string;
  webhook_id?: string;
  created_at: string;
  updated_at: string;
}

export interface XWebhook {
  id: string;
  url: string;
  valid: boolean;
  created_at: string;
}

/** Rate-limited endpoints, named as X's rate-limit docs group them. */
export type XEndpoint =
  | 'users/me'
  | 'mentions'
  | 'dm_events'
  | 'tweets:create'
  | 'tweets:delete'
  | 'tweets:hide'
  | 'dm:send'
  | 'subscriptions'
  | 'stream:connect'
  | 'webhooks';

export interface XRateWindow {
  limit: number;
  windowSec: number;
}

/** X's pay-per-use limits per 15 minutes (platforms.md A2); user-context figures where both exist. */
export const X_DEFAULT_RATE_LIMITS: Record<XEndpoint, XRateWindow> = {
  'users/me': { limit: 75, windowSec: 900 },
  mentions: { limit: 300, windowSec: 900 },
  dm_events: { limit: 15, windowSec: 900 },
  'tweets:create': { limit: 100, windowSec: 900 },
  'tweets:delete': { limit: 50, windowSec: 900 },
  'tweets:hide': { limit: 50, windowSec: 900 },
  'dm:send': { limit: 15, windowSec: 900 },
  subscriptions: { limit: 500, windowSec: 900 },
  'stream:connect': { limit: 450, windowSec: 900 },
  webhooks: { limit: 450, windowSec: 900 },
};

export interface XFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  app?: { consumerKey: string; consumerSecret: string; bearerToken: string };
  bot?: { id: string; username: string; name: string; accessToken: string; accessSecret: string };
  /** Per-endpoint windows; defaults are X's pay-per-use limits (X_DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<Record<XEndpoint, XRateWindow>>;
  /** Interval of `\r\n` keep-alives on the activity stream. X: at least every 20 s. Default 20 s. */
  keepAliveMs?: number;
  /** Connections per app on the activity stream. X: 2. */
  maxStreamConnections?: number;
  /** Real X accepts only https webhook URLs without a port; tests and demo mode point it at plain localhost. */
  allowHttpWebhooks?: boolean;
  /** Delay between webhook delivery retries (X retries failed deliveries). Default 1 s. */
  webhookRetryMs?: number;
  /** Re-send every Nth activity event a second time (X warns duplicates happen). 0 = never (default). */
  duplicateEvery?: number;
}

/** Scripted failures for the next matching requests (`times` defaults to 1). */
export type XFault = { method?: string; pathPrefix?: string; times?: number } & (
  | { kind: 'rate_limit'; resetInSec: number }
  /** A 5xx; with `afterEffect` the request is carried out first (X did the work, then failed to answer). */
  | { kind: 'server_error'; status?: number; afterEffect?: boolean }
  /** The connection is cut without an answer; with `afterEffect` after the request was carried out. */
  | { kind: 'reset'; afterEffect?: boolean }
  /** The answer is held back `ms`; with `afterEffect` the request is carried out first (X slow to answer). */
  | { kind: 'delay'; ms: number; afterEffect?: boolean }
);

export interface XRecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/2/users/123/mentions". */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** 'user' (OAuth 1.0a), 'app' (Bearer) or 'none' (rejected). */
  auth: 'user' | 'app' | 'none';
  status: number;
  at: number;
}

export const X_FAKE_DEFAULTS = {
  app: {
    consumerKey: 'xfakeConsumerKey0000000001',
    consumerSecret: 'xfakeConsumerSecret0000000000000000000000000000001',
    bearerToken: 'AAAAAAAAAAAAAAAAAAAAAxfakeBearerToken000000000000000000000000001',
  },
  bot: {
    id: '1700000000000000001',
    username: 'WalletSupport',
    name: 'Wallet Support',
    accessToken: '1700000000000000001-xfakeAccessToken00000000000000001',
    accessSecret: 'xfakeAccessSecret000000000000000000000000000001',
  },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// X's error bodies (problem JSON)

const PROBLEM = 'https://api.x.com/2/problems';

interface Problem {
  status: number;
  body: Record<string, unknown>;
}

const problems = {
  unauthorized: (): Problem => ({ status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } }),
  unsupportedAuth: (supported: string): Problem => ({
    status: 403,
    body: {
      title: 'Unsupported Authentication',
      detail: `Authenticating with ${supported === 'user' ? 'OAuth 2.0 Application-Only' : 'OAuth 1.0a User Context'} is forbidden for this endpoint.  Supported authentication types are [${supported === 'user' ? 'OAuth 1.0a User Context, OAuth 2.0 User Context' : 'OAuth 2.0 Application-Only'}].`,
      type: `${PROBLEM}/unsupported-authentication`,
      status: 403,
    },
  }),
  tooMany: (): Problem => ({ status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } }),
  forbidden: (detail: string): Problem => ({ status: 403, body: { title: 'Forbidden', detail, type: 'about:blank', status: 403 } }),
  invalid: (message: string, parameters: Record<string, string[]> = {}): Problem => ({
    status: 400,
    body: {
      errors: [{ parameters, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: `${PROBLEM}/invalid-request`,
    },
  }),
  notFound: (what: string, id: string): Problem => ({
    status: 404,
    body: { title: 'Not Found Error', detail: `Could not find ${what} with id: [${id}].`, type: `${PROBLEM}/resource-not-found`, status: 404 },
  }),
  noRoute: (): Problem => ({ status: 404, body: { title: 'Not Found', detail: 'Sorry, that page does not exist', type: 'about:blank', status: 404 } }),
  serverError: (status: number): Problem => ({ status, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status } }),
  tooManyConnections: (): Problem => ({
    status: 429,
    body: {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: `${PROBLEM}/streaming-connection`,
    },
  }),
};

/** X's exact wording for the two refusals a support inbox meets when replying. */
export const X_REFUSALS = {
  duplicate: 'You are not allowed to create a Tweet with duplicate content.',
  replyNotAllowed:
    'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
  hideNotAllowed: 'You cannot hide or unhide replies to conversations you did not start.',
  dmNotAllowed: 'You cannot send messages to users who are not following you.',
} as const;

class HttpFailure extends Error {
  constructor(readonly problem: Problem) {
    super(`HTTP ${problem.status}`);
  }
}
const fail = (problem: Problem): never => {
  throw new HttpFailure(problem);
};

// ---------------------------------------------------------------------------------------------------------------
// OAuth 1.0a (RFC 5849 section 3.4), written from the RFC rather than from the client library it checks.

/** RFC 3986 percent-encoding, as RFC 5849 section 3.6 requires. */
export const oauthPercentEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The signature base string: METHOD & encoded base URI & encoded normalized parameters (the oauth_* protocol
 * parameters except the signature, the query, and a form-encoded body; JSON bodies are not signed).
 */
export function oauthBaseString(method: string, baseUri: string, params: Array<[string, string]>): string {
  const normalized = params
    .map(([k, v]) => [oauthPercentEncode(k), oauthPercentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), oauthPercentEncode(baseUri), oauthPercentEncode(normalized)].join('&');
}

/** HMAC-SHA1 over the base string with key `consumerSecret&tokenSecret`, base64. */
export function oauthSignature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha1', `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`).update(baseString).digest('base64');
}

function parseOAuthHeader(header: string): Map<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const part of header.slice(6).split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!m) return null;
    params.set(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  }
  return params;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook crypto (CRC and delivery signature): HMAC-SHA256 keyed with the consumer secret, base64, "sha256=".

/** The `response_token` X expects for a CRC challenge. */
export function xCrcResponseToken(consumerSecret: string, crcToken: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`;
}

/** The `x-twitter-webhooks-signature` header X sends with a delivery of `body` (the exact bytes). */
export function xWebhookSignature(consumerSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Internal state

const TWITTER_EPOCH = 1288834974657n;
const MAX_MENTIONS_REACHABLE = 800; // "Max 800 most recent" (platforms.md A)
const DM_EVENTS_DAYS = 30;
const ACTIVITY_EVENT_TYPES = new Set([
  'post.mention.create',
  'post.reply.create',
  'post.quote.create',
  'post.create',
  'post.delete',
  'dm.received',
  'dm.sent',
  'dm.read',
  'dm.indicate_typing',
]);
const PRIVATE_EVENT_TYPES = new Set(['post.mention.create', 'post.reply.create', 'post.quote.create', 'dm.received', 'dm.sent', 'dm.read', 'dm.indicate_typing']);

interface PostState extends XPost {
  /** The text as typed mentions the bot by @handle (not only the reply prefix): X's "summoned" rule. */
  explicitMentionOfBot: boolean;
  hidden: boolean;
  deleted: boolean;
  /** Replaced by a later edit: no longer listed in timelines. */
  superseded: boolean;
}

interface DmState extends XDmEvent {
  recipient_id: string;
}

interface StreamClient {
  res: ServerResponse;
  keepAlive: NodeJS.Timeout;
}

interface ActivityRecord {
  at: number;
  envelope: XActivityEnvelope;
  webhookId?: string;
}

type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  auth: 'user' | 'app';
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  endpoint: XEndpoint | null;
  auth: 'user' | 'app' | 'any';
  handler: Handler;
}

/** A twitter-api-v2 plugin that sends every request, streams included, to `apiBase` instead of api.x.com. */
export function xFakePlugin(apiBase: string) {
  const rewrite = ({ params }: { params: { url: string } }) => {
    params.url = params.url.replace(/^https:\/\/(api|upload)\.(x|twitter)\.com/, apiBase.replace(/\/$/, ''));
  };
  return { onBeforeRequestConfig: rewrite, onBeforeStreamRequestConfig: rewrite };
}

export class XFake {
  readonly app: { consumerKey: string; consumerSecret: string; bearerToken: string };
  readonly bot: { id: string; username: string; name: string; accessToken: string; accessSecret: string };
  readonly requests: XRecordedRequest[] = [];

  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly options: Required<Omit<XFakeOptions, 'app' | 'bot' | 'rateLimits' | 'port'>> & { port: number };
  private readonly rateLimits: Record<XEndpoint, XRateWindow>;
  private readonly windows = new Map<string, { resetAt: number; used: number }>();
  private readonly users = new Map<string, XUser & { dmOpen: boolean }>();
  private readonly posts = new Map<string, PostState>();
  private readonly dms: DmState[] = [];
  private readonly subscriptions = new Map<string, XSubscription>();
  private readonly webhooks = new Map<string, XWebhook>();
  private readonly activity: ActivityRecord[] = [];
  private readonly streams = new Set<StreamClient>();
  private readonly faults: XFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private lastId = 0n;
  private eventCount = 0;
  private readonly routes: Route[] = [];
  /** Webhook deliveries, in order: what was POSTed where and how the app answered. */
  readonly deliveries: Array<{ webhookId: string; body: string; status: number | 'error'; at: number }> = [];

  constructor(options: XFakeOptions = {}) {
    this.app = { ...(options.app ?? X_FAKE_DEFAULTS.app) };
    this.bot = { ...(options.bot ?? X_FAKE_DEFAULTS.bot) };
    this.options = {
      port: options.port ?? 0,
      keepAliveMs: options.keepAliveMs ?? 20_000,
      maxStreamConnections: options.maxStreamConnections ?? 2,
      allowHttpWebhooks: options.allowHttpWebhooks ?? false,
      webhookRetryMs: options.webhookRetryMs ?? 1_000,
      duplicateEvery: options.duplicateEvery ?? 0,
    };
    this.rateLimits = { ...X_DEFAULT_RATE_LIMITS, ...options.rateLimits };
    this.users.set(this.bot.id, { id: this.bot.id, name: this.bot.name, username: this.bot.username, dmOpen: true });
    this.defineRoutes();
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, '127.0.0.1', resolve));
  }

  /** The origin that replaces https://api.x.com (paths stay /2/...). */
  get apiBase(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('XFake is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.streams) clearInterval(s.keepAlive);
    this.streams.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ------------------------------------------------------------------------------------------------ customers

  /** Adds (or updates) a customer account. `dmOpen`: whether the bot may DM them first (default true). */
  addUser(user: { id: string; username: string; name?: string; dmOpen?: boolean }): XUser {
    const u = { id: user.id, username: user.username, name: user.name ?? user.username, dmOpen: user.dmOpen ?? true };
    this.users.set(u.id, u);
    return { id: u.id, name: u.name, username: u.username };
  }

  /** A customer posts a standalone post mentioning the bot ("@Bot text" unless the text already has it). */
  userMentions(user: { id: string; username: string; name?: string }, text: string): XPost {
    this.addUserIfNew(user);
    const body = text.includes(`@${this.bot.username}`) ? text : `@${this.bot.username} ${text}`;
    return this.createPost(user.id, body, {});
  }

  /**
   * A customer replies to `toPostId`. The reply text starts with the replied-to author's handle (X adds it); when
   * `explicitMention` is true the customer also typed @Bot in the body, which is what X's self-serve reply
   * rule looks for.
   */
  userReplies(user: { id: string; username: string; name?: string }, toPostId: string, text: string, options: { explicitMention?: boolean } = {}): XPost {
    this.addUserIfNew(user);
    const parent = this.posts.get(toPostId);
    if (!parent) throw new Error(`no post ${toPostId}`);
    // X prefixes a reply with the handles of the thread: the replied-to author and whoever that post mentioned.
    const handles = [parent.author_id, ...(parent.entities?.mentions ?? []).map((m) => m.id)]
      .filter((id, i, all) => id !== user.id && all.indexOf(id) === i)
      .map((id) => `@${this.users.get(id)!.username} `)
      .join('');
    const body = options.explicitMention ? `@${this.bot.username} ${text}` : text;
    return this.createPost(user.id, `${handles}${body}`, { replyTo: parent, prefixLength: handles.length });
  }

  /** A customer edits their post: X creates a new post id and lists the chain oldest first. */
  userEdits(postId: string, newText: string): XPost {
    const old = this.posts.get(postId);
    if (!old || old.superseded || old.deleted) throw new Error(`post ${postId} cannot be edited`);
    if (old.edit_history_tweet_ids.length >= 6) throw new Error('no edits remaining');
    if (old.referenced_tweets?.some((r) => r.type === 'replied_to') && old.in_reply_to_user_id !== old.author_id) {
      throw new Error('replies to other accounts cannot be edited');
    }
    old.superseded = true;
    const text = newText.includes(`@${this.bot.username}`) ? newText : `@${this.bot.username} ${newText}`;
    return this.createPost(old.author_id, text, { history: old.edit_history_tweet_ids, conversationId: old.conversation_id });
  }

  /** A customer deletes a post (every version of it). No activity event tells the bot (A2). */
  userDeletes(postId: string): void {
    const post = this.posts.get(postId);
    if (!post) return;
    for (const id of post.edit_history_tweet_ids) {
      const p = this.posts.get(id);
      if (p) p.deleted = true;
    }
  }

  /** A customer sends the bot a direct message. */
  userSendsDm(user: { id: string; username: string; name?: string }, text: string): XDmEvent {
    this.addUserIfNew(user);
    return this.createDm(user.id, this.bot.id, text);
  }

  /** The bot posts on its own timeline (as an agent would in the X app): a root customers can reply under. */
  botPosts(text: string): XPost {
    return this.createPost(this.bot.id, text, {});
  }

  /** The bot sends a DM from the X app (not through the API): it still appears in dm_events and as `dm.sent`. */
  botSendsDmInApp(toUserId: string, text: string): XDmEvent {
    return this.createDm(this.bot.id, toUserId, text);
  }

  // ------------------------------------------------------------------------------------------------ inspection

  post(id: string): (XPost & { hidden: boolean; deleted: boolean }) | undefined {
    const p = this.posts.get(id);
    return p && { ...this.wire(p), hidden: p.hidden, deleted: p.deleted };
  }

  /** Posts the bot authored (through the API or botPosts), oldest first. */
  botTimeline(): XPost[] {
    return [...this.posts.values()].filter((p) => p.author_id === this.bot.id && !p.deleted).map((p) => this.wire(p));
  }

  /** DMs the bot sent, oldest first. */
  botDms(): XDmEvent[] {
    return this.dms.filter((d) => d.sender_id === this.bot.id).map((d) => this.wireDm(d));
  }

  /** Every DM event (both directions), oldest first. */
  dmEvents(): XDmEvent[] {
    return this.dms.map((d) => this.wireDm(d));
  }

  listSubscriptions(): XSubscription[] {
    return [...this.subscriptions.values()];
  }

  listWebhooks(): XWebhook[] {
    return [...this.webhooks.values()];
  }

  openStreams(): number {
    return this.streams.size;
  }

  /** Requests made to an endpoint path prefix (and method), for counting what a client spent. */
  requestsTo(method: string, pathPrefix: string): XRecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  // ------------------------------------------------------------------------------------------------ faults

  injectFault(fault: XFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Sets one endpoint's window (for tests that want to reach a limit quickly); resets its counters. */
  setRateLimit(endpoint: XEndpoint, window: XRateWindow): void {
    this.rateLimits[endpoint] = window;
    for (const key of this.windows.keys()) if (key.startsWith(`${endpoint}|`)) this.windows.delete(key);
  }

  /** Cuts every open activity stream, optionally after an in-stream operational-disconnect error line. */
  dropStreams(options: { withErrorLine?: boolean } = {}): void {
    for (const s of [...this.streams]) {
      if (options.withErrorLine) {
        s.res.write(
          `${JSON.stringify({ errors: [{ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect', detail: 'This stream has been disconnected upstream for operational reasons.', type: `${PROBLEM}/operational-disconnect` }] })}\r\n`,
        );
      }
      clearInterval(s.keepAlive);
      this.streams.delete(s);
      s.res.socket?.destroy();
    }
  }

  // ------------------------------------------------------------------------------------------------ model

  private addUserIfNew(user: { id: string; username: string; name?: string }): void {
    if (user.id === this.bot.id) throw new Error(`customer ${user.username} has the bot's own id ${user.id}`);
    if (!this.users.has(user.id)) this.addUser(user);
  }

  private nextId(): string {
    // Snowflake-shaped and strictly increasing, like X's ids (time << 22 | sequence).
    const byTime = (BigInt(Date.now()) - TWITTER_EPOCH) << 22n;
    this.lastId = byTime > this.lastId ? byTime : this.lastId + 1n;
    return this.lastId.toString();
  }

  /** X's created_at: the id's time, to the second ("2026-07-24T21:23:23.000Z"). */
  private createdAtOf(id: string): string {
    const ms = Number((BigInt(id) >> 22n) + TWITTER_EPOCH);
    return new Date(Math.floor(ms / 1000) * 1000).toISOString();
  }

  private mentionsIn(text: string): XMentionEntity[] {
    const out: XMentionEntity[] = [];
    for (const m of text.matchAll(/@(\w{1,15})/g)) {
      const user = [...this.users.values()].find((u) => u.username.toLowerCase() === m[1]!.toLowerCase());
      if (user) out.push({ start: m.index!, end: m.index! + m[0].length, username: user.username, id: user.id });
    }
    return out;
  }

  private createPost(authorId: string, text: string, opts: { replyTo?: PostState; history?: string[]; conversationId?: string; prefixLength?: number }): XPost {
    const id = this.nextId();
    const mentions = this.mentionsIn(text);
    const replyTo = opts.replyTo;
    // The handles X puts in front of a reply are not "typed": only a mention after that prefix summons the bot.
    const prefixEnd = opts.prefixLength ?? 0;
    const post: PostState = {
      id,
      text,
      author_id: authorId,
      created_at: this.createdAtOf(id),
      conversation_id: opts.conversationId ?? replyTo?.conversation_id ?? id,
      edit_history_tweet_ids: [...(opts.history ?? []), id],
      ...(replyTo ? { in_reply_to_user_id: replyTo.author_id, referenced_tweets: [{ type: 'replied_to' as const, id: replyTo.id }] } : {}),
      ...(mentions.length ? { entities: { mentions } } : {}),
      lang: /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en',
      explicitMentionOfBot: mentions.some((m) => m.id === this.bot.id && m.start >= prefixEnd),
      hidden: false,
      deleted: false,
      superseded: false,
    };
    this.posts.set(id, post);
    this.emitPostEvents(post);
    return this.wire(post);
  }

  private createDm(senderId: string, recipientId: string, text: string): DmState {
    const id = this.nextId();
    const [low, high] = [senderId, recipientId].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const dm: DmState = {
      id,
      event_type: 'MessageCreate',
      text,
      sender_id: senderId,
      recipient_id: recipientId,
      dm_conversation_id: `${low}-${high}`,
      created_at: this.createdAtOf(id),
      participant_ids: [senderId, recipientId],
    };
    this.dms.push(dm);
    this.emitDmEvent(dm);
    return dm;
  }

  private wire(p: PostState): XPost {
    const { explicitMentionOfBot: _e, hidden: _h, deleted: _d, superseded: _s, ...post } = p;
    return structuredClone(post);
  }

  private wireDm(d: DmState): XDmEvent {
    const { recipient_id: _r, ...dm } = d;
    return structuredClone(dm);
  }

  private userWire(id: string): XUser {
    const u = this.users.get(id);
    return u ? { id: u.id, name: u.name, username: u.username } : { id, name: id, username: id };
  }

  // ------------------------------------------------------------------------------------------------ activity

  private emitPostEvents(post: PostState): void {
    const parent = post.referenced_tweets?.find((r) => r.type === 'replied_to');
    const parentPost = parent ? this.posts.get(parent.id) : undefined;
    const includes = { users: [this.userWire(post.author_id)], tweets: [this.wire(post)] };
    if (post.author_id === this.bot.id) {
      this.emitActivity('post.create', this.bot.id, this.wire(post), includes);
      return;
    }
    if (post.explicitMentionOfBot) this.emitActivity('post.mention.create', this.bot.id, this.wire(post), includes);
    // Direct replies to the bot's own posts (not replies to replies).
    if (parentPost?.author_id === this.bot.id) {
      this.emitActivity('post.reply.create', this.bot.id, { ...this.wire(post), in_reply_to_tweet_id: parentPost.id }, {});
    }
  }

  private emitDmEvent(dm: DmState): void {
    const eventType = dm.sender_id === this.bot.id ? 'dm.sent' : 'dm.received';
    const payload = {
      direct_message_events: [
        {
          type: 'message_create',
          id: dm.id,
          created_timestamp: String((BigInt(dm.id) >> 22n) + TWITTER_EPOCH),
          message_create: {
            target: { recipient_id: dm.recipient_id },
            sender_id: dm.sender_id,
            message_data: { text: dm.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
          },
        },
      ],
      users: Object.fromEntries(
        [dm.sender_id, dm.recipient_id].map((id) => [id, { data: { ...this.userWire(id), protected: false } }]),
      ),
    };
    this.emitActivity(eventType, this.bot.id, payload, undefined);
  }

  private emitActivity(eventType: string, userId: string, payload: unknown, includes: unknown): void {
    for (const sub of this.subscriptions.values()) {
      if (sub.event_type !== eventType || sub.filter.user_id !== userId) continue;
      // Opaque strings; X's samples include negative numbers.
      const uuid = (BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString('hex')}`))).toString();
      const envelope: XActivityEnvelope = {
        data: { event_uuid: uuid, filter: { user_id: userId }, event_type: eventType, ...(sub.tag ? { tag: sub.tag } : {}), payload: structuredClone(payload), ...(includes !== undefined ? { includes: structuredClone(includes) } : {}) },
      };
      const record: ActivityRecord = { at: Date.now(), envelope, ...(sub.webhook_id ? { webhookId: sub.webhook_id } : {}) };
      this.activity.push(record);
      this.deliver(record);
      this.eventCount += 1;
      if (this.options.duplicateEvery && this.eventCount % this.options.duplicateEvery === 0) this.deliver(record);
    }
  }

  private deliver(record: ActivityRecord): void {
    const line = `${JSON.stringify(record.envelope)}\r\n`;
    for (const s of this.streams) s.res.write(line);
    if (record.webhookId) {
      const hook = this.webhooks.get(record.webhookId);
      if (hook?.valid) void this.postToWebhook(hook, JSON.stringify(record.envelope), 0);
    }
  }

  private async postToWebhook(hook: XWebhook, body: string, attempt: number): Promise<void> {
    const bytes = Buffer.from(body);
    let status: number | 'error';
    try {
      status = (await this.httpCall('POST', hook.url, bytes, { 'content-type': 'application/json', 'x-twitter-webhooks-signature': xWebhookSignature(this.app.consumerSecret, bytes) })).status;
    } catch {
      status = 'error';
    }
    this.deliveries.push({ webhookId: hook.id, body, status, at: Date.now() });
    if ((status === 'error' || status >= 300) && attempt < 3) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.postToWebhook(hook, body, attempt + 1);
      }, this.options.webhookRetryMs);
      this.timers.add(t);
    }
  }

  private httpCall(method: string, url: string, body: Buffer | null, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  }

  /** The CRC challenge: GET url?crc_token=…, valid when the app answers the right response_token in time. */
  private async runCrc(hook: { url: string }): Promise<boolean> {
    const token = randomBytes(24).toString('base64url');
    const url = new URL(hook.url);
    url.searchParams.set('crc_token', token);
    try {
      const answer = await this.httpCall('GET', url.toString(), null, {});
      if (answer.status !== 200) return false;
      const parsed = JSON.parse(answer.body) as { response_token?: unknown };
      return parsed.response_token === xCrcResponseToken(this.app.consumerSecret, token);
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------------ HTTP

  private route(method: string, path: string, endpoint: XEndpoint | null, auth: Route['auth'], handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, keys, endpoint, auth, handler });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const record: XRecordedRequest = { method, path: url.pathname, query, body: undefined, auth: 'none', status: 0, at: Date.now() };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const isError = status >= 400;
      res.writeHead(status, { 'content-type': isError ? 'application/problem+json' : 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      const contentType = req.headers['content-type'] ?? '';
      let body: unknown;
      let formParams: Array<[string, string]> = [];
      if (raw.length && contentType.includes('application/json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return send(400, problems.invalid('Request body is not valid JSON.').body);
        }
      } else if (raw.length && contentType.includes('application/x-www-form-urlencoded')) {
        formParams = [...new URLSearchParams(raw.toString('utf8'))];
        body = Object.fromEntries(formParams);
      }
      record.body = body;

      const match = this.match(method, url.pathname);
      if (!match) return send(404, problems.noRoute().body);
      const { route, params } = match;
      const auth = this.authenticate(req, method, url, formParams);
      record.auth = auth ?? 'none';
      if (!auth) return send(401, problems.unauthorized().body);
      if (route.auth !== 'any' && route.auth !== auth) {
        const p = problems.unsupportedAuth(route.auth);
        return send(p.status, p.body);
      }

      // Faults come before rate limits and work, as a broken front end would.
      const fault = this.takeFault(method, url.pathname);
      if (fault?.kind === 'delay' && !fault.afterEffect) await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === 'rate_limit') {
        const reset = Math.ceil(Date.now() / 1000) + fault.resetInSec;
        const limit = route.endpoint ? this.rateLimits[route.endpoint].limit : 15;
        return send(429, problems.tooMany().body, { 'x-rate-limit-limit': String(limit), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
      }
      if ((fault?.kind === 'server_error' || fault?.kind === 'reset') && !fault.afterEffect) {
        if (fault.kind === 'reset') return void req.socket.destroy();
        return send(fault.status ?? 503, problems.serverError(fault.status ?? 503).body);
      }

      const limitHeaders = route.endpoint ? this.consume(route.endpoint, auth) : {};
      if (limitHeaders === null) {
        const w = this.windowFor(route.endpoint!, auth);
        return send(429, problems.tooMany().body, this.headersFor(route.endpoint!, w));
      }
      const ctx: RequestContext = { req, res, method, path: url.pathname, params, query, body, auth };
      const result = await route.handler(ctx);
      if (result === STREAMING) {
        record.status = 200;
        return;
      }
      if (fault?.kind === 'delay' && fault.afterEffect) await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === 'reset') return void req.socket.destroy();
      if (fault?.kind === 'server_error') return send(fault.status ?? 503, problems.serverError(fault.status ?? 503).body);
      const { status, body: out } = result as { status: number; body: unknown };
      send(status, out, limitHeaders);
    } catch (err) {
      if (err instanceof HttpFailure) {
        const endpoint = this.match(method, url.pathname)?.route.endpoint;
        const w = endpoint && record.auth !== 'none' ? this.windowFor(endpoint, record.auth) : undefined;
        return send(err.problem.status, err.problem.body, endpoint && w ? this.headersFor(endpoint, w) : {});
      }
      send(500, problems.serverError(500).body);
    }
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (m) return { route, params: Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)])) };
    }
    return null;
  }

  /** 'user' for a valid OAuth 1.0a signature with the bot's token, 'app' for the app Bearer, else null. */
  private authenticate(req: IncomingMessage, method: string, url: URL, formParams: Array<[string, string]>): 'user' | 'app' | null {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) return safeEqual(header.slice(7), this.app.bearerToken) ? 'app' : null;
    const oauth = parseOAuthHeader(header);
    if (!oauth) return null;
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1' || (oauth.get('oauth_version') ?? '1.0') !== '1.0') return null;
    if (oauth.get('oauth_consumer_key') !== this.app.consumerKey || oauth.get('oauth_token') !== this.bot.accessToken) return null;
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return null;
    const signature = oauth.get('oauth_signature') ?? '';
    const params: Array<[string, string]> = [
      ...[...oauth].filter(([k]) => k !== 'oauth_signature' && k !== 'realm'),
      ...url.searchParams,
      ...formParams,
    ];
    // The base URI is what the client addressed: scheme, host (with a non-default port) and path.
    const baseUri = `http://${(req.headers.host ?? '').toLowerCase()}${url.pathname}`;
    const expected = oauthSignature(oauthBaseString(method, baseUri, params), this.app.consumerSecret, this.bot.accessSecret);
    return safeEqual(signature, expected) ? 'user' : null;
  }

  private takeFault(method: string, path: string): XFault | undefined {
    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && (!f.pathPrefix || path.startsWith(f.pathPrefix)));
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private windowFor(endpoint: XEndpoint, auth: 'user' | 'app') {
    const key = `${endpoint}|${auth}`;
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { resetAt: now + this.rateLimits[endpoint].windowSec * 1000, used: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private headersFor(endpoint: XEndpoint, w: { resetAt: number; used: number }): Record<string, string> {
    const limit = this.rateLimits[endpoint].limit;
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - w.used)),
      'x-rate-limit-reset': String(Math.ceil(w.resetAt / 1000)),
    };
  }

  /** Counts one request against its window; null when the window is spent (→ 429). */
  private consume(endpoint: XEndpoint, auth: 'user' | 'app'): Record<string, string> | null {
    const w = this.windowFor(endpoint, auth);
    if (w.used >= this.rateLimits[endpoint].limit) return null;
    w.used += 1;
    return this.headersFor(endpoint, w);
  }

  // ------------------------------------------------------------------------------------------------ routes

  private defineRoutes(): void {
    const ok = (body: unknown, status = 200) => ({ status, body });

    this.route('GET', '/2/users/me', 'users/me', 'user', () => ok({ data: this.userWire(this.bot.id) }));

    this.route('GET', '/2/users/:id/mentions', 'mentions', 'any', ({ params, query }) => {
      if (!/^\d{1,19}$/.test(params.id!)) fail(problems.invalid(`The \`id\` query parameter value [${params.id}] is not valid`, { id: [params.id!] }));
      const max = intParam(query, 'max_results', 10, 5, 100);
      const sinceId = idParam(query, 'since_id');
      const untilId = idParam(query, 'until_id');
      const before = query.pagination_token ? decodeToken(query.pagination_token) : undefined;
      const startTime = query.start_time ? Date.parse(query.start_time) : undefined;
      const all = [...this.posts.values()]
        .filter((p) => !p.deleted && !p.superseded && p.author_id !== params.id && (p.entities?.mentions ?? []).some((m) => m.id === params.id))
        .sort((a, b) => cmpId(b.id, a.id))
        .slice(0, MAX_MENTIONS_REACHABLE);
      const matching = all.filter(
        (p) =>
          (!sinceId || cmpId(p.id, sinceId) > 0) &&
          (!untilId || cmpId(p.id, untilId) < 0) &&
          (!before || cmpId(p.id, before) < 0) &&
          (startTime === undefined || Date.parse(p.created_at) >= startTime),
      );
      const page = matching.slice(0, max);
      if (!page.length) return ok({ meta: { result_count: 0 } });
      const authors = [...new Set(page.map((p) => p.author_id))].map((id) => this.userWire(id));
      const more = matching.length > max;
      return ok({
        data: page.map((p) => this.wire(p)),
        includes: { users: authors },
        meta: { result_count: page.length, newest_id: page[0]!.id, oldest_id: page.at(-1)!.id, ...(more ? { next_token: encodeToken(page.at(-1)!.id) } : {}) },
      });
    });

    this.route('GET', '/2/dm_events', 'dm_events', 'user', ({ query }) => {
      const max = intParam(query, 'max_results', 100, 1, 100);
      const before = query.pagination_token ? decodeToken(query.pagination_token) : undefined;
      const horizon = Date.now() - DM_EVENTS_DAYS * 86_400_000;
      const all = this.dms
        .filter((d) => (d.sender_id === this.bot.id || d.recipient_id === this.bot.id) && Date.parse(d.created_at) >= horizon)
        .sort((a, b) => cmpId(b.id, a.id))
        .filter((d) => !before || cmpId(d.id, before) < 0);
      const page = all.slice(0, max);
      if (!page.length) return ok({ meta: { result_count: 0 } });
      const users = [...new Set(page.map((d) => d.sender_id))].map((id) => this.userWire(id));
      return ok({
        data: page.map((d) => this.wireDm(d)),
        includes: { users },
        meta: { result_count: page.length, ...(all.length > max ? { next_token: encodeToken(page.at(-1)!.id) } : {}) },
      });
    });

    this.route('POST', '/2/tweets', 'tweets:create', 'user', ({ body }) => {
      const b = (body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
      if (typeof b.text !== 'string' || !b.text.trim()) fail(problems.invalid('text: must not be empty', { text: [String(b.text ?? '')] }));
      const text = b.text as string;
      if (xWeightedLength(text) > X_MAX_WEIGHTED_LENGTH) fail(problems.forbidden('Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.'));
      if ((text.match(/\$[A-Za-z]{1,6}\b/g) ?? []).length > 1) fail(problems.forbidden('Posts are limited to one cashtag.'));
      if ([...this.posts.values()].some((p) => p.author_id === this.bot.id && !p.deleted && p.text === text)) fail(problems.forbidden(X_REFUSALS.duplicate));
      let parent: PostState | undefined;
      const replyTo = b.reply?.in_reply_to_tweet_id;
      if (replyTo !== undefined) {
        parent = this.posts.get(String(replyTo));
        if (!parent || parent.deleted) fail(problems.invalid('The Tweet you are replying to has been deleted or is not visible to you.', { 'reply.in_reply_to_tweet_id': [String(replyTo)] }));
        // Self-serve rule since 2026-02-23: only where the author explicitly summoned the account (or it is ours).
        if (parent!.author_id !== this.bot.id && !parent!.explicitMentionOfBot) fail(problems.forbidden(X_REFUSALS.replyNotAllowed));
      }
      const post = this.createPost(this.bot.id, text, { ...(parent ? { replyTo: parent } : {}) });
      return ok({ data: { id: post.id, text: post.text, edit_history_tweet_ids: post.edit_history_tweet_ids } }, 201);
    });

    this.route('DELETE', '/2/tweets/:id', 'tweets:delete', 'user', ({ params }) => {
      const post = this.posts.get(params.id!);
      if (!post || post.deleted) return ok({ data: { deleted: false } });
      if (post.author_id !== this.bot.id) fail(problems.forbidden('You are not authorized to delete this Tweet.'));
      this.userDeletes(post.id);
      return ok({ data: { deleted: true } });
    });

    this.route('PUT', '/2/tweets/:id/hidden', 'tweets:hide', 'user', ({ params, body }) => {
      const hidden = (body as { hidden?: unknown } | undefined)?.hidden;
      if (typeof hidden !== 'boolean') fail(problems.invalid('hidden: must be a boolean', { hidden: [String(hidden)] }));
      const post = this.posts.get(params.id!);
      if (!post || post.deleted) fail(problems.notFound('tweet', params.id!));
      const root = this.posts.get(post!.conversation_id);
      // Only the author of the conversation's root may hide replies in it, and a root is not a reply.
      if (!root || root.author_id !== this.bot.id || post!.id === root.id || post!.author_id === this.bot.id) fail(problems.forbidden(X_REFUSALS.hideNotAllowed));
      post!.hidden = hidden as boolean;
      return ok({ data: { hidden: post!.hidden } });
    });

    this.route('POST', '/2/dm_conversations/with/:participant_id/messages', 'dm:send', 'user', ({ params, body }) => {
      const b = (body ?? {}) as { text?: unknown };
      if (typeof b.text !== 'string' || !b.text.trim()) fail(problems.invalid('text: must not be empty', { text: [String(b.text ?? '')] }));
      if ((b.text as string).length > 10_000) fail(problems.invalid('text: must be at most 10000 characters'));
      const user = this.users.get(params.participant_id!);
      if (!user || user.id === this.bot.id) fail(problems.invalid(`Could not find user with id: [${params.participant_id}].`, { participant_id: [params.participant_id!] }));
      const wroteToUs = this.dms.some((d) => d.sender_id === user!.id && d.recipient_id === this.bot.id);
      if (!user!.dmOpen && !wroteToUs) fail(problems.forbidden(X_REFUSALS.dmNotAllowed));
      const dm = this.createDm(this.bot.id, user!.id, b.text as string);
      return ok({ data: { dm_conversation_id: dm.dm_conversation_id, dm_event_id: dm.id } }, 201);
    });

    // --- X Activity API: subscriptions
    this.route('POST', '/2/activity/subscriptions', 'subscriptions', 'any', ({ body, auth }) => {
      const b = (body ?? {}) as { event_type?: unknown; filter?: { user_id?: unknown }; tag?: unknown; webhook_id?: unknown };
      const eventType = String(b.event_type ?? '');
      if (!ACTIVITY_EVENT_TYPES.has(eventType)) fail(problems.invalid(`event_type: unknown event type [${eventType}]`, { event_type: [eventType] }));
      const userId = String(b.filter?.user_id ?? '');
      if (!/^\d{1,19}$/.test(userId)) fail(problems.invalid('filter.user_id: must be a user id', { 'filter.user_id': [userId] }));
      if (PRIVATE_EVENT_TYPES.has(eventType) && (auth !== 'user' || userId !== this.bot.id)) {
        fail(problems.forbidden(`Subscribing to ${eventType} requires the monitored user's authorization.`));
      }
      if (b.tag !== undefined && (typeof b.tag !== 'string' || b.tag.length < 1 || b.tag.length > 200)) fail(problems.invalid('tag: 1 to 200 characters'));
      if (b.webhook_id !== undefined && !this.webhooks.has(String(b.webhook_id))) fail(problems.invalid('webhook_id: WebhookIdInvalid', { webhook_id: [String(b.webhook_id)] }));
      if (this.subscriptions.size >= 1500) fail(problems.forbidden('SubscriptionLimitExceeded'));
      const now = new Date().toISOString();
      const sub: XSubscription = {
        subscription_id: this.nextId(),
        event_type: eventType,
        filter: { user_id: userId },
        ...(typeof b.tag === 'string' ? { tag: b.tag } : {}),
        ...(b.webhook_id !== undefined ? { webhook_id: String(b.webhook_id) } : {}),
        created_at: now,
        updated_at: now,
      };
      this.subscriptions.set(sub.subscription_id, sub);
      return ok({ data: { subscription: sub }, meta: { total_subscriptions: this.subscriptions.size } });
    });

    this.route('GET', '/2/activity/subscriptions', 'subscriptions', 'any', ({ query }) => {
      const max = intParam(query, 'max_results', 100, 1, 1000);
      const after = query.pagination_token ? decodeToken(query.pagination_token) : undefined;
      const all = [...this.subscriptions.values()].sort((a, b) => cmpId(a.subscription_id, b.subscription_id)).filter((s) => !after || cmpId(s.subscription_id, after) > 0);
      const page = all.slice(0, max);
      return ok({ data: page, meta: { total_subscriptions: this.subscriptions.size, ...(all.length > max ? { next_token: encodeToken(page.at(-1)!.subscription_id) } : {}) } });
    });

    this.route('PUT', '/2/activity/subscriptions/:id', 'subscriptions', 'app', ({ params, body }) => {
      const sub = this.subscriptions.get(params.id!);
      if (!sub) fail(problems.notFound('subscription', params.id!));
      const b = (body ?? {}) as { tag?: unknown; webhook_id?: unknown };
      if (b.webhook_id !== undefined && !this.webhooks.has(String(b.webhook_id))) fail(problems.invalid('webhook_id: WebhookIdInvalid'));
      if (typeof b.tag === 'string') sub!.tag = b.tag;
      if (b.webhook_id !== undefined) sub!.webhook_id = String(b.webhook_id);
      sub!.updated_at = new Date().toISOString();
      return ok({ data: { subscription: sub } });
    });

    this.route('DELETE', '/2/activity/subscriptions/:id', 'subscriptions', 'app', ({ params }) => {
      if (!this.subscriptions.delete(params.id!)) fail(problems.notFound('subscription', params.id!));
      return ok({ data: { deleted: true }, meta: { total_subscriptions: this.subscriptions.size } });
    });

    this.route('DELETE', '/2/activity/subscriptions', 'subscriptions', 'app', ({ query }) => {
      const ids = (query.ids ?? '').split(',').filter(Boolean);
      if (!ids.length || ids.length > 100) fail(problems.invalid('ids: 1 to 100 subscription ids', { ids: [query.ids ?? ''] }));
      const data: unknown[] = [];
      const errors: unknown[] = [];
      for (const id of ids) {
        if (this.subscriptions.delete(id)) data.push({ subscription_id: id, deleted: true });
        else errors.push({ subscription_id: id, reason: 'NotFound', message: `Could not find subscription with id: [${id}].` });
      }
      return ok({ data, ...(errors.length ? { errors } : {}), meta: { total_subscriptions: this.subscriptions.size } });
    });

    // --- X Activity API: the persistent stream (app Bearer only)
    this.route('GET', '/2/activity/stream', 'stream:connect', 'app', ({ query, res }) => {
      const backfill = query.backfill_minutes === undefined ? 0 : Number(query.backfill_minutes);
      if (!Number.isInteger(backfill) || backfill < 0 || backfill > 5) fail(problems.invalid('backfill_minutes: must be between 0 and 5', { backfill_minutes: [String(query.backfill_minutes)] }));
      if (this.streams.size >= this.options.maxStreamConnections) fail(problems.tooManyConnections());
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      const client: StreamClient = { res, keepAlive: setInterval(() => res.write('\r\n'), this.options.keepAliveMs) };
      this.streams.add(client);
      const close = () => {
        clearInterval(client.keepAlive);
        this.streams.delete(client);
      };
      res.on('close', close);
      if (backfill > 0) {
        const from = Date.now() - backfill * 60_000;
        for (const r of this.activity) if (r.at >= from) res.write(`${JSON.stringify(r.envelope)}\r\n`);
      }
      return STREAMING;
    });

    // --- V2 webhooks (app Bearer only)
    this.route('POST', '/2/webhooks', 'webhooks', 'app', async ({ body }) => {
      const url = String((body as { url?: unknown } | undefined)?.url ?? '');
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        fail(problems.invalid('UrlValidationFailed', { url: [url] }));
      }
      const secure = parsed!.protocol === 'https:' && !parsed!.port;
      if (url.length > 200 || (!secure && !(this.options.allowHttpWebhooks && parsed!.protocol === 'http:'))) fail(problems.invalid('UrlValidationFailed', { url: [url] }));
      if ([...this.webhooks.values()].some((w) => w.url === url)) fail(problems.invalid('DuplicateUrlFailed', { url: [url] }));
      if (this.webhooks.size >= 5) fail(problems.forbidden('WebhookLimitExceeded'));
      if (!(await this.runCrc({ url }))) fail(problems.invalid('CrcValidationFailed', { url: [url] }));
      const hook: XWebhook = { id: this.nextId(), url, valid: true, created_at: new Date().toISOString() };
      this.webhooks.set(hook.id, hook);
      return ok({ data: hook });
    });

    this.route('GET', '/2/webhooks', 'webhooks', 'app', () => ok({ data: [...this.webhooks.values()], meta: { result_count: this.webhooks.size } }));

    this.route('PUT', '/2/webhooks/:id', 'webhooks', 'app', async ({ params }) => {
      const hook = this.webhooks.get(params.id!);
      if (!hook) fail(problems.invalid('WebhookIdInvalid', { webhook_id: [params.id!] }));
      hook!.valid = await this.runCrc(hook!);
      if (!hook!.valid) fail(problems.invalid('CrcValidationFailed', { webhook_id: [params.id!] }));
      return ok({ data: { valid: true } });
    });

    this.route('DELETE', '/2/webhooks/:id', 'webhooks', 'app', ({ params }) => {
      if (!this.webhooks.delete(params.id!)) fail(problems.invalid('WebhookIdInvalid', { webhook_id: [params.id!] }));
      for (const s of this.subscriptions.values()) if (s.webhook_id === params.id) delete s.webhook_id;
      return ok({ data: { deleted: true } });
    });
  }
}

const STREAMING = Symbol('streaming');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const cmpId = (a: string, b: string) => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Pagination tokens are opaque to clients; here they carry the last id of the page, base-36 with a prefix. */
const encodeToken = (id: string) => `7140dib${BigInt(id).toString(36)}`;
function decodeToken(token: string): string {
  const m = /^7140dib([0-9a-z]+)$/.exec(token);
  if (!m) fail(problems.invalid(`The \`pagination_token\` query parameter value [${token}] is not valid`, { pagination_token: [token] }));
  return [...m![1]!].reduce((n, c) => n * 36n + BigInt(parseInt(c, 36)), 0n).toString();
}

function intParam(query: Record<string, string>, name: string, fallback: number, min: number, max: number): number {
  if (query[name] === undefined) return fallback;
  const n = Number(query[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    fail(problems.invalid(`The \`${name}\` query parameter value [${query[name]}] is not between ${min} and ${max}`, { [name]: [query[name]!] }));
  }
  return n;
}

function idParam(query: Record<string, string>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (!/^\d{1,19}$/.test(v)) fail(problems.invalid(`The \`${name}\` query parameter value [${v}] is not valid`, { [name]: [v] }));
  return v;
}
