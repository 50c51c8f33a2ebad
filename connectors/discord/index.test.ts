// The Discord connector against the fake, through the real discord.js client, with an in-memory runtime.
import { WebSocketManager, WebSocketShardEvents, type SessionInfo } from '@discordjs/ws';
import { GatewayIntentBits, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, InvalidError, NetworkError, NotFoundError, PermissionError, RateLimitedError } from '../errors.ts';
import { DISCORD_FAKE_DEFAULTS, DiscordFake } from './fake-server.ts';
import { createDiscordConnector, nonceFor, toConnectorError, type DiscordConnector } from './index.ts';
import { memoryStore, receiveInMemory } from '../testing/runtime.ts';

const GUILD = DISCORD_FAKE_DEFAULTS.guild.id;
const [SUPPORT, GENERAL] = DISCORD_FAKE_DEFAULTS.guild.channels.map((c) => c.id) as [string, string];
const BOT = DISCORD_FAKE_DEFAULTS.bot;
let nextUser = 1;
const customer = (name: string) => ({ id: String(1400000000000000000n + BigInt(nextUser++)), username: name.toLowerCase(), global_name: name });

async function eventually<T>(probe: () => T | undefined | null | false, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let fake: DiscordFake;
let stops: Array<() => Promise<void>> = [];

function connectorFor(token = fake.token): DiscordConnector {
  return createDiscordConnector({ connectorId: 'dc1', botToken: token, apiBase: fake.apiBase, supportChannelIds: [SUPPORT] });
}

/** Starts a connector in the core's receiver (in memory) and waits until its gateway is ready. */
async function running(options: { cursor?: string | null } = {}) {
  const store = memoryStore(options.cursor ?? null);
  const { state } = store;
  const connector = connectorFor();
  const receiver = receiveInMemory(connector, store);
  const stop = async () => {
    await receiver.stop();
  };
  stops.push(stop);
  await eventually(() => state.health.some((h) => h.status === 'connected'));
  const find = (text: string) => eventually(() => state.events.find((e) => e.text === text));
  return { connector, state, stop, find };
}

beforeEach(async () => {
  fake = new DiscordFake({
    heartbeatIntervalMs: 1000,
    guilds: [{ ...DISCORD_FAKE_DEFAULTS.guild, channels: [...DISCORD_FAKE_DEFAULTS.guild.channels], preferredLocale: 'pt-BR' }],
  });
  await fake.start();
});

afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
  await fake.stop();
});

