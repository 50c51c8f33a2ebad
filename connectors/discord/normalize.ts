// Discord message payload → InboundMessage, or null when the message is not for the inbox. Pure: no I/O.
//
// The same function reads gateway MESSAGE_CREATE payloads and REST history messages (used to catch up after a
// reconnect). REST messages carry no guild_id, member or channel_type, so where the message lives is given by
// the caller as a DiscordChannelContext rather than read from the payload.
//
// What counts: every DM to the bot (a private conversation), and in guilds the messages in support channels plus
// those that mention the bot or reply to it anywhere (a public conversation per channel and customer). Other
// chatter, bots and webhooks (including ourselves) and system messages (joins, pins, boosts) are ignored.
//
// A message with `edited_timestamp` is an edited version (kind `edited`), whether it came as MESSAGE_UPDATE or
// from history read back after an outage; a MESSAGE_UPDATE without one is Discord filling in link embeds, not
// an edit (see isContentEdit). MESSAGE_DELETE and MESSAGE_DELETE_BULK carry only ids (normalizeDiscordDeletions).
//
// Every piece of text the customer put in the message reaches agents and the guard: the content, the messages
// they forwarded (Discord's 2024 forwarding: empty `content`, the text in `message_snapshots[].message`, which
// discord.js does not surface), a poll's question and answers, attachments' names and alt text.
import { z } from 'zod';
import type { InboundDeletion, InboundMessage } from '../../src/domain/types.ts';

const User = z
  .object({
    id: z.string(),
    username: z.string(),
    global_name: z.string().nullish(),
    bot: z.boolean().optional(),
    system: z.boolean().optional(),
  })
  .loose();

const Attachment = z.object({ filename: z.string(), description: z.string().optional() }).loose();

export const DiscordMessageSchema = z
  .object({
    id: z.string(),
    channel_id: z.string(),
    guild_id: z.string().optional(),
    channel_type: z.number().optional(),
    author: User,
    member: z.object({ nick: z.string().nullish() }).loose().nullish(),
    content: z.string(),
    timestamp: z.string(),
    type: z.number(),
    webhook_id: z.string().optional(),
    mentions: z.array(User).default([]),
    edited_timestamp: z.string().nullish(),
    attachments: z.array(Attachment).default([]),
    sticker_items: z.array(z.object({ name: z.string() }).loose()).optional(),
    /** Forwarded messages (message_reference.type 1): what the customer forwarded, content and attachments. */
    message_snapshots: z
      .array(z.object({ message: z.object({ content: z.string().default(''), attachments: z.array(Attachment).default([]) }).loose() }).loose())
      .optional(),
    poll: z
      .object({
        question: z.object({ text: z.string().optional() }).loose(),
        answers: z.array(z.object({ poll_media: z.object({ text: z.string().optional() }).loose() }).loose()).default([]),
      })
      .loose()
      .optional(),
    message_reference: z.object({ type: z.number().optional(), message_id: z.string().optional() }).loose().optional(),
    referenced_message: z.object({ id: z.string(), author: User }).loose().nullish(),
  })
  .loose();
export type DiscordMessagePayload = z.infer<typeof DiscordMessageSchema>;

/** Where a message was posted, as the connector knows it. */
export type DiscordChannelContext =
  | { kind: 'dm' }
  | {
      kind: 'guild';
      guildId: string;
      /** A configured support channel (or a thread inside one): every customer message there counts. */
      support: boolean;
      /** The guild's preferred locale (e.g. 'en-US'), the best language hint Discord gives a bot. */
      locale?: string;
    };

export interface DiscordNormalizeContext {
  connectorId: string;
  botUserId: string;
  channel: DiscordChannelContext;
}

/** Message types a customer writes: DEFAULT (0) and REPLY (19). The rest are system notices. */
const CUSTOMER_MESSAGE_TYPES = new Set([0, 19]);

const attachmentLine = (a: z.infer<typeof Attachment>) => `[attachment: ${a.filename}${a.description ? ` (${a.description})` : ''}]`;

/**
 * The text an agent sees and the guard reads: the content, then each forwarded message under a marker line, a
 * poll's question and answers, attachments (with their alt text) and stickers named so nothing is silently lost.
 */
