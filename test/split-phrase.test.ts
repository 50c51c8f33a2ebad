// Issue 9.3 end to end: a recovery phrase posted in two public messages (neither is a phrase on its own) is
// masked in both stored messages, both posts are removed, and the customer is warned once and advised privately
// once: one incident, not one advice per part.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

let inbox: TestInbox;
let fake: TelegramFake;
const BOT = { token: '5570001:SPLIT_token_for_the_fake_0000000', id: 5570001, username: 'split_test_bot' };
const GROUP = { id: -1005570000001, title: 'Moderated', type: 'supergroup' as const };

beforeAll(async () => {
  inbox = await startTestInbox();
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
  await fake.start();
  fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: true });
  await inbox.connect(telegramConnector(fake.apiRoot, BOT.token, 'TG split'));
});
afterAll(async () => {
  await fake?.stop();
  await inbox?.stop();
});

/** Waits until both posts are removed from the group and both stored parts carry a masked phrase; the parts. */
async function bothPartsActedOn(conversationId: string, firstId: number, secondId: number): Promise<any[]> {
  await eventually(
    async () => fake.isDeleted(GROUP.id, firstId, BOT.token) && fake.isDeleted(GROUP.id, secondId, BOT.token),
    15_000,
    'both parts removed',
  );
  return eventually(async () => {
    const items = (await inbox.api(`/api/conversations/${conversationId}/messages`)).body.items.filter((m: any) => m.direction === 'inbound');
    return items.length === 2 && items.every((m: any) => m.findings.some((f: any) => f.type === 'seed_phrase')) ? items : undefined;
  }, 15_000, 'both parts masked');
}

describe('a phrase split over two public messages', () => {
  it('is masked in both, both posts are removed, and one warning and one private advice go out', async () => {
    const user = { id: 670001, first_name: 'Sam', username: 'sam_split', language_code: 'en' };
    fake.userSendsPrivate(BOT.token, user, 'hi'); // he has a private chat with the bot, so it can advise him there
    const words = generateMnemonic(english).split(' ');
    const firstHalf = words.slice(0, 6).join(' ');
    const secondHalf = words.slice(6).join(' ');
    const first = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} my recovery phrase is ${firstHalf}`);
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items.find((c: any) => c.contact.handle === 'sam_split'),
      10_000,
      'conversation',
    );
    // The first half alone is no phrase: it is stored as written.
    const before = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items;
    expect(before[0].text).toContain(firstHalf);

    const second = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} ${secondHalf}`);
    const inbound = await bothPartsActedOn(conversation.id, first.message_id, second.message_id);
    expect(inbound[0].text).toBe(`@${BOT.username} my recovery phrase is [seed_phrase removed]`);
    expect(inbound[1].text).toBe(`@${BOT.username} [seed_phrase removed]`);

    await eventually(async () => {
      const items = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items.filter((m: any) => m.direction === 'inbound');
      const warns = items.flatMap((m: any) => m.guardActions ?? []).filter((a: any) => a.kind === 'warn');
      return warns.length === 2 && warns.every((a: any) => a.status !== 'pending');
    }, 15_000, 'warning decided for both parts');
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === GROUP.id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toMatch(/recovery phrase/i);
    await eventually(async () => {
      const items = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items.filter((m: any) => m.direction === 'inbound');
      const dms = items.flatMap((m: any) => m.guardActions ?? []).filter((a: any) => a.kind === 'dm');
      return dms.length === 2 && dms.every((a: any) => a.status !== 'pending') ? dms : undefined;
    }, 15_000, 'advice decided for both parts');
    const advice = fake.sentMessages(BOT.token).filter((m) => m.chat.id === user.id);
    expect(advice).toHaveLength(1);
    expect(advice[0]!.text).not.toContain(firstHalf);
    // The warning tells the truth about the one advice sent for the whole incident.
    expect(warnings[0]!.text).toContain('We have sent you a direct message');

    const dump = await inbox.dumpDatabase();
    for (const hay of [dump, inbox.logs.join('')]) {
      expect(hay).not.toContain(firstHalf);
      expect(hay).not.toContain(secondHalf);
    }
    expect((await inbox.api(`/api/conversations/${conversation.id}`)).body.flagged).toBe(true);
  });

  it('is caught without numbering when framing words stand between the halves', async () => {
    const user = { id: 670002, first_name: 'Lin', username: 'lin_split', language_code: 'en' };
    const words = generateMnemonic(english).split(' ');
    const firstHalf = words.slice(0, 6).join(' ');
    const secondHalf = words.slice(6).join(' ');
    const first = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} my seed phrase first half: ${firstHalf}`);
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items.find((c: any) => c.contact.handle === 'lin_split'),
      10_000,
      'conversation',
    );
    const second = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} and the rest: ${secondHalf}`);
    const inbound = await bothPartsActedOn(conversation.id, first.message_id, second.message_id);
    expect(inbound.map((m: any) => m.text)).toEqual([`@${BOT.username} my seed phrase first half: [seed_phrase removed]`, `@${BOT.username} and the rest: [seed_phrase removed]`]);
  });
});

describe('a phrase whose first part is already a phrase on its own', () => {
  it('masks and removes the rest too, 24 words posted 12 + 12 with framing, under one warning', async () => {
    const user = { id: 670003, first_name: 'Ada', username: 'ada_split', language_code: 'en' };
    const firstHalf = 'vault kidney blossom cigar ill tree spring head hover liberty desk thumb';
    const secondHalf = 'north scale shield differ mesh often gauge verify clarify despair avocado future';
    const first = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} first half of my words: ${firstHalf}`);
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items.find((c: any) => c.contact.handle === 'ada_split'),
      10_000,
      'conversation',
    );
    // The framed first half is a phrase on its own: masked and removed before the rest is posted.
    await eventually(async () => fake.isDeleted(GROUP.id, first.message_id, BOT.token), 15_000, 'first half removed');
    const second = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} and the rest: ${secondHalf}`);
    const inbound = await bothPartsActedOn(conversation.id, first.message_id, second.message_id);
    expect(inbound.map((m: any) => m.text)).toEqual([`@${BOT.username} first half of my words: [seed_phrase removed]`, `@${BOT.username} and the rest: [seed_phrase removed]`]);
    await eventually(async () => {
      const items = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items.filter((m: any) => m.direction === 'inbound');
      const warns = items.flatMap((m: any) => m.guardActions ?? []).filter((a: any) => a.kind === 'warn');
      return warns.length === 2 && warns.every((a: any) => a.status !== 'pending');
    }, 15_000, 'warning decided for both parts');
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === GROUP.id && (m.text ?? '').includes('@ada_split'));
    expect(warnings).toHaveLength(1);
    expect((await inbox.api(`/api/conversations?q=${encodeURIComponent('despair avocado')}`)).body.items).toEqual([]);
    const dump = await inbox.dumpDatabase();
    expect(dump).not.toContain('despair avocado');
    expect(dump).not.toContain('cigar ill tree');
  });
});
