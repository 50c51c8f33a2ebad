// Telegram Update → InboundMessage, or null when the update is not for the inbox. Pure: no I/O.
//
// What counts: every message in a private chat with the bot (a private conversation), and in groups and
// supergroups the messages that mention the bot or reply to it (a public conversation per chat, forum topic and
// customer). Other group chatter, channel posts, service messages and other bots are ignored.
import { z } from 'zod';
import type { InboundMessage } from '../../src/domain/types.ts';

const User = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const Entity = z.object({ type: z.string(), offset: z.number(), length: z.number(), user: User.optional() });

const Message = z.object({
  message_id: z.number(),
  date: z.number(),
  chat: z.object({ id: z.number(), type: z.string(), title: z.string().optional() }),
  message_thread_id: z.number().optional(),
  from: User.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(Entity).optional(),
  caption_entities: z.array(Entity).optional(),
  reply_to_message: z.object({ message_id: z.number(), from: User.optional() }).optional(),
  photo: z.unknown().optional(),
  document: z.unknown().optional(),
  voice: z.unknown().optional(),
  video: z.unknown().optional(),
  sticker: z.unknown().optional(),
});

export const TelegramUpdateSchema = z.object({ update_id: z.number(), message: Message.optional() }).loose();
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

export interface TelegramBotIdentity {
  id: number;
  username: string;
}

/** The text an agent sees: the text or caption, or what kind of attachment arrived without one. */
function textOf(m: z.infer<typeof Message>): string | null {
  if (m.text !== undefined) return m.text;
  if (m.caption !== undefined) return m.caption;
  for (const kind of ['photo', 'document', 'voice', 'video', 'sticker'] as const) if (m[kind] !== undefined) return `[${kind}]`;
  return null;
}

function addressesBot(m: z.infer<typeof Message>, text: string, bot: TelegramBotIdentity): boolean {
  if (m.reply_to_message?.from?.id === bot.id) return true;
  const handle = `@${bot.username}`.toLowerCase();
  for (const e of [...(m.entities ?? []), ...(m.caption_entities ?? [])]) {
    const span = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === 'mention' && span === handle) return true;
    if (e.type === 'text_mention' && e.user?.id === bot.id) return true;
    if (e.type === 'bot_command' && span.endsWith(handle)) return true;
  }
  return false;
}

export function normalizeTelegramUpdate(update: TelegramUpdate, bot: TelegramBotIdentity, connectorId: string): InboundMessage | null {
  const m = update.message;
  if (!m || !m.from || m.from.is_bot) return null;
  const text = textOf(m);
  if (text === null) return null;
  const chatId = String(m.chat.id);
  let visibility: 'public' | 'private';
  let externalThreadId: string;
  if (m.chat.type === 'private') {
    visibility = 'private';
    externalThreadId = `dm:${chatId}`;
  } else if ((m.chat.type === 'group' || m.chat.type === 'supergroup') && addressesBot(m, text, bot)) {
    visibility = 'public';
    externalThreadId = `${chatId}:${m.message_thread_id ?? 0}:${m.from.id}`;
  } else {
    return null;
  }
  const displayName = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || undefined;
  return {
    platform: 'telegram',
    connectorId,
    // message_id is unique only within a chat.
    externalId: `${chatId}:${m.message_id}`,
    externalThreadId,
    channelId: chatId,
    visibility,
    author: { id: String(m.from.id), handle: m.from.username, displayName, languageHint: m.from.language_code },
    text,
    createdAt: new Date(m.date * 1000),
    replyTo: m.reply_to_message ? `${chatId}:${m.reply_to_message.message_id}` : undefined,
    raw: update,
  };
}
