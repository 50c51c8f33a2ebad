// Canonical shapes that flow through the pipeline. Connectors produce InboundMessage and consume
// OutboundReply; nothing platform-specific leaves a connector except `raw`, which is never logged.

export const PLATFORMS = ['telegram', 'discord', 'x'] as const;
export type Platform = (typeof PLATFORMS)[number];

export type Visibility = 'public' | 'private';

export const FINDING_TYPES = [
  'seed_phrase',
  'private_key',
  'password',
  'otp',
  'payment_card',
  'bank_account',
  'national_id',
  'phone',
  'email',
  'api_token',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** A span of sensitive data. Offsets are UTF-16 indices into the text they were found in; end is exclusive. */
export interface Finding {
  type: FindingType;
  start: number;
  end: number;
}

export interface PlatformUserRef {
  /** The platform's own user id (Telegram user id, Discord snowflake, X user id). */
  id: string;
  handle?: string;
  displayName?: string;
  /** BCP-47-ish hint from the platform (Telegram language_code), if any. */
  languageHint?: string;
}

/** Where a message lives on its platform: enough to reply to it, delete it or hide it. */
export interface MessageRef {
  externalId: string;
  externalThreadId: string;
  /** Platform-specific location (Telegram chat id, Discord channel id); defaults to the thread id. */
  channelId?: string;
}

export interface InboundMessage {
  platform: Platform;
  connectorId: string;
  /** Unique per connector: the same platform event always yields the same externalId. */
  externalId: string;
  /** Groups messages into one conversation (a DM chat, or a public chat/channel thread). */
  externalThreadId: string;
  /** Where to send a reply or a delete (Telegram chat id, Discord channel id). */
  channelId: string;
  visibility: Visibility;
  author: PlatformUserRef;
  text: string;
  createdAt: Date;
  /** externalId of the message this one replies to, if any. */
  replyTo?: string;
  /**
   * `created` (the default when absent): a new post. `edited`: the whole new version of a post the customer
   * changed; the core replaces the stored text and guards it again. An edit of a message the inbox never stored
   * is stored as the message (platforms may deliver it first, or only it).
   */
  kind?: 'created' | 'edited';
  /** For `edited`: when the platform says the edit was made. An older version never replaces a newer one. */
  editedAt?: Date;
  /**
   * `inbound` (the default when absent): the customer wrote it. `outbound`: the connected account itself sent it
   * (an agent answering in the platform's own app, or the platform's echo of a reply the inbox sent); the core
   * stores it as a sent reply, never as a customer message, and keeps one message per platform id. `author` is
   * then the account, and `recipient` the customer.
   */
  direction?: 'inbound' | 'outbound';
  /** For `outbound`: the customer it was sent to (the conversation's contact). Required then. */
  recipient?: PlatformUserRef;
  /** The platform payload, for debugging only: dropped before persisting and redacted from logs. */
  raw?: unknown;
}

/**
 * A message deleted on its platform (by its author, a moderator or the guard). Platforms say little more than
 * its id (Discord MESSAGE_DELETE carries id, channel and guild), so this is not an InboundMessage: the core marks
 * the stored message deleted and keeps its masked text; a deletion of a message never stored is dropped.
 * Telegram sends no deletions for ordinary chats.
 */
export interface InboundDeletion {
  kind: 'deleted';
  platform: Platform;
  connectorId: string;
  /** The externalId the deleted message was stored under. */
  externalId: string;
  channelId: string;
  /** When the deletion was seen (platforms do not stamp deletions). */
  deletedAt: Date;
  raw?: unknown;
}

/** Everything a connector hands the core: posts, new versions of posts, deletions. */
export type InboundEvent = InboundMessage | InboundDeletion;

/** Narrows an inbound event to a deletion. */
export const isDeletion = (event: InboundEvent): event is InboundDeletion => event.kind === 'deleted';

export interface OutboundReply {
  connectorId: string;
  externalThreadId: string;
  channelId: string;
  text: string;
  /** The customer's message this reply answers (threaded on the platform where it can be). */
  replyToExternalId?: string;
  /** Idempotency key: the outbound message id in our database. */
  idempotencyKey: string;
}
