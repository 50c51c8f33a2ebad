// The Connector contract: the only thing the core knows about a platform, and all a platform implements.
//
// A connector knows its platform and nothing else: it connects, receives (one of: a poll step, gateway
// callbacks, a verified webhook body), normalizes platform payloads into InboundEvents (posts, edits, deletions), sends replies,
// removes public posts and opens private conversations, and reports every failure as a ConnectorError
// (connectors/errors.ts).
//
// It deliberately leaves out everything the core does once for every platform (src/runtime/): which process
// receives (a Redis lease with a fencing token), when to retry and how long to wait (one backoff policy),
// what health to report, where the cursor is stored and when, dropping the bot's own messages (echoes) and
// repeated deliveries, and handing events to the queue before the platform is acknowledged. It also never
// touches storage (no Prisma), queues (no BullMQ), HTTP serving (the API hands it a webhook's raw bytes) or
// sensitive data (the guard's job). Connectors import nothing under src/ but src/domain/.
import type { z } from 'zod';
import type { InboundEvent, MessageRef, OutboundReply, Platform, PlatformUserRef, Visibility } from '../src/domain/types.ts';

/**
 * What a connector can do. Exactly one of `webhook`, `polling` and `gateway` is true: it says how the runtime
 * receives for this connector (a connector class that can do several picks one per configuration).
 */
export interface ConnectorCapabilities {
  /** The platform pushes to /webhooks/:connectorId; the connector implements `subscribeWebhook` and `handleWebhook`. */
  webhook: boolean;
  /** The runtime calls `poll` in a loop. */
  polling: boolean;
  /** The connector holds a live connection and calls back (`listen`). */
  gateway: boolean;
  /** Can delete a customer's public post (given the platform permission). */
  deletePublic: boolean;
  /** Can hide a customer's public post without deleting it (X hidden replies). */
  hidePublic: boolean;
  /** Can open a private conversation with a customer who has not written privately. */
  directMessage: boolean;
}

export type ConnectorHealthStatus = 'starting' | 'connected' | 'reconnecting' | 'auth_failed' | 'error' | 'stopped';

/** A connector's state as an admin sees it. Decided by the runtime, never by the connector. */
export interface ConnectorHealth {
  status: ConnectorHealthStatus;
  /** A readable reason for the last failure; never contains credentials. */
  lastError?: string;
}

/** The result of one poll step. */
export interface PollBatch {
  /** Normalized events, oldest first. May be empty (a long poll that timed out). */
  events: InboundEvent[];
  /**
   * The resume state after these events (Telegram: the last update id), or null when there is none yet. The
   * runtime stores it only after `events` were sunk, and passes it to the next step, which is what
   * acknowledges the batch on platforms that acknowledge by position.
   */
  cursor: string | null;
}

/** What the runtime lends a gateway connector while it listens. */
export interface GatewaySession {
  /** The resume state stored by the last holder of this connector (in any process), or null. */
  readonly cursor: string | null;
  /**
   * Hands events over and, when `cursor` is given, makes it the stored resume state. Resolves once the events
   * are durable (queued): only then may the connector acknowledge them or move past them. Rejects when they
   * could not be accepted or this process no longer holds the connector; the connector must then stop
   * listening by rejecting `listen` (the runtime restarts it from the stored cursor if it still holds it).
   * Calls are handled in order; the bot's own messages and repeats are dropped here.
   */
  deliver(events: InboundEvent[], cursor?: string): Promise<void>;
  /**
   * Makes `cursor` the stored resume state at once (after the deliveries handed over before it) and resolves once
   * it is stored; deliver's cursors are stored a moment later, in batches. For state whose loss would lose
   * messages rather than re-read a few: a channel followed for the first time, which the next holder can read
   * back only if the stored cursor names it. Rejects like deliver.
   */
  storeCursor(cursor: string): Promise<void>;
  /** The platform connection is up (first time or again). */
  connected(): void;
  /** The connection dropped and the platform library is reconnecting by itself; `reason` is shown to admins. */
  reconnecting(reason: string): void;
}

export interface WebhookRequest {
  method: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  body?: unknown;
}

/** One verified webhook delivery: what to sink, and what to answer once it is sunk. */
export interface WebhookDelivery {
  /** Events to sink before answering; empty for a rejected request or a handshake (X's CRC check). */
  events: InboundEvent[];
  /** Sent to the platform after the events are durable; a failure to sink answers 5xx instead, so it redelivers. */
  response: WebhookResponse;
}

/**
 * How fast a bot may write into one chat. The core spaces every reply and warning to a chat accordingly, across
 * all processes (queues/pace.ts); a platform whose client library already queues per route (discord.js) needs none.
 */