describe('DiscordConnector', () => {
  it('connect() checks the token and returns the bot account', async () => {
    await expect(connectorFor().connect()).resolves.toEqual({ id: BOT.id, handle: BOT.username, displayName: BOT.username });
    expect(fake.identifies).toBe(0); // no gateway session spent on a credentials check
  });

  it('ingests a DM in a channel discord.js has never seen as a private conversation', async () => {
    const { find } = await running();
    const bob = customer('Bob');
    const posted = fake.userSendsDm(bob, 'I cannot log in');
    const event = await find('I cannot log in');
    expect(event).toMatchObject({
      platform: 'discord',
      connectorId: 'dc1',
      externalId: posted.id,
      externalThreadId: `dm:${bob.id}`,
      channelId: fake.dmChannelId(bob.id),
      visibility: 'private',
      author: { id: bob.id, handle: 'bob', displayName: 'Bob' },
    });
    expect(event.author.languageHint).toBeUndefined();
  });

  it('ingests support-channel messages as public, per channel and author, with the guild locale', async () => {
    const { find } = await running();
    const alice = customer('Alice');
    const posted = fake.userPosts(SUPPORT, alice, 'withdrawal pending for hours');
    const event = await find('withdrawal pending for hours');
    expect(event).toMatchObject({
      externalId: posted.id,
      externalThreadId: `${SUPPORT}:${alice.id}`,
      channelId: SUPPORT,
      visibility: 'public',
      author: { id: alice.id, languageHint: 'pt-BR' },
    });
    expect((event.raw as { guild_id?: string }).guild_id).toBe(GUILD);
  });

  it('ingests mentions elsewhere, ignores other chatter and its own messages', async () => {
    const { connector, state, find } = await running();
    const carol = customer('Carol');
    fake.userPosts(GENERAL, carol, 'nice weather today');
    fake.userPosts(GENERAL, carol, 'my card was charged twice', { mentionBot: true });
    const mention = await find(`<@${BOT.id}> my card was charged twice`);
    expect(mention).toMatchObject({ visibility: 'public', externalThreadId: `${GENERAL}:${carol.id}`, channelId: GENERAL });

    await connector.send({ connectorId: 'dc1', externalThreadId: mention.externalThreadId, channelId: GENERAL, text: 'Looking into it', idempotencyKey: 'out-1' });
    fake.userPosts(SUPPORT, carol, 'marker'); // processed after the echo of our own message
    await find('marker');
    expect(state.events.map((e) => e.text)).toEqual([`<@${BOT.id}> my card was charged twice`, 'marker']);
    expect(state.events.every((e) => e.author.id !== BOT.id)).toBe(true);
  });

  it('threads a reply with message_reference, and a customer reply to the bot anywhere comes back in', async () => {
    const { connector, find } = await running();
    const dave = customer('Dave');
    const question = fake.userPosts(SUPPORT, dave, 'where is my refund?');
    const inbound = await find('where is my refund?');
    const sent = await connector.send({
      connectorId: 'dc1',
      externalThreadId: inbound.externalThreadId,
      channelId: SUPPORT,
      text: 'It is on its way',
      replyToExternalId: inbound.externalId,
      idempotencyKey: 'outbound-42',
    });
    const [reply] = fake.botMessages();
    expect(reply).toMatchObject({ id: sent.externalId, content: 'It is on its way', message_reference: { message_id: question.id } });
    expect(sent.sentAt).toEqual(new Date(reply!.timestamp));
    const request = fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${SUPPORT}/messages`);
    expect(request?.body).toMatchObject({
      nonce: nonceFor('outbound-42'),
      enforce_nonce: true,
      message_reference: { message_id: question.id, fail_if_not_exists: false },
      allowed_mentions: { parse: ['users'], replied_user: true },
    });
    expect(nonceFor('outbound-42')).toHaveLength(25);

    fake.userPosts(SUPPORT, dave, 'got it, thanks', { replyToMessageId: sent.externalId });
    const threaded = await find('got it, thanks');
    expect(threaded).toMatchObject({ replyTo: sent.externalId, externalThreadId: inbound.externalThreadId });

    // In a channel that is not a support channel, replying to the bot reaches the inbox too.
    const notice = await connector.send({ connectorId: 'dc1', externalThreadId: `${GENERAL}:${dave.id}`, channelId: GENERAL, text: 'Announcement', idempotencyKey: 'o-2' });
    fake.userPosts(GENERAL, dave, 'question about the announcement', { replyToMessageId: notice.externalId });
    expect(await find('question about the announcement')).toMatchObject({ replyTo: notice.externalId, externalThreadId: `${GENERAL}:${dave.id}` });
  });

  it('a reply to a deleted customer message still goes out (fail_if_not_exists false)', async () => {
    const connector = connectorFor();
    const erin = customer('Erin');
    const gone = fake.userPosts(SUPPORT, erin, 'oops');
    await connector.removePublic({ externalId: gone.id, externalThreadId: `${SUPPORT}:${erin.id}`, channelId: SUPPORT });
    const sent = await connector.send({ connectorId: 'dc1', externalThreadId: `${SUPPORT}:${erin.id}`, channelId: SUPPORT, text: 'Hi Erin', replyToExternalId: gone.id, idempotencyKey: 'o-7' });
    expect(fake.botMessages().map((m) => m.id)).toEqual([sent.externalId]);
  });

  it('sending twice with the same idempotencyKey creates one message', async () => {
    const connector = connectorFor();
    const reply = { connectorId: 'dc1', externalThreadId: `${SUPPORT}:1`, channelId: SUPPORT, text: 'Only once', idempotencyKey: 'msg-123' };
    const first = await connector.send(reply);
    const second = await connector.send(reply);
    expect(second.externalId).toBe(first.externalId);
    expect(fake.botMessages()).toHaveLength(1);
    const other = await connector.send({ ...reply, idempotencyKey: 'msg-124' });
    expect(other.externalId).not.toBe(first.externalId);
    expect(connector.idempotentSend).toBe(true);
  });

  it('removePublic: deleted, not_allowed without MANAGE_MESSAGES, deleted when already gone', async () => {
    const connector = connectorFor();
    const frank = customer('Frank');
    const first = fake.userPosts(SUPPORT, frank, 'my seed phrase is ...');
    const second = fake.userPosts(SUPPORT, frank, 'and my password is ...');
    const ref = (id: string) => ({ externalId: id, externalThreadId: `${SUPPORT}:${frank.id}`, channelId: SUPPORT });
    await expect(connector.removePublic(ref(first.id))).resolves.toBe('deleted');
    expect(fake.deleted()).toEqual([{ channelId: SUPPORT, messageId: first.id }]);
    await expect(connector.removePublic(ref(first.id))).resolves.toBe('deleted');
    fake.setBotCanManageMessages(GUILD, false);
    await expect(connector.removePublic(ref(second.id))).resolves.toBe('not_allowed');
    expect(fake.channelMessages(SUPPORT).map((m) => m.id)).toEqual([second.id]);
  });

  it('openDirect opens a DM and writes there; a user who refuses DMs is a PermissionError', async () => {
    const connector = connectorFor();
    const gina = customer('Gina');
    fake.userPosts(SUPPORT, gina, 'hi');
    const { externalId } = await connector.openDirect({ id: gina.id }, 'Please do not share your seed phrase publicly.');
    const dm = fake.dmChannelId(gina.id)!;
    expect(fake.channelMessages(dm).map((m) => [m.id, m.content])).toEqual([[externalId, 'Please do not share your seed phrase publicly.']]);
    fake.setUserAcceptsDms(gina.id, false);
    await expect(connector.openDirect({ id: gina.id }, 'again')).rejects.toBeInstanceOf(PermissionError);
  });

  it('a wrong token is an AuthError from connect(), and health auth_failed in the runtime', async () => {
    const connector = connectorFor('MTIz.d3Jvbmc.not-the-right-token');
    const error = await connector.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/token/i);
    const store = memoryStore();
    const receiver = receiveInMemory(connector, store);
    stops.push(async () => void (await receiver.stop()));
    await eventually(() => store.state.health.at(-1)?.status === 'auth_failed');
    expect(store.state.health.at(-1)).toMatchObject({ status: 'auth_failed', lastError: expect.stringMatching(/token/i) });
  });

  it('maps Discord failures to the error family', async () => {
    const connector = connectorFor();
    const reply = { connectorId: 'dc1', externalThreadId: `${SUPPORT}:1`, channelId: SUPPORT, text: 'hello', idempotencyKey: 'k' };
    await expect(connector.send({ ...reply, text: 'x'.repeat(2001) })).rejects.toBeInstanceOf(InvalidError);
    await expect(connector.send({ ...reply, channelId: '1399999999999999999' })).rejects.toBeInstanceOf(NotFoundError);
    fake.injectFault({ kind: 'server_error', status: 503, method: 'POST', times: 10 });
    const down = await connector.send(reply).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(NetworkError);
    expect((down as NetworkError).retryable).toBe(true);
    fake.clearFaults();
    fake.injectFault({ kind: 'unauthorized', method: 'POST' });
    await expect(connector.send(reply)).rejects.toBeInstanceOf(AuthError);
    await expect(connector.send(reply)).resolves.toMatchObject({ externalId: expect.any(String) }); // the token is set again
  });

  it('waits out a short 429 silently, surfaces a long one as RateLimitedError', async () => {
    const connector = connectorFor();
    const reply = { connectorId: 'dc1', externalThreadId: `${SUPPORT}:1`, channelId: SUPPORT, text: 'hello', idempotencyKey: 'k1' };
    fake.injectFault({ kind: 'rate_limit', method: 'POST', retryAfterSec: 1 });
    await expect(connector.send(reply)).resolves.toMatchObject({ externalId: expect.any(String) });
    fake.injectFault({ kind: 'rate_limit', method: 'POST', retryAfterSec: 30 });
    const limited = await connector.send({ ...reply, idempotencyKey: 'k2' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
  });

  it('loses nothing across a gateway outage: messages posted meanwhile are read back once', async () => {
    const { state, find } = await running();
    const hank = customer('Hank');
    const ivy = customer('Ivy');
    fake.userSendsDm(hank, 'before: dm'); // the DM channel becomes known
    fake.userPosts(GENERAL, ivy, 'before: mention', { mentionBot: true }); // so does #general
    await find('before: dm');
    await find(`<@${BOT.id}> before: mention`);

    fake.setOnline(false);
    fake.dropConnections();
    await eventually(() => state.health.at(-1)?.status === 'reconnecting');
    const missed = [
      fake.userPosts(SUPPORT, ivy, 'during: support 1'),
      fake.userSendsDm(hank, 'during: dm'),
      fake.userPosts(SUPPORT, hank, 'during: support 2'),
      fake.userPosts(GENERAL, ivy, 'during: mention', { mentionBot: true }),
    ];
    fake.userPosts(GENERAL, ivy, 'during: chatter');
    fake.setOnline(true);

    await eventually(() => missed.every((m) => state.events.some((e) => e.externalId === m.id)), 10_000);
    fake.userPosts(SUPPORT, ivy, 'after: live again');
    await find('after: live again');
    const ids = state.events.map((e) => e.externalId);
    expect(new Set(ids).size).toBe(ids.length); // each once
    const texts = state.events.map((e) => e.text);
    expect(texts.slice(0, 2)).toEqual(['before: dm', `<@${BOT.id}> before: mention`]);
    expect(texts.slice(2, 6).sort()).toEqual(missed.map((m) => m.content).sort());
    expect(texts.slice(6)).toEqual(['after: live again']); // the chatter stayed out
    expect(fake.resumes).toBeGreaterThanOrEqual(1);
    expect(state.health.at(-1)?.status).toBe('connected');
    // Positions of known channels reach the stored cursor within a quarter of a second (see handOver).
    await eventually(() => (JSON.parse(state.cursor!) as Record<string, string>)[SUPPORT] === state.events.at(-1)!.externalId, 2_000);
  });

  it('after a restart, reads back what was posted while it was stopped (from the saved cursor)', async () => {
    const first = await running();
    const jack = customer('Jack');
    fake.userSendsDm(jack, 'first dm');
    await first.find('first dm');
    await first.stop();
    expect(first.state.health.at(-1)?.status).toBe('stopped');

    fake.userPosts(SUPPORT, jack, 'while stopped: support');
    fake.userSendsDm(jack, 'while stopped: dm');
    const second = await running({ cursor: first.state.cursor });
    await second.find('while stopped: support');
    await second.find('while stopped: dm');
    expect(second.state.events.map((e) => e.text).sort()).toEqual(['while stopped: dm', 'while stopped: support']);
  });

  it("a first DM sent while no process listened arrives: the next holder resumes the dead holder's session", async () => {
    // A holder that died (SIGKILL) as Discord sees it: its connection dropped without a close, its session lives on
    // and queues events. Its stored cursor names the session.
    let info: SessionInfo | null = null;
    const dead = new WebSocketManager({
      token: fake.token,
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent,
      rest: new REST({ api: fake.apiBase }).setToken(fake.token),
      shardCount: 1,
      shardIds: [0],
      retrieveSessionInfo: () => info,
      updateSessionInfo: (_, next) => void (info = next),
    });
    const ready = new Promise((resolve) => dead.once(WebSocketShardEvents.Ready, resolve));
    await dead.connect();
    await ready;
    const { sessionId, resumeURL, sequence } = info!;
    await dead.destroy({ code: 4000 }); // not 1000: Discord keeps the session resumable
    const nora = customer('Nora');
    fake.userSendsDm(nora, 'hello? anyone?'); // her first DM: no history read-back can find it

    const next = await running({ cursor: JSON.stringify({ gateway: { sessionId, resumeURL, sequence } }) });
    await next.find('hello? anyone?');
    expect(fake.resumes).toBe(1);
    // Her channel is followed from then on, and the dead session is over: nothing is received twice.
    await next.stop();
    fake.userSendsDm(nora, 'still there?');
    const third = await running({ cursor: next.state.cursor });
    await third.find('still there?');
    expect(third.state.events.map((e) => e.text)).toEqual(['still there?']);
    expect(fake.resumes).toBe(2); // the second holder's own session, left resumable by its clean stop
  });

  it('a stored session Discord no longer knows is dropped at once, without identifying for it', async () => {
    const stale = { sessionId: 'ended-long-ago', resumeURL: `${fake.gatewayUrl}/resume`, sequence: 7 };
    const { find } = await running({ cursor: JSON.stringify({ gateway: stale }) });
    fake.userSendsDm(customer('Pia'), 'hello');
    await find('hello');
    expect(fake.resumes).toBe(0);
    expect(fake.identifies).toBe(1); // the connector's own session only
  });

  it('keeps its gateway session in the stored cursor while it runs, and leaves it resumable when it stops', async () => {
    const { state, find, stop } = await running();
    fake.userSendsDm(customer('Olga'), 'hi');
    await find('hi');
    const stored = await eventually(() => (JSON.parse(state.cursor ?? '{}') as { gateway?: { sessionId: string; sequence: number } }).gateway);
    expect(stored.sessionId).toMatch(/\w{8,}/);
    expect(stored.sequence).toBeGreaterThan(0);
    await stop();
    expect(JSON.parse(state.cursor!).gateway).toMatchObject({ sessionId: stored.sessionId });
  });

  it('a first DM sent during a clean handover arrives: the next holder resumes the session the last one left', async () => {
    const first = await running();
    fake.userSendsDm(customer('Ines'), 'before the deploy');
    await first.find('before the deploy');
    await first.stop(); // a deploy or a rebalance: a clean stop
    const raul = customer('Raul');
    fake.userSendsDm(raul, 'first message, while nobody listens'); // no history read-back can find a new DM channel
    const next = await running({ cursor: first.state.cursor });
    await next.find('first message, while nobody listens');
    expect(fake.resumes).toBe(1);
    expect(next.state.events.map((e) => e.text)).toEqual(['first message, while nobody listens']);
    // From then on his channel is followed; the resumed session is over, so nothing arrives twice.
    await next.stop();
    fake.userSendsDm(raul, 'and a second one');
    const third = await running({ cursor: next.state.cursor });
    await third.find('and a second one');
    expect(third.state.events.map((e) => e.text)).toEqual(['and a second one']);
  });

  it('a message the inbox failed to accept is read back from history later', async () => {
    const { state, find } = await running();
    const kim = customer('Kim');
    state.failSinks = 1;
    fake.userPosts(SUPPORT, kim, 'first try fails');
    fake.userPosts(SUPPORT, kim, 'second is fine');
    await find('first try fails');
    const texts = state.events.map((e) => e.text);
    expect(texts.filter((t) => t === 'first try fails')).toHaveLength(1);
    expect(texts).toContain('second is fine');
  });

  it('maps timeouts, cut connections and refused connections to NetworkError', async () => {
    const rest = new REST({ api: fake.apiBase, timeout: 200, retries: 0 }).setToken(fake.token);
    fake.injectFault({ kind: 'delay', ms: 600 });
    const slow = toConnectorError(await rest.get(Routes.user('@me')).catch((e: unknown) => e));
    expect(slow).toMatchObject({ kind: 'network', maybeDelivered: true });
    fake.injectFault({ kind: 'reset' });
    const cut = toConnectorError(await rest.get(Routes.user('@me')).catch((e: unknown) => e));
    expect(cut).toMatchObject({ kind: 'network', maybeDelivered: true });
    const closed = new REST({ api: 'http://127.0.0.1:1/api', retries: 0 }).setToken(fake.token);
    const refused = toConnectorError(await closed.get(Routes.user('@me')).catch((e: unknown) => e));
    expect(refused).toMatchObject({ kind: 'network', maybeDelivered: false });
  });

  it('stops following DM and mention channels idle for a month', async () => {
    const idle = '1500000000000000001';
    const monthsAgo = ((BigInt(Date.now() - 40 * 86_400_000) - 1420070400000n) << 22n).toString();
    const { state } = await running({ cursor: JSON.stringify({ [idle]: monthsAgo }) });
    const cursor = await eventually(() => {
      const parsed = JSON.parse(state.cursor ?? '{}') as Record<string, string>;
      return parsed[idle] === undefined ? parsed : null;
    });
    expect(Object.keys(cursor).filter((k) => k !== 'gateway')).toEqual([SUPPORT]); // the support channel got its starting point instead
    expect(fake.requests.some((r) => r.path.includes(idle))).toBe(false);
  });

  it('reports capabilities', () => {
    expect(connectorFor().capabilities).toEqual({ webhook: false, polling: false, gateway: true, deletePublic: true, hidePublic: false, directMessage: true });
  });
});
