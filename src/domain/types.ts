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
  /** The platform payload, for debugging only: dropped before persisting and redacted from logs. */
  raw?: unknown;
}

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
