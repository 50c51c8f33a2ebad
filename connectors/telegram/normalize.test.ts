import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeTelegramUpdate, TelegramUpdateSchema } from './normalize.ts';

const BOT = { id: 777000111, username: 'inbox_bot' };
const fixture = (name: string) => TelegramUpdateSchema.parse(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')));
const normalize = (update: unknown) => normalizeTelegramUpdate(TelegramUpdateSchema.parse(update), BOT, 'tg1');

const alice = { id: 4242001, is_bot: false, first_name: 'Alice', username: 'alice' };
const privateChat = { id: 4242001, type: 'private', first_name: 'Alice' };
const group = { id: -1001234567890, type: 'supergroup', title: 'Wallet Support (test)' };
const message = (over: object) => ({ update_id: 1, message: { message_id: 9, date: 1768469400, chat: privateChat, from: alice, ...over } });

describe('normalizeTelegramUpdate', () => {
  it('an edited_message is the whole new version of the message, kind edited, stamped with edit_date', () => {
    const original = normalize(fixture('group-mention.json'));
    const edited = normalize(fixture('group-mention-edited.json'));
    expect(edited).toMatchObject({
      kind: 'edited',
      externalId: original!.externalId,
      externalThreadId: original!.externalThreadId,
      visibility: 'public',
      text: '👋 @inbox_bot my swap failed, is there an outage? tx 0x9f2c…',
      createdAt: new Date(1768469400 * 1000),
      editedAt: new Date(1768469460 * 1000),
    });
    expect(original!.kind).toBeUndefined();
  });

  it('a caption is the text of a photo or document, and a caption mention addresses the bot', () => {
    const photo = {
      chat: group,
      photo: [{ file_id: 'a', file_unique_id: 'b', width: 90, height: 90 }],
      caption: '@inbox_bot is this screen right?',
      caption_entities: [{ type: 'mention', offset: 0, length: 10 }],
    };
    expect(normalize(message(photo))).toMatchObject({ visibility: 'public', text: '@inbox_bot is this screen right?' });
    const doc = { document: { file_id: 'a', file_unique_id: 'b', file_name: 'statement.pdf' }, caption: 'my statement' };
    expect(normalize(message(doc))!.text).toBe('[document: statement.pdf]\nmy statement');
    expect(normalize(message({ photo: [] }))!.text).toBe('[photo]');
  });

  it('a quote of another message is shown above the reply', () => {
    const reply = {
      text: 'this is what I typed',
      reply_to_message: { message_id: 3, from: alice },
      quote: { text: 'first line\nsecond line', position: 0, is_manual: true },
    };
    expect(normalize(message(reply))!.text).toBe('> first line\n> second line\nthis is what I typed');
  });

  it('a poll shows its question and options; a contact its name and phone number', () => {
    const poll = { id: '1', question: 'Which network?', options: [{ text: 'TRC-20', voter_count: 0 }, { text: 'ERC-20', voter_count: 0 }], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false };
    expect(normalize(message({ poll }))!.text).toBe('[poll] Which network?\n- TRC-20\n- ERC-20');
    const contact = { phone_number: '+8613800138000', first_name: 'Wei', last_name: 'Zhang', user_id: 4242003 };
    expect(normalize(message({ contact }))!.text).toBe('[contact] Wei Zhang: +8613800138000');
  });

  it('a message with nothing a customer wrote (a service message) is not for the inbox', () => {
    expect(normalize(message({ new_chat_title: 'x' }))).toBeNull();
  });
});
