// Replies leave in the order the agent wrote them, at the platform's per-chat pace, even when the platform
// answers the first one with a 429 (issue 10, reliability item 3).
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { requeueStranded } from '../src/queues/outbound.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5550101:TEST_token_for_the_fake_000000101', id: 5550101, username: 'order_bot' };
let nextUser = 910000;
const customer = (name: string) => ({ id: nextUser++, first_name: name, username: `${name.toLowerCase()}_${nextUser}`, language_code: 'en' });

let fake: TelegramFake;
let inbox: TestInbox;

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 200 });
  await fake.start();
  inbox = await startTestInbox();
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Telegram'),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

async function conversationOf(handle: string): Promise<string> {
  const found = await eventually(async () => (await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === handle), 10_000, 'conversation');
  return found.id;
}

/** Successful sendMessage calls into `chatId`, in the order Telegram carried them out. */
const accepted = (chatId: number) =>
  fake.requests.filter((r) => r.method.toLowerCase() === 'sendmessage' && String((r.body as any).chat_id) === String(chatId) && !r.fault);

describe('outbound order and pace', () => {
  it('holds replies 2-5 behind a rate-limited reply 1, then sends them in order about a second apart', async () => {
    const ivy = customer('Ivy');
    fake.userSendsPrivate(BOT.token, ivy, 'I have five questions');
    const id = await conversationOf(ivy.username);
    fake.injectFault({ method: 'sendMessage', chatId: ivy.id, kind: 'rate_limit', retryAfter: 2, times: 1 });

    const texts = ['one', 'two', 'three', 'four', 'five'].map((n) => `Answer ${n}`);
    for (const text of texts) expect((await inbox.api(`/api/conversations/${id}/messages`, { body: { text } })).status).toBe(202);

    await eventually(() => accepted(ivy.id).length === 5, 20_000, 'five replies on Telegram');
    const sent = accepted(ivy.id);
    expect(sent.map((r) => (r.body as any).text)).toEqual(texts);
    // The 429 asked for 2 s: nothing reached the chat before that, and then one message a second at most.
    const limited = fake.requests.find((r) => r.fault === 'rate_limit' && String((r.body as any).chat_id) === String(ivy.id))!;
    expect(sent[0]!.at - limited.at).toBeGreaterThanOrEqual(1900);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.sentMessages(BOT.token).filter((m: any) => m.chat.id === ivy.id).map((m: any) => m.text)).toEqual(texts);

    const replies = async () => (await inbox.api(`/api/conversations/${id}/messages`)).body.items.filter((m: any) => m.direction === 'outbound');
    await eventually(async () => (await replies()).every((m: any) => m.delivery.status === 'sent'), 5000, 'all marked sent');
    expect((await replies()).map((m: any) => m.text)).toEqual(texts);
  });

  it('keeps two conversations independent: one waiting out a 429 does not hold the other', async () => {
    const jay = customer('Jay');
    const kim = customer('Kim');
    fake.userSendsPrivate(BOT.token, jay, 'hello');
    fake.userSendsPrivate(BOT.token, kim, 'hello');
    const [jayId, kimId] = [await conversationOf(jay.username), await conversationOf(kim.username)];
    fake.injectFault({ method: 'sendMessage', chatId: jay.id, kind: 'rate_limit', retryAfter: 3, times: 1 });
    await inbox.api(`/api/conversations/${jayId}/messages`, { body: { text: 'For Jay, after the limit' } });
    const start = Date.now();
    await inbox.api(`/api/conversations/${kimId}/messages`, { body: { text: 'For Kim, right away' } });
    await eventually(() => accepted(kim.id).length === 1, 10_000, 'Kim answered');
    expect(Date.now() - start).toBeLessThan(2500);
    expect(accepted(jay.id)).toHaveLength(0);
    await eventually(() => accepted(jay.id).length === 1, 10_000, 'Jay answered after the limit');
  });

  it('posts a guard warning once, after the 429 Telegram answered it with', async () => {
    const group = { id: -1005550000101, title: 'Wallet Chat', type: 'supergroup' as const };
    const lee = customer('Lee');
    fake.injectFault({ method: 'sendMessage', chatId: group.id, kind: 'rate_limit', retryAfter: 1, times: 1 });
    fake.userSendsInGroup(BOT.token, group, lee, `@${BOT.username} help, my recovery phrase is ${generateMnemonic(english)}`);
    await eventually(() => accepted(group.id).length === 1, 20_000, 'the warning in the group');
    const limited = fake.requests.find((r) => r.fault === 'rate_limit' && String((r.body as any).chat_id) === String(group.id))!;
    expect(accepted(group.id)[0]!.at - limited.at).toBeGreaterThanOrEqual(950);
    await new Promise((r) => setTimeout(r, 1500));
    expect(accepted(group.id)).toHaveLength(1);
  });

  it('sends a reply that was saved but never queued (the process died in between) once a worker starts', async () => {
    const mo = customer('Mo');
    fake.userSendsPrivate(BOT.token, mo, 'anyone?');
    const id = await conversationOf(mo.username);
    const conversation = await inbox.app.db.conversation.findUniqueOrThrow({ where: { id } });
    await inbox.app.db.message.create({
      data: { conversationId: id, connectorId: conversation.connectorId, direction: 'outbound', text: 'Saved, never queued', deliveryStatus: 'queued' },
    });
    expect(await requeueStranded(inbox.app.db, inbox.app.queues.outbound)).toBeGreaterThanOrEqual(1);
    await eventually(() => accepted(mo.id).length === 1, 10_000, 'the stranded reply on Telegram');
    await eventually(async () => (await requeueStranded(inbox.app.db, inbox.app.queues.outbound)) === 0, 5000, 'nothing left to send');
    expect(accepted(mo.id).map((r) => (r.body as any).text)).toEqual(['Saved, never queued']);
  });
});
