// The Telegram fake, driven by the real telegraf 4.16 client (never a hand-rolled HTTP client where telegraf can
// make the call), so that what passes here is what the connector will see.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegraf, TelegramError } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TELEGRAM_BOT, TelegramFake, type TelegramFakeOptions } from './fake-server.ts';

const TOKEN = DEFAULT_TELEGRAM_BOT.token;
const BOT_ID = DEFAULT_TELEGRAM_BOT.id;
const alice = { id: 4242001, first_name: 'Alice', username: 'alice_example', language_code: 'en' };
const bob = { id: 4242002, first_name: 'Bob' };
const supportGroup = { id: -1001234567890, title: 'Wallet Support (test)' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The TelegramError a telegraf call rejects with (fails the test if it resolves or rejects otherwise). */
async function apiError(call: Promise<unknown>): Promise<TelegramError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegramError);
  return err as TelegramError;
}

let fake: TelegramFake;
const running: Telegraf[] = [];
const servers: http.Server[] = [];

async function useFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  await fake?.stop();
  fake = new TelegramFake({ pollHoldMs: 150, webhookRetryMs: 20, ...options });
  await fake.start();
  return fake;
}

function newBot(token: string = TOKEN): Telegraf {
  return new Telegraf(token, { telegram: { apiRoot: fake.apiRoot } });
}

/** Starts long polling and resolves once telegraf's getUpdates is held by the fake; `done` settles after stop. */
async function launchPolling(bot: Telegraf, token: string = TOKEN): Promise<{ done: Promise<void> }> {
  running.push(bot);
  const done = bot.launch();
  done.catch(() => {}); // tests that expect a rejection await `done` themselves
  await waitFor(() => fake.isPolling(token), 'telegraf to poll');
  return { done };
}

function stopBot(bot: Telegraf): void {
  try {
    bot.stop('test over');
  } catch {
    // not running (already stopped, or launch failed)
  }
}

/** A local webhook receiver. */
async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(JSON.parse(body)));
  });
}

beforeEach(async () => {
  await useFake();
});

afterEach(async () => {
  for (const bot of running.splice(0)) stopBot(bot);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  await fake.stop();
});