function textOf(m: DiscordMessagePayload): string {
  const lines = m.content ? [m.content] : [];
  for (const snapshot of m.message_snapshots ?? []) {
    lines.push('[forwarded message]');
    if (snapshot.message.content) lines.push(snapshot.message.content);
    lines.push(...snapshot.message.attachments.map(attachmentLine));
  }
  if (m.poll) {
    lines.push(`[poll] ${m.poll.question.text ?? ''}`.trimEnd());
    for (const answer of m.poll.answers) if (answer.poll_media.text) lines.push(`- ${answer.poll_media.text}`);
  }
  lines.push(...m.attachments.map(attachmentLine));
  for (const s of m.sticker_items ?? []) lines.push(`[sticker: ${s.name}]`);
  return lines.join('\n');
}

/**
 * Whether a MESSAGE_UPDATE is a new version of what the customer wrote. Discord also sends one when it fills in
 * link embeds; those keep the message's previous `edited_timestamp` (null if never edited).
 */
export function isContentEdit(update: { edited_timestamp?: string | null }): boolean {
  return typeof update.edited_timestamp === 'string';
}

/** MESSAGE_DELETE carries `id`, MESSAGE_DELETE_BULK `ids`; both the channel (and guild, outside DMs). */
export const DiscordDeleteSchema = z
  .object({ id: z.string().optional(), ids: z.array(z.string()).optional(), channel_id: z.string(), guild_id: z.string().optional() })
  .loose();

/** MESSAGE_DELETE (`id`) or MESSAGE_DELETE_BULK (`ids`) → deletions, stamped `at` (Discord does not stamp them). */
export function normalizeDiscordDeletions(payload: z.infer<typeof DiscordDeleteSchema>, connectorId: string, at: Date): InboundDeletion[] {
  const ids = payload.ids ?? (payload.id ? [payload.id] : []);
  return ids.map((id) => ({ kind: 'deleted', platform: 'discord', connectorId, externalId: id, channelId: payload.channel_id, deletedAt: at }));
}

function addressesBot(m: DiscordMessagePayload, botUserId: string): boolean {
  // Discord lists the replied-to author in `mentions` unless the reply ping was turned off; check both.
  return m.mentions.some((u) => u.id === botUserId) || m.referenced_message?.author.id === botUserId;
}

export function normalizeDiscordMessage(m: DiscordMessagePayload, ctx: DiscordNormalizeContext): InboundMessage | null {
  if (m.author.bot || m.author.system || m.webhook_id) return null; // not customers (the core drops our own echoes)
  if (!CUSTOMER_MESSAGE_TYPES.has(m.type)) return null;
  const text = textOf(m);
  // Empty content in a guild usually means the MESSAGE_CONTENT intent is missing; there is nothing to show.
  if (!text) return null;

  let visibility: 'public' | 'private';
  let externalThreadId: string;
  let languageHint: string | undefined;
  if (ctx.channel.kind === 'dm') {
    visibility = 'private';
    externalThreadId = `dm:${m.author.id}`;
  } else if (ctx.channel.support || addressesBot(m, ctx.botUserId)) {
    visibility = 'public';
    // One public conversation per channel and customer: a customer's follow-ups (replies included) stay together.
    externalThreadId = `${m.channel_id}:${m.author.id}`;
    languageHint = ctx.channel.locale;
  } else {
    return null;
  }

  const replyTo = m.type === 19 ? (m.message_reference?.message_id ?? m.referenced_message?.id) : undefined;
  return {
    platform: 'discord',
    connectorId: ctx.connectorId,
    // Snowflakes are unique across Discord, so the message id alone identifies the message.
    externalId: m.id,
    externalThreadId,
    channelId: m.channel_id,
    visibility,
    author: {
      id: m.author.id,
      handle: m.author.username,
      displayName: m.member?.nick ?? m.author.global_name ?? m.author.username,
      ...(languageHint ? { languageHint } : {}),
    },
    text,
    createdAt: new Date(m.timestamp),
    ...(replyTo ? { replyTo } : {}),
    ...(m.edited_timestamp ? { kind: 'edited' as const, editedAt: new Date(m.edited_timestamp) } : {}),
    raw: m,
  };
}
