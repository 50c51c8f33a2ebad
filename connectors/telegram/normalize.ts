// Telegram Update → InboundMessage, or null when the update is not for the inbox. Pure: no I/O.
//
// What counts: every message in a private chat with the bot (a private conversation), and in groups and
// supergroups the messages that mention the bot or reply to it (a public conversation per chat, forum topic and
// customer). Other group chatter, channel posts, service messages and other bots are ignored. An
// `edited_message` is the whole new version of a message (kind `edited`, stamped with `edit_date`); Telegram
// sends no deletions for ordinary chats.
//
// Every piece of text the customer put in the message reaches agents and the guard, not only `text`: a caption,
// the part of another message they quoted, a poll's question and options, a shared contact's name and phone
// number, a document's file name, a venue, a checklist. (Bot API "Message": text, caption, quote, poll, contact,
// document, venue, checklist.)
import { z } from 'zod';
import type { InboundMessage } from '../../src/domain/types.ts';

/** The update kinds the connector asks Telegram for (getUpdates / setWebhook `allowed_updates`). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message'] as const;

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
  /** Unix seconds of the last edit (edited_message only). */
  edit_date: z.number().optional(),
  chat: z.object({ id: z.number(), type: z.string(), title: z.string().optional() }),
  message_thread_id: z.number().optional(),
  from: User.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(Entity).optional(),
  caption_entities: z.array(Entity).optional(),
  reply_to_message: z.object({ message_id: z.number(), from: User.optional() }).optional(),
  /** The part of the replied-to message the customer quoted (Bot API 7.0 TextQuote). */
  quote: z.object({ text: z.string() }).loose().optional(),
  poll: z.object({ question: z.string(), options: z.array(z.object({ text: z.string() }).loose()) }).loose().optional(),
  contact: z
    .object({ phone_number: z.string(), first_name: z.string().optional(), last_name: z.string().optional() })
    .loose()
    .optional(),
  venue: z.object({ title: z.string(), address: z.string() }).loose().optional(),
  checklist: z.object({ title: z.string(), tasks: z.array(z.object({ text: z.string() }).loose()) }).loose().optional(),
  document: z.object({ file_name: z.string().optional() }).loose().optional(),
  photo: z.unknown().optional(),
  voice: z.unknown().optional(),
  video: z.unknown().optional(),
  sticker: z.unknown().optional(),
});
type TelegramMessage = z.infer<typeof Message>;

export const TelegramUpdateSchema = z.object({ update_id: z.number(), message: Message.optional(), edited_message: Message.optional() }).loose();
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

export interface TelegramBotIdentity {
  id: number;
  username: string;
}

/**
 * The text an agent sees and the guard reads: everything the customer wrote in the message, one part a line,
 * labelled where it is not the message body; or what kind of attachment arrived without any. Null when there is
 * nothing (a service message).
 */
function textOf(m: TelegramMessage): string | null {
  const parts: string[] = [];
  if (m.quote) parts.push(m.quote.text.split('\n').map((line) => `> ${line}`).join('\n'));
  if (m.poll) parts.push(`[poll] ${m.poll.question}`, ...m.poll.options.map((o) => `- ${o.text}`));
  if (m.checklist) parts.push(`[checklist] ${m.checklist.title}`, ...m.checklist.tasks.map((t) => `- ${t.text}`));
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    parts.push(`[contact] ${name ? `${name}: ` : ''}${m.contact.phone_number}`);
  }
  if (m.venue) parts.push(`[venue] ${m.venue.title}, ${m.venue.address}`);
  if (m.document?.file_name) parts.push(`[document: ${m.document.file_name}]`);
  const body = m.text ?? m.caption;
  if (body !== undefined && body !== '') parts.push(body);
  if (parts.length) return parts.join('\n');
  for (const kind of ['photo', 'document', 'voice', 'video', 'sticker'] as const) if (m[kind] !== undefined) return `[${kind}]`;
  return body ?? null;
}

/** Entity offsets index the text or the caption, whichever the message has. */
function addressesBot(m: TelegramMessage, bot: TelegramBotIdentity): boolean {
  const text = m.text ?? m.caption ?? '';
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
  const edited = !update.message && update.edited_message !== undefined;
  const m = update.message ?? update.edited_message;
  if (!m || !m.from || m.from.is_bot) return null;
  const text = textOf(m);
  if (text === null) return null;
  const chatId = String(m.chat.id);
  let visibility: 'public' | 'private';
  let externalThreadId: string;
  if (m.chat.type === 'private') {
    visibility = 'private';
    externalThreadId = `dm:${chatId}`;
  } else if ((m.chat.type === 'group' || m.chat.type === 'supergroup') && addressesBot(m, bot)) {
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
    ...(edited ? { kind: 'edited' as const, editedAt: new Date((m.edit_date ?? m.date) * 1000) } : {}),
    raw: update,
  };
}
