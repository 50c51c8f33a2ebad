// The Connector contract: the only thing the core knows about a platform.
//
// A connector turns platform traffic into InboundMessages and OutboundReplies into platform calls, and reports
// every failure as a ConnectorError (connectors/errors.ts). It deliberately leaves out: storage (it never imports
// Prisma), queues and retries (it never imports BullMQ; workers decide retries from the error kind), HTTP
// serving (the API hands it a webhook's raw bytes), deduplication and echo suppression (the core does both once,
// for every platform) and anything about sensitive data (the guard's job).
import type { InboundEvent, MessageRef, OutboundReply, Platform, PlatformUserRef } from '../src/domain/types.ts';

export interface ConnectorCapabilities {
  webhook: boolean;
  polling: boolean;
  gateway: boolean;
  /** Can delete a customer's public post (given the platform permission). */
  deletePublic: boolean;
  /** Can hide a customer's public post without deleting it (X hidden replies). */
  hidePublic: boolean;
  /** Can open a private conversation with a customer who has not written privately. */
  directMessage: boolean;
}

export type ConnectorHealthStatus = 'starting' | 'connected' | 'reconnecting' | 'auth_failed' | 'error' | 'stopped';

export interface ConnectorHealth {
  status: ConnectorHealthStatus;
  /** A readable reason for the last failure; never contains credentials. */
  lastError?: string;
}

/** What the core lends a running connector. */
export interface ConnectorRuntime {
  /**
   * Durably accepts inbound events (posts, edits, deletions). Once it resolves, the connector may acknowledge
   * them to the platform.
   */
  sink(events: InboundEvent[]): Promise<void>;
  /** Opaque per-connector resume state (Telegram update offset, Discord last message ids), kept in the database. */
  loadCursor(): Promise<string | null>;
  saveCursor(cursor: string): Promise<void>;
  reportHealth(health: ConnectorHealth): void;
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
  /** Checks the credentials and returns the bot's own account (the core drops messages it authored). */
  connect(): Promise<PlatformUserRef>;
  /** Receives until `signal` aborts (polling loop or gateway). Resolves once fully stopped. */
  start(runtime: ConnectorRuntime, signal: AbortSignal): Promise<void>;
  /** Verifies, normalizes and sinks one webhook delivery; answers what the platform expects. */
  handleWebhook?(req: WebhookRequest, runtime: ConnectorRuntime): Promise<WebhookResponse>;
  /** Sends an agent's reply, threaded to the customer's message where the platform allows. */
  send(reply: OutboundReply): Promise<{ externalId: string; sentAt: Date }>;
  /** True when sending the same reply twice cannot produce two platform messages (Discord nonces). */
  readonly idempotentSend: boolean;
  /** The platform's per-chat sending limits, when it has any the core must respect. */
  readonly chatPace?: ChatPace;
  removePublic?(ref: MessageRef): Promise<'deleted' | 'hidden' | 'not_allowed'>;
  /**
   * Writes to a customer privately. Answers the message's id and the private conversation it belongs to, in the
   * same terms inbound private messages use (so the inbox files it with the customer's own DMs).
   */
  openDirect?(user: PlatformUserRef, text: string): Promise<{ externalId: string; externalThreadId: string; channelId: string }>;
}