describe('TelegramFake: identity and routing', () => {
  it('answers getMe with the bot', async () => {
    const me = await newBot().telegram.getMe();
    expect(me).toMatchObject({ id: BOT_ID, is_bot: true, username: 'inbox_bot', first_name: 'Inbox', can_join_groups: true });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'getMe', token: TOKEN, via: 'http' });
  });

  it('answers 401 to an unknown token and 404 to an unknown method, as JSON', async () => {
    const wrong = new Telegraf('123456:this-is-not-the-right-token-at-all', { telegram: { apiRoot: fake.apiRoot } });
    const err = await apiError(wrong.telegram.getMe());
    expect(err.code).toBe(401);
    expect(err.description).toBe('Unauthorized');

    const unknown = await apiError(newBot().telegram.callApi('noSuchMethod' as never, {} as never));
    expect(unknown.code).toBe(404);
    expect(unknown.description).toBe('Not Found: method not found');

    const res = await fetch(`${fake.apiRoot}/bot123456:nope/getMe`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('makes launch() reject on 401', async () => {
    const wrong = new Telegraf('123456:this-is-not-the-right-token-at-all', { telegram: { apiRoot: fake.apiRoot } });
    const err = await apiError(wrong.launch());
    expect(err.code).toBe(401);
  });

  it('accepts GET query strings and urlencoded forms, not only JSON', async () => {
    const incoming = fake.userSendsPrivate(TOKEN, alice, 'hi');
    const viaGet = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage?chat_id=${alice.id}&text=from%20a%20GET`);
    expect(await viaGet.json()).toMatchObject({ ok: true, result: { text: 'from a GET', chat: { id: alice.id } } });

    const form = new URLSearchParams({ chat_id: String(alice.id), text: 'from a form', reply_parameters: JSON.stringify({ message_id: incoming.message_id }) });
    const viaForm = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendmessage`, { method: 'POST', body: form });
    expect(await viaForm.json()).toMatchObject({ ok: true, result: { text: 'from a form', reply_to_message: { message_id: incoming.message_id } } });

    const multipart = new FormData();
    multipart.set('chat_id', String(alice.id));
    multipart.set('text', 'from multipart ✓');
    const viaMultipart = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage`, { method: 'POST', body: multipart });
    expect(await viaMultipart.json()).toMatchObject({ ok: true, result: { text: 'from multipart ✓' } });

    const notAMethod = await fetch(`${fake.apiRoot}/bot${TOKEN}/constructor`, { method: 'POST' });
    expect(await notAMethod.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
  });
});

describe('TelegramFake: long polling', () => {
  it('delivers a private message to a polling telegraf bot exactly once, and records its reply', async () => {
    const bot = newBot();
    const seen: Message[] = [];
    bot.on('message', async (ctx) => {
      seen.push(ctx.message);
      await ctx.reply('Thanks, an agent will answer soon.');
    });
    const { done } = await launchPolling(bot);

    const sent = fake.userSendsPrivate(TOKEN, alice, 'Hello, my transfer is stuck');
    await waitFor(() => seen.length === 1, 'the message');
    await sleep(450); // three more poll cycles: nothing is delivered again
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(sent);
    expect(sent).toMatchObject({ chat: { id: alice.id, type: 'private', first_name: 'Alice' }, from: { id: alice.id, is_bot: false } });
    expect(typeof sent.date).toBe('number');
    expect(sent.date).toBeLessThan(Date.now() / 1000 + 1);

    await waitFor(() => fake.sentMessages().length === 1, 'the reply');
    expect(fake.sentMessages()[0]).toMatchObject({ chat: { id: alice.id }, from: { id: BOT_ID, is_bot: true }, text: 'Thanks, an agent will answer soon.' });

    stopBot(bot);
    await done; // telegraf confirms the last offset on the way out
    expect(fake.pendingUpdates(TOKEN)).toBe(0);
    const polls = fake.requests.filter((r) => r.method === 'getUpdates');
    expect(polls[0]?.body).toMatchObject({ timeout: 50, offset: 0 });
  });

  it('forgets confirmed updates for good: a new poller gets nothing old', async () => {
    const tg = newBot().telegram;
    fake.userSendsPrivate(TOKEN, alice, 'one');
    fake.userSendsPrivate(TOKEN, alice, 'two');

    const first = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Update[];
    expect(first).toHaveLength(2);
    const [a, b] = first.map((u) => u.update_id);
    expect(b).toBe(a! + 1);
    // not confirmed yet: asked again without an offset, the same two come back
    expect(await tg.callApi('getUpdates', { timeout: 0 } as never)).toEqual(first);
    expect(fake.pendingUpdates(TOKEN)).toBe(2);

    expect(await tg.callApi('getUpdates', { offset: b! + 1, timeout: 0 } as never)).toEqual([]);
    expect(fake.pendingUpdates(TOKEN)).toBe(0);

    const second = newBot();
    const seen: string[] = [];
    second.on('message', (ctx) => void seen.push('text' in ctx.message ? ctx.message.text : '?'));
    await launchPolling(second);
    await sleep(350);
    expect(seen).toEqual([]);
    fake.userSendsPrivate(TOKEN, alice, 'three');
    await waitFor(() => seen.length === 1, 'the new message');
    expect(seen).toEqual(['three']);
  });

  it('limits a batch with limit, and a negative offset keeps only the latest updates', async () => {
    const tg = newBot().telegram;
    for (const text of ['a', 'b', 'c', 'd']) fake.userSendsPrivate(TOKEN, alice, text);
    const two = (await tg.callApi('getUpdates', { limit: 2, timeout: 0 } as never)) as Update[];
    expect(two).toHaveLength(2);
    const last = (await tg.callApi('getUpdates', { offset: -1, timeout: 0 } as never)) as Update[];
    expect(last).toHaveLength(1);
    expect(fake.pendingUpdates(TOKEN)).toBe(1);
    expect(last[0]).toMatchObject({ message: { text: 'd' } });
  });

  it('holds an empty poll, then answers as soon as an update arrives', async () => {
    await useFake({ pollHoldMs: 3000 });
    const tg = newBot().telegram;
    const started = Date.now();
    const poll = tg.callApi('getUpdates', { timeout: 30 } as never) as Promise<Update[]>;
    await waitFor(() => fake.isPolling(TOKEN));
    await sleep(100);
    fake.userSendsPrivate(TOKEN, alice, 'ping');
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('terminates the older of two concurrent pollers with 409', async () => {
    await useFake({ pollHoldMs: 5000 });
    const first = newBot();
    const { done: firstDone } = await launchPolling(first);
    const before = fake.requests.filter((r) => r.method === 'getUpdates').length;

    const second = newBot();
    const seen: number[] = [];
    second.on('message', (ctx) => void seen.push(ctx.message.message_id));
    running.push(second);
    void second.launch().catch(() => {});
    await waitFor(() => fake.requests.filter((r) => r.method === 'getUpdates').length > before, 'the second poll');

    const err = await apiError(firstDone);
    expect(err.code).toBe(409);
    expect(err.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');

    // the newer poller carries on
    fake.userSendsPrivate(TOKEN, alice, 'still there?');
    await waitFor(() => seen.length === 1, 'the second bot to receive');
  });

  it('honours allowed_updates, which persists on the server', async () => {
    const tg = newBot().telegram;
    await tg.callApi('getUpdates', { timeout: 0, allowed_updates: ['message'] } as never);
    const m = fake.userSendsPrivate(TOKEN, alice, 'original');
    fake.pushUpdate(TOKEN, { edited_message: { ...m, text: 'edited', edit_date: m.date + 1 } });
    fake.pushUpdate(TOKEN, { callback_query: { id: 'cb1', from: { ...alice, is_bot: false }, chat_instance: '1', data: 'x' } });
    const updates = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Update[];
    expect(updates.map((u) => Object.keys(u).filter((k) => k !== 'update_id'))).toEqual([['message']]);
    // the stored message took the edit anyway
    expect(fake.chatMessages(alice.id)[0]).toMatchObject({ text: 'edited' });

    // an empty list restores Telegram's default set (everything but chat_member and reactions)
    await tg.callApi('getUpdates', { timeout: 0, allowed_updates: [] } as never);
    fake.pushUpdate(TOKEN, { channel_post: { message_id: 7, date: m.date, chat: { id: -1009876543210, type: 'channel', title: 'News' }, text: 'hi' } });
    fake.pushUpdate(TOKEN, { chat_member: { chat: { id: -1009876543210, type: 'channel' } } });
    const later = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Update[];
    expect(later.map((u) => Object.keys(u).find((k) => k !== 'update_id'))).toEqual(['message', 'channel_post']);
  });

  it('lets a polling bot ride out a 429 on getUpdates', async () => {
    fake.injectFault({ method: 'getUpdates', kind: 'rate_limit', retryAfter: 1 });
    const bot = newBot();
    const seen: number[] = [];
    bot.on('message', (ctx) => void seen.push(ctx.message.message_id));
    running.push(bot);
    void bot.launch().catch(() => {});
    fake.userSendsPrivate(TOKEN, alice, 'are you there?');
    await waitFor(() => seen.length === 1, 'the message after the 429', 4000);
    expect(fake.requests.some((r) => r.method === 'getUpdates' && r.fault === 'rate_limit')).toBe(true);
  });

  it('ends held polls at once on stop()', async () => {
    await useFake({ pollHoldMs: 10_000 });
    const poll = newBot().telegram.callApi('getUpdates', { timeout: 50 } as never);
    const outcome = poll.then(
      () => 'resolved',
      () => 'rejected',
    );
    await waitFor(() => fake.isPolling(TOKEN));
    const started = Date.now();
    await fake.stop();
    expect(await outcome).toBe('rejected');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('TelegramFake: groups and entities', () => {
  it('computes mention and bot_command entities in UTF-16 units, which telegraf then matches', async () => {
    const text = '👋 @inbox_bot my wallet is stuck, see #help';
    const m = fake.userSendsInGroup(TOKEN, supportGroup, alice, text);
    expect(m.chat).toEqual({ id: supportGroup.id, type: 'supergroup', title: supportGroup.title });
    expect(m.entities).toEqual([
      { type: 'mention', offset: 3, length: 10 },
      { type: 'hashtag', offset: 38, length: 5 },
    ]);
    expect(text.slice(3, 13)).toBe('@inbox_bot');

    const bot = newBot();
    const commands: string[] = [];
    bot.command('help', (ctx) => void commands.push(ctx.message.text));
    await launchPolling(bot);
    const cmd = fake.userSendsInGroup(TOKEN, { id: -4001, title: 'Small group' }, bob, '/help@inbox_bot please');
    expect(cmd.chat.type).toBe('group');
    expect(cmd.entities).toEqual([{ type: 'bot_command', offset: 0, length: 15 }]);
    await waitFor(() => commands.length === 1, 'the command handler');
  });

  it('threads customer replies and keeps privacy mode when asked to', async () => {
    await useFake({ bots: [{ ...DEFAULT_TELEGRAM_BOT, privacyMode: true }] });
    const tg = newBot().telegram;
    expect(await tg.getMe()).toMatchObject({ can_read_all_group_messages: false });
    fake.userSendsInGroup(TOKEN, supportGroup, bob, 'just chatting');
    const asked = fake.userSendsInGroup(TOKEN, supportGroup, alice, 'hey @inbox_bot');
    const answer = await tg.sendMessage(supportGroup.id, 'Hi Alice', { reply_parameters: { message_id: asked.message_id } });
    const followUp = fake.userSendsInGroup(TOKEN, supportGroup, alice, 'thanks', { replyToMessageId: answer.message_id });
    expect(followUp.reply_to_message).toMatchObject({ message_id: answer.message_id, from: { id: BOT_ID } });
    expect(followUp.reply_to_message).not.toHaveProperty('reply_to_message');
    const updates = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Update[];
    expect(updates.map((u) => ('message' in u && 'text' in u.message ? u.message.text : '?'))).toEqual(['hey @inbox_bot', 'thanks']);
    expect(fake.chatMessages(supportGroup.id).map((m) => m.text)).toEqual(['just chatting', 'hey @inbox_bot', 'Hi Alice', 'thanks']);
  });
});

describe('TelegramFake: edits and rich messages', () => {
  it('sends edited_message with the whole new version and edit_date, only when allowed_updates asks for it', async () => {
    const tg = newBot().telegram;
    const seen: string[] = [];
    const bot = newBot();
    bot.on('edited_message', (ctx) => void seen.push('text' in ctx.editedMessage ? ctx.editedMessage.text : '?'));
    await launchPolling(bot);
    const posted = fake.userSendsInGroup(TOKEN, supportGroup, alice, '@inbox_bot first words');
    const edited = fake.userEdits(TOKEN, supportGroup.id, posted.message_id, '@inbox_bot second words');
    expect(edited).toMatchObject({ message_id: posted.message_id, text: '@inbox_bot second words', entities: [{ type: 'mention', offset: 0, length: 10 }] });
    expect(edited.edit_date).toBeGreaterThanOrEqual(posted.date);
    await waitFor(() => seen.length === 1, 'the edited_message handler');
    expect(seen).toEqual(['@inbox_bot second words']);
    expect(fake.chatMessages(supportGroup.id).at(-1)!.text).toBe('@inbox_bot second words');
    await bot.stop();

    // A bot that asked for messages only is not sent edits.
    await tg.callApi('getUpdates', { timeout: 0, allowed_updates: ['message'] } as never);
    fake.userEdits(TOKEN, supportGroup.id, posted.message_id, '@inbox_bot third words');
    expect(fake.pendingUpdates()).toBe(0);
  });

  it('sends captions, quotes, polls and contacts in the Bot API shapes', async () => {
    const tg = newBot().telegram;
    const first = fake.userSendsPrivate(TOKEN, alice, 'line one of my note');
    fake.userSendsPrivate(TOKEN, alice, 'about this', { replyToMessageId: first.message_id, quote: 'my note' });
    fake.userSendsPrivate(TOKEN, alice, 'see the screenshot', { content: { photo: true } });
    fake.userSendsPrivate(TOKEN, alice, '', { content: { poll: { question: 'Which network?', options: ['TRC-20', 'ERC-20'] } } });
    fake.userSendsPrivate(TOKEN, alice, '', { content: { contact: { phone_number: '+8613800138000', first_name: 'Wei' } } });
    const updates = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Array<{ message: any }>;
    const [, quoted, photo, poll, contact] = updates.map((u) => u.message);
    expect(quoted).toMatchObject({ text: 'about this', quote: { text: 'my note', position: 12, is_manual: true }, reply_to_message: { message_id: first.message_id } });
    expect(photo).toMatchObject({ caption: 'see the screenshot', photo: [{ width: 90 }, { width: 800 }] });
    expect(photo).not.toHaveProperty('text');
    expect(poll).toMatchObject({ poll: { question: 'Which network?', options: [{ text: 'TRC-20', voter_count: 0 }, { text: 'ERC-20', voter_count: 0 }], type: 'regular' } });
    expect(contact).toMatchObject({ contact: { phone_number: '+8613800138000', first_name: 'Wei' } });
    expect(poll).not.toHaveProperty('text');
  });
});

describe('TelegramFake: sendMessage', () => {
  it('records a threaded reply (reply_parameters or reply_to_message_id) with the replied message', async () => {
    const incoming = fake.userSendsPrivate(TOKEN, alice, 'I was charged twice');
    const tg = newBot().telegram;
    const reply = await tg.sendMessage(alice.id, 'Sorry about that, checking now', { reply_parameters: { message_id: incoming.message_id } });
    expect(reply).toMatchObject({
      message_id: incoming.message_id + 1,
      from: { id: BOT_ID, is_bot: true, username: 'inbox_bot' },
      chat: { id: alice.id, type: 'private' },
      text: 'Sorry about that, checking now',
      reply_to_message: { message_id: incoming.message_id, text: 'I was charged twice', from: { id: alice.id } },
    });
    expect(fake.sentMessages(TOKEN)).toEqual([reply]);

    const legacy = await tg.callApi('sendMessage', { chat_id: String(alice.id), text: 'legacy form', reply_to_message_id: incoming.message_id } as never);
    expect(legacy).toMatchObject({ message_id: incoming.message_id + 2, reply_to_message: { message_id: incoming.message_id } });
    expect(fake.sentMessages().map((m) => m.reply_to_message?.message_id)).toEqual([incoming.message_id, incoming.message_id]);
  });

  it("validates like Telegram: empty text, unknown chat, too long, missing reply, users who never wrote", async () => {
    const incoming = fake.userSendsPrivate(TOKEN, alice, 'hi');
    fake.userSendsInGroup(TOKEN, supportGroup, bob, 'hello all');
    const tg = newBot().telegram;
    const cases: Array<[Promise<unknown>, number, string]> = [
      [tg.sendMessage(alice.id, ''), 400, 'Bad Request: message text is empty'],
      [tg.sendMessage(999_999_999, 'hello'), 400, 'Bad Request: chat not found'],
      [tg.sendMessage(alice.id, 'x'.repeat(4097)), 400, 'Bad Request: message is too long'],
      [tg.sendMessage(alice.id, 'hello', { reply_parameters: { message_id: 9999 } }), 400, 'Bad Request: message to be replied not found'],
      [tg.sendMessage(bob.id, 'hello'), 403, "Forbidden: bot can't initiate conversation with a user"],
      [tg.sendMessage(alice.id, '<blink>hi</blink>', { parse_mode: 'HTML' }), 400, 'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 0'],
      [tg.sendMessage(alice.id, 'Done.', { parse_mode: 'MarkdownV2' }), 400, "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"],
    ];
    for (const [call, code, description] of cases) {
      const err = await apiError(call);
      expect({ code: err.code, description: err.description }).toEqual({ code, description });
    }
    expect(fake.sentMessages()).toEqual([]);

    const ok = await tg.sendMessage(alice.id, 'x'.repeat(4096), { reply_parameters: { message_id: 9999, allow_sending_without_reply: true } });
    expect(ok.reply_to_message).toBeUndefined();
    expect(ok.message_id).toBe(incoming.message_id + 1);
  });

  it('turns parse_mode into plain text with entities', async () => {
    fake.userSendsPrivate(TOKEN, alice, 'hi');
    const tg = newBot().telegram;
    const html = await tg.sendMessage(alice.id, '<b>Never</b> share your seed &amp; PIN, see <a href="https://example.com/help">help</a>', { parse_mode: 'HTML' });
    expect(html.text).toBe('Never share your seed & PIN, see help');
    expect(html.entities).toEqual([
      { type: 'bold', offset: 0, length: 5 },
      { type: 'text_link', offset: 33, length: 4, url: 'https://example.com/help' },
    ]);
    const md = await tg.sendMessage(alice.id, '*Never* share your _seed_ \\(12 words\\)\\.', { parse_mode: 'MarkdownV2' });
    expect(md.text).toBe('Never share your seed (12 words).');
    expect(md.entities).toEqual([
      { type: 'bold', offset: 0, length: 5 },
      { type: 'italic', offset: 17, length: 4 },
    ]);
  });
});

describe('TelegramFake: deleteMessage', () => {
  it("applies Telegram's permission rules", async () => {
    const tg = newBot().telegram;
    const secret = fake.userSendsPrivate(TOKEN, alice, 'my seed is ...');
    expect(await tg.deleteMessage(alice.id, secret.message_id)).toBe(true); // incoming, private chat
    expect(fake.deletedMessages()).toMatchObject([{ chatId: alice.id, messageId: secret.message_id, botToken: TOKEN }]);
    expect(fake.chatMessages(alice.id)).toEqual([]);
    expect(fake.chatMessages(alice.id, { includeDeleted: true })).toHaveLength(1);
    expect(fake.isDeleted(alice.id, secret.message_id)).toBe(true);

    const again = await apiError(tg.deleteMessage(alice.id, secret.message_id));
    expect([again.code, again.description]).toEqual([400, 'Bad Request: message to delete not found']);
    const unknown = await apiError(tg.deleteMessage(alice.id, 777));
    expect(unknown.description).toBe('Bad Request: message to delete not found');
    const noChat = await apiError(tg.deleteMessage(-100555, 1));
    expect(noChat.description).toBe('Bad Request: chat not found');

    const publicSecret = fake.userSendsInGroup(TOKEN, supportGroup, bob, '@inbox_bot my private key is ...');
    const refused = await apiError(tg.deleteMessage(supportGroup.id, publicSecret.message_id));
    expect([refused.code, refused.description]).toEqual([400, "Bad Request: message can't be deleted"]);
    fake.setBotRights(TOKEN, supportGroup.id, { canDeleteMessages: false });
    expect((await apiError(tg.deleteMessage(supportGroup.id, publicSecret.message_id))).description).toBe("Bad Request: message can't be deleted");

    const own = await tg.sendMessage(supportGroup.id, 'Please never post keys here');
    expect(await tg.deleteMessage(supportGroup.id, own.message_id)).toBe(true); // own messages need no rights

    fake.setBotRights(TOKEN, supportGroup.id, { canDeleteMessages: true });
    expect(await tg.deleteMessage(supportGroup.id, publicSecret.message_id)).toBe(true);

    const old = fake.userSendsPrivate(TOKEN, alice, 'old', { date: Math.floor(Date.now() / 1000) - 49 * 3600 });
    expect((await apiError(tg.deleteMessage(alice.id, old.message_id))).description).toBe("Bad Request: message can't be deleted");
    expect(fake.deletedMessages()).toHaveLength(3);
  });
});

describe('TelegramFake: faults', () => {
  it('answers 429 with parameters.retry_after, then succeeds', async () => {
    fake.userSendsPrivate(TOKEN, alice, 'hi');
    fake.injectFault({ method: 'sendMessage', kind: 'rate_limit', retryAfter: 1 });
    const tg = newBot().telegram;
    const err = await apiError(tg.sendMessage(alice.id, 'first try'));
    expect(err.code).toBe(429);
    expect(err.description).toBe('Too Many Requests: retry after 1');
    expect(err.parameters?.retry_after).toBe(1);
    expect(fake.sentMessages()).toEqual([]);
    await tg.sendMessage(alice.id, 'second try');
    expect(fake.sentMessages().map((m) => m.text)).toEqual(['second try']);
  });

  it('answers 5xx (telegraf reports the status text) without performing the call', async () => {
    fake.userSendsPrivate(TOKEN, alice, 'hi');
    fake.injectFault({ method: 'sendMessage', kind: 'server_error', status: 502, times: 2 });
    const tg = newBot().telegram;
    for (let i = 0; i < 2; i++) {
      const err = await apiError(tg.sendMessage(alice.id, 'hello'));
      expect([err.code, err.description]).toEqual([502, 'Bad Gateway']);
    }
    expect(fake.sentMessages()).toEqual([]);
    await expect(tg.sendMessage(alice.id, 'hello')).resolves.toMatchObject({ text: 'hello' });
  });

  it('drops the connection before or after performing the call', async () => {
    fake.userSendsPrivate(TOKEN, alice, 'hi');
    const tg = newBot().telegram;

    fake.injectFault({ method: 'sendMessage', kind: 'drop_before' });
    const before = await tg.sendMessage(alice.id, 'lost on the way').catch((e: unknown) => e as Error);
    expect(before).toBeInstanceOf(Error);
    expect(before).not.toBeInstanceOf(TelegramError);
    expect(fake.sentMessages()).toEqual([]);

    fake.injectFault({ method: 'sendMessage', kind: 'drop_after' });
    const after = await tg.sendMessage(alice.id, 'sent, but the answer was lost').catch((e: unknown) => e as Error);
    expect(after).toBeInstanceOf(Error);
    expect(after).not.toBeInstanceOf(TelegramError);
    expect(fake.sentMessages().map((m) => m.text)).toEqual(['sent, but the answer was lost']);

    await tg.sendMessage(alice.id, 'back to normal');
    expect(fake.sentMessages()).toHaveLength(2);
  });

  it('answers 403 for a blocked user until cleared, and non-JSON garbage', async () => {
    fake.userSendsPrivate(TOKEN, alice, 'hi');
    fake.userSendsPrivate(TOKEN, { id: 4242003, first_name: 'Carol' }, 'hi');
    fake.injectFault({ method: 'sendMessage', kind: 'forbidden', chatId: alice.id });
    const tg = newBot().telegram;
    for (let i = 0; i < 3; i++) {
      const err = await apiError(tg.sendMessage(alice.id, 'hello?'));
      expect([err.code, err.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    }
    await expect(tg.sendMessage(4242003, 'hello Carol')).resolves.toMatchObject({ chat: { id: 4242003 } });
    fake.clearFaults();
    await expect(tg.sendMessage(alice.id, 'hello again')).resolves.toBeTruthy();

    fake.injectFault({ kind: 'garbage' });
    const garbage = await tg.getMe().catch((e: unknown) => e as Error);
    expect(garbage).toBeInstanceOf(Error);
    expect(garbage).not.toBeInstanceOf(TelegramError);
    await expect(tg.getMe()).resolves.toMatchObject({ id: BOT_ID });
  });
});

describe('TelegramFake: webhooks', () => {
  it('posts each update with the secret header, in order, retrying a 500', async () => {
    const hits: Array<{ secret: string | undefined; body: Update }> = [];
    let failuresLeft = 1;
    const root = await listen(async (req, res) => {
      const body = (await readJson(req)) as Update;
      hits.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body });
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end();
      } else res.writeHead(200).end();
    });
    const tg = newBot().telegram;
    expect(await tg.setWebhook(`${root}/telegram/hook`, { secret_token: 'S3cret_token-1' })).toBe(true);

    const first = fake.userSendsPrivate(TOKEN, alice, 'first');
    const second = fake.userSendsPrivate(TOKEN, alice, 'second');
    await waitFor(() => hits.length === 3 && fake.pendingUpdates(TOKEN) === 0, 'the deliveries');
    expect(hits.map((h) => h.secret)).toEqual(['S3cret_token-1', 'S3cret_token-1', 'S3cret_token-1']);
    expect(hits.map((h) => ('message' in h.body ? h.body.message.message_id : 0))).toEqual([first.message_id, first.message_id, second.message_id]);
    expect(hits[0]?.body).toEqual(hits[1]?.body);
    expect(hits[2]!.body.update_id).toBe(hits[0]!.body.update_id + 1);

    const info = await tg.getWebhookInfo();
    expect(info).toMatchObject({ url: `${root}/telegram/hook`, pending_update_count: 0, has_custom_certificate: false });
    expect(info.last_error_message).toBe('Wrong response from the webhook: 500 Internal Server Error');

    const conflict = await apiError(tg.callApi('getUpdates', { timeout: 0 } as never));
    expect([conflict.code, conflict.description]).toEqual([
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ]);

    expect(await tg.deleteWebhook()).toBe(true);
    fake.userSendsPrivate(TOKEN, alice, 'third');
    expect(await tg.callApi('getUpdates', { timeout: 0 } as never)).toHaveLength(1);
    expect(hits).toHaveLength(3);
  });

  it("serves telegraf's webhookCallback, and carries out its webhookReply", async () => {
    const bot = newBot();
    bot.on('message', async (ctx) => {
      await ctx.deleteMessage(); // telegraf writes this call into the webhook response
    });
    const root = await listen(bot.webhookCallback('/tg', { secretToken: 'hook-secret' }));
    await bot.telegram.setWebhook(`${root}/tg`, { secret_token: 'hook-secret' });

    const secret = fake.userSendsPrivate(TOKEN, alice, 'my seed phrase is ...');
    await waitFor(() => fake.deletedMessages().length === 1, 'the webhookReply deleteMessage');
    expect(fake.deletedMessages()[0]).toMatchObject({ chatId: alice.id, messageId: secret.message_id });
    expect(fake.requests.filter((r) => r.method === 'deleteMessage')).toMatchObject([
      { via: 'webhookReply', body: { chat_id: alice.id, message_id: secret.message_id } },
    ]);
  });

  it('keeps retrying when the secret is wrong (telegraf answers 403), and rejects bad secrets', async () => {
    const bot = newBot();
    let handled = 0;
    bot.on('message', () => void (handled += 1));
    const root = await listen(bot.webhookCallback('/tg', { secretToken: 'right-secret' }));
    const tg = bot.telegram;
    const bad = await apiError(tg.setWebhook(`${root}/tg`, { secret_token: 'no spaces allowed' }));
    expect(bad.description).toBe('Bad Request: secret token contains unallowed characters');

    await tg.setWebhook(`${root}/tg`, { secret_token: 'wrong-secret' });
    fake.userSendsPrivate(TOKEN, alice, 'hello');
    await waitFor(() => fake.webhookInfo().last_error_message !== undefined, 'a failed delivery');
    expect(fake.webhookInfo().last_error_message).toBe('Wrong response from the webhook: 403 Forbidden');
    expect(fake.pendingUpdates()).toBe(1);

    await tg.setWebhook(`${root}/tg`, { secret_token: 'right-secret' });
    await waitFor(() => handled === 1 && fake.pendingUpdates() === 0, 'delivery with the right secret');
  });
});

describe('TelegramFake: fixtures', () => {
  const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

  it('produces exactly the payloads in fixtures/ (so they stay in the real shape)', async () => {
    await useFake({ now: () => Date.UTC(2026, 0, 15, 9, 30, 0) });
    const alice = { id: 4242001, first_name: 'Alice', last_name: 'Example', username: 'alice_example', language_code: 'en' };
    const bob = { id: 4242002, first_name: 'Bob', language_code: 'es' };
    const group = { id: -1001234567890, title: 'Wallet Support (test)', username: 'wallet_support_test' };
    fake.userSendsPrivate(TOKEN, alice, 'Hi, my withdrawal has been pending for two days');
    const question = fake.userSendsInGroup(TOKEN, group, bob, '👋 @inbox_bot my swap failed, is there an outage?');
    const tg = newBot().telegram;
    const sent = await tg.sendMessage(group.id, 'Hi Bob, which network did you use?', { reply_parameters: { message_id: question.message_id } });
    fake.userSendsInGroup(TOKEN, group, bob, 'Ethereum, about 10 minutes ago', { replyToMessageId: sent.message_id });
    const [privateMessage, mention, reply] = (await tg.callApi('getUpdates', { timeout: 0 } as never)) as Update[];

    expect(privateMessage).toEqual(fixture('private-message.json'));
    expect(mention).toEqual(fixture('group-mention.json'));
    expect(reply).toEqual(fixture('group-reply-to-bot.json'));
    expect({ ok: true, result: sent }).toEqual(fixture('send-message-response.json'));
  });
});