export interface ChatPace {
  /** Least time between two messages into one chat, in ms. */
  minIntervalMs: number;
  /** At most this many messages a minute into one public chat (a group or channel); unset = no cap. */
  publicPerMinute?: number;
}

export interface Connector {
  readonly platform: Platform;
  readonly connectorId: string;
  readonly capabilities: ConnectorCapabilities;
  /** True when sending the same reply twice cannot produce two platform messages (Discord nonces). */
  readonly idempotentSend: boolean;

  /**
   * Checks the credentials and returns the bot's own account (the runtime drops messages it authored).
   * Throws AuthError for rejected credentials: the runtime then reports auth_failed and waits for an admin.
   */
  connect(): Promise<PlatformUserRef>;

  /**
   * Polling (`capabilities.polling`), and reconciliation beside webhooks (`capabilities.webhook`: the holder
   * polls too, for what the platform's deliveries miss): one step. Fetches what came after `cursor` (long-polling if the platform
   * allows), never sleeps for a retry, and throws a ConnectorError on failure. Aborting `signal` ends the step
   * early (it may then throw anything).
   */
  poll?(cursor: string | null, signal: AbortSignal): Promise<PollBatch>;

  /**
   * Gateway (`capabilities.gateway`): holds the platform connection and hands events to `session` until
   * `signal` aborts (then resolves, after releasing the connection). Rejects with a ConnectorError when the
   * connection gives up or a delivery failed; the runtime decides whether and when to listen again.
   */
  listen?(session: GatewaySession, signal: AbortSignal): Promise<void>;

  /**
   * Webhook (`capabilities.webhook`): tells the platform where to deliver (the URL is in ConnectorInput).
   * Called by the process that holds the connector, whenever it takes it; must be safe to repeat.
   */
  subscribeWebhook?(): Promise<void>;

  /**
   * Verifies and normalizes one webhook delivery, at whichever API process it arrived. Never sinks and never
   * throws for a bad request: it answers 4xx with no events.
   */
  handleWebhook?(req: WebhookRequest): Promise<WebhookDelivery>;

  /** Sends an agent's reply, threaded to the customer's message where the platform allows. */
  send(reply: OutboundReply): Promise<{ externalId: string; sentAt: Date }>;
  /** The platform's per-chat sending limits, when it has any the core must respect. */
  readonly chatPace?: ChatPace;
  removePublic?(ref: MessageRef): Promise<'deleted' | 'hidden' | 'not_allowed'>;
  /**
   * Writes to a customer privately. Answers the message's id and the private conversation it belongs to, in the
   * same terms inbound private messages use (so the inbox files it with the customer's own DMs).
   */
  openDirect?(user: PlatformUserRef, text: string): Promise<{ externalId: string; externalThreadId: string; channelId: string }>;
}

/** What a definition's `create` receives: one connector's validated configuration. */
export interface ConnectorInput<C, S> {
  connectorId: string;
  credentials: C;
  settings: S;
  /** Where the platform should deliver webhooks for this connector (PUBLIC_URL + /webhooks/:id). */
  webhookUrl: string;
  /**
   * Counts what the connector spends on a platform that bills per use (X): one record per request made and per
   * event delivered. The core adds them up per connector for the admin view; absent in tests that do not care.
   */
  meter?: (record: UsageRecord) => void;
}

/** One metered platform request or delivered event, with its estimated price. */
export interface UsageRecord {
  /** What was called (`mentions`, `tweets:create`, …) or delivered (`event:<type>`). */
  endpoint: string;
  /** 1 for a request, 0 for an event delivered to us. */
  requests: number;
  /** Estimated USD at the platform's pay-per-use prices; 0 when the price list does not name it. */
  costUsd: number;
}

/** A platform, as the registry (connectors/registry.ts) and the admin API know it. */
export interface ConnectorDefinition<C = any, S = any> {
  platform: Platform;
  /** Validated when an admin saves a connector; the API names the offending field. */
  credentialsSchema: z.ZodType<C>;
  settingsSchema: z.ZodType<S>;
  /** Settings that are secrets all the same (a webhook secret): write-only, like credentials. */
  secretSettings: readonly string[];
  /** The longest reply the platform accepts in one message. */
  maxReplyLength: number;
  /**
   * How the platform measures a reply when that is not its UTF-16 length, or depends on where it goes (X: 280
   * weighted characters in public, counting Chinese twice; 10,000 in DMs). Absent: `text.length` against
   * `maxReplyLength`.
   */
  replyLength?(text: string, visibility: Visibility): { length: number; max: number };
  create(input: ConnectorInput<C, S>): Connector;
}
