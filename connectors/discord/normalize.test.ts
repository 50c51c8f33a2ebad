import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DiscordDeleteSchema,
  DiscordMessageSchema,
  isContentEdit,
  normalizeDiscordDeletions,
  normalizeDiscordMessage,
  type DiscordChannelContext,
} from './normalize.ts';

const BOT_ID = '1100000000000000001';
const fixture = (name: string) =>
  DiscordMessageSchema.parse(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).d);
const guild = (support: boolean, locale?: string): DiscordChannelContext => ({ kind: 'guild', guildId: '1200000000000000001', support, ...(locale ? { locale } : {}) });
const ctx = (channel: DiscordChannelContext) => ({ connectorId: 'dc1', botUserId: BOT_ID, channel });

describe('normalizeDiscordMessage', () => {
  it('a message in a support channel is a public conversation per channel and author', () => {
    const m = fixture('message-create-guild.json');
    const event = normalizeDiscordMessage(m, ctx(guild(true, 'pt-BR')));
    expect(event).toMatchObject({
      platform: 'discord',
      connectorId: 'dc1',
      externalId: m.id,
      externalThreadId: `${m.channel_id}:${m.author.id}`,
      channelId: m.channel_id,
      visibility: 'public',
      author: { id: m.author.id, handle: 'alice_w', displayName: 'Alice', languageHint: 'pt-BR' },
      text: m.content,
      createdAt: new Date(m.timestamp),
    });
    expect(event?.replyTo).toBeUndefined();
    expect(event?.raw).toBe(m);
  });

  it('ignores the same message outside support channels unless it addresses the bot', () => {
    const m = fixture('message-create-guild.json');
    expect(normalizeDiscordMessage(m, ctx(guild(false)))).toBeNull();
    const mention = { ...m, content: `<@${BOT_ID}> help`, mentions: [{ id: BOT_ID, username: 'WalletSupport' }] };
    expect(normalizeDiscordMessage(mention, ctx(guild(false)))?.visibility).toBe('public');
  });

  it('a DM is a private conversation keyed by the customer', () => {
    const m = fixture('message-create-dm.json');
    expect(normalizeDiscordMessage(m, ctx({ kind: 'dm' }))).toMatchObject({
      externalThreadId: `dm:${m.author.id}`,
      channelId: m.channel_id,
      visibility: 'private',
      author: { id: m.author.id, handle: 'bob.k', displayName: 'bob.k' },
    });
  });

  it('a reply names the replied message, and a reply to the bot counts even outside support channels', () => {
    const m = fixture('message-create-reply.json');
    const event = normalizeDiscordMessage({ ...m, mentions: [] }, ctx(guild(false)));
    expect(event?.replyTo).toBe(m.message_reference?.message_id);
    expect(event?.externalThreadId).toBe(`${m.channel_id}:${m.author.id}`);
  });

  it('ignores bots, webhooks, system messages and empty content; names attachments', () => {
    const m = fixture('message-create-guild.json');
    const support = ctx(guild(true));
    // Our own messages (author.bot) are not customers either; without the flag, dropping them is the core's job.
    expect(normalizeDiscordMessage({ ...m, author: { ...m.author, id: BOT_ID, bot: true } }, support)).toBeNull();
    expect(normalizeDiscordMessage({ ...m, author: { ...m.author, bot: true } }, support)).toBeNull();
    expect(normalizeDiscordMessage({ ...m, webhook_id: '1' }, support)).toBeNull();
    expect(normalizeDiscordMessage({ ...m, type: 7 }, support)).toBeNull(); // member joined
    expect(normalizeDiscordMessage({ ...m, content: '' }, support)).toBeNull();
    const withFile = { ...m, content: '', attachments: [{ filename: 'screenshot.png' }] };
    expect(normalizeDiscordMessage(withFile, support)?.text).toBe('[attachment: screenshot.png]');
    const nick = { ...m, member: { nick: 'Ally' } };
    expect(normalizeDiscordMessage(nick, support)?.author.displayName).toBe('Ally');
  });

  it('an edited message (MESSAGE_UPDATE, or history after an outage) is its whole new version, kind edited', () => {
    const packet = JSON.parse(readFileSync(new URL('./fixtures/message-update.json', import.meta.url), 'utf8'));
    expect(isContentEdit(packet.d)).toBe(true);
    const event = normalizeDiscordMessage(DiscordMessageSchema.parse(packet.d), ctx(guild(true)));
    expect(event).toMatchObject({
      kind: 'edited',
      externalId: '1574965691692351488',
      text: 'Hi, my withdrawal has been pending for 3 hours now',
      editedAt: new Date('2026-11-25T01:53:10.511Z'),
      createdAt: new Date('2026-11-25T01:51:22.347Z'),
    });
    // Discord filling in link embeds sends MESSAGE_UPDATE without an edit time: not a new version.
    expect(isContentEdit({ ...packet.d, edited_timestamp: null })).toBe(false);
    expect(normalizeDiscordMessage(fixture('message-create-guild.json'), ctx(guild(true)))?.kind).toBeUndefined();
  });

  it('MESSAGE_DELETE and MESSAGE_DELETE_BULK become deletions of the stored messages', () => {
    const at = new Date('2026-11-25T02:00:00Z');
    const one = DiscordDeleteSchema.parse(JSON.parse(readFileSync(new URL('./fixtures/message-delete.json', import.meta.url), 'utf8')).d);
    expect(normalizeDiscordDeletions(one, 'dc1', at)).toEqual([
      { kind: 'deleted', platform: 'discord', connectorId: 'dc1', externalId: '1574965691692351488', channelId: '1300000000000000001', deletedAt: at },
    ]);
    const bulk = DiscordDeleteSchema.parse(JSON.parse(readFileSync(new URL('./fixtures/message-delete-bulk.json', import.meta.url), 'utf8')).d);
    expect(normalizeDiscordDeletions(bulk, 'dc1', at).map((d) => d.externalId)).toEqual(['1574965691692351490', '1574965691692351491']);
  });

  it('a forwarded message (empty content) carries the forwarded text and attachments, under its own id', () => {
    const m = fixture('message-create-forward.json');
    const event = normalizeDiscordMessage(m, ctx(guild(true)));
    expect(event).toMatchObject({ externalId: m.id, visibility: 'public' });
    expect(event!.text).toBe('[forwarded message]\nmy wallet words are in this note, what do I do?\n[attachment: backup.png (screenshot of my seed backup)]');
    expect(event!.replyTo).toBeUndefined();
  });

  it('a poll shows its question and answers', () => {
    const event = normalizeDiscordMessage(fixture('message-create-poll.json'), ctx(guild(true)));
    expect(event!.text).toBe('[poll] Which network did you send the USDT on?\n- TRC-20\n- ERC-20');
  });
});
