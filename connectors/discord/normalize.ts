// Discord message payload → InboundMessage, or null when the message is not for the inbox. Pure: no I/O.
//
// The same function reads gateway MESSAGE_CREATE payloads and REST history messages (used to catch up after a
// reconnect). REST messages carry no guild_id, member or channel_type, so where the message lives is given by
// the caller as a DiscordChannelContext rather than read from the payload.
//
// What counts: every DM to the bot (a private conversation), and in guilds the messages in support channels plus
// those that mention the bot or reply to it anywhere (a public conversation per channel and customer). Other
// chatter, bots and webhooks (including ourselves) and system messages (joins, pins, boosts) are ignored.
import { z } from 'zod';
import type { InboundMessage } from '../../src/domain/types.ts';

const User = z
  .object({
    id: z.string(),
    username: z.string(),
    global_name: z.string().nullish(),
    bot: z.boolean().optional(),
    system: z.boolean().optional(),
  })
  .loose();

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
    attachments: z.array(z.object({ filename: z.string() }).loose()).default([]),
    sticker_items: z.array(z.object({ name: z.string() }).loose()).optional(),
    message_reference: z.object({ message_id: z.string().optional() }).loose().optional(),
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

/** The text an agent sees: the content, with attachments and stickers named so they are not silently lost. */
function textOf(m: DiscordMessagePayload): string {
  const lines = m.content ? [m.content] : [];
  for (const a of m.attachments) lines.push(`[attachment: ${a.filename}]`);
  for (const s of m.sticker_items ?? []) lines.push(`[sticker: ${s.name}]`);
  return lines.join('\n');
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
    raw: m,
  };
}
