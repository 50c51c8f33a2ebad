// The Discord fake, driven by the real discord.js client: if discord.js is happy with it, the connector's tests
// against it mean something.
import { once } from 'node:events';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  Partials,
  PermissionFlagsBits,
  RateLimitError,
  Routes,
  type ClientEvents,
  type Message,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCORD_FAKE_DEFAULTS, DiscordFake, type DiscordMessage } from './fake-server.ts';

const GUILD = DISCORD_FAKE_DEFAULTS.guild.id;
const SUPPORT = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;
const BOT = DISCORD_FAKE_DEFAULTS.bot;
const ALICE = { id: '1400000000000000001', username: 'alice', global_name: 'Alice A.' };
const BOB = { id: '1400000000000000002', username: 'bob' };

let fake: DiscordFake;
let clients: Client[] = [];

function makeClient(options: { rejectOnRateLimit?: (data: { retryAfter: number }) => boolean } = {}): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
    partials: [Partials.Channel],
    rest: { api: fake.apiBase, ...(options.rejectOnRateLimit ? { rejectOnRateLimit: options.rejectOnRateLimit } : {}) },
  });
  clients.push(client);
  return client;
}

async function readyClient(options?: Parameters<typeof makeClient>[0]): Promise<Client<true>> {
  const client = makeClient(options);
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client as Client<true>;
}

/** Resolves with the next event whose arguments pass `test`; rejects after `ms`. */
function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  test: (...args: ClientEvents[E]) => boolean = () => true,
  ms = 5000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const listener = (...args: ClientEvents[E]) => {
      if (!test(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

const messageWith = (client: Client, content: string, ms?: number) =>
  nextEvent(client, Events.MessageCreate, (m) => m.content === content, ms).then(([m]) => m);

beforeEach(async () => {
  fake = new DiscordFake({ heartbeatIntervalMs: 1000 });
  await fake.start();
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  clients = [];
  await fake.stop();
});

describe('DiscordFake with the real discord.js client', () => {
  it('logs in: READY, GUILD_CREATE with channels and the bot member, clientReady', async () => {
    const client = await readyClient();
    expect(client.user.id).toBe(BOT.id);
    expect(client.application.id).toBe(BOT.id);
    const guild = client.guilds.cache.get(GUILD)!;
    expect(guild.name).toBe('Wallet Community');
    expect(guild.preferredLocale).toBe('en-US');
    expect(client.channels.cache.get(SUPPORT)?.type).toBe(ChannelType.GuildText);
    expect(guild.members.me?.permissions.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(fake.identifies).toBe(1);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
  });

  it('delivers a guild message as messageCreate, with the author and guild', async () => {
    const client = await readyClient();
    const arrived = messageWith(client, 'my withdrawal is stuck');
    const posted = fake.userPosts(SUPPORT, ALICE, 'my withdrawal is stuck');
    const message = await arrived;
    expect(message.id).toBe(posted.id);
    expect(message.guildId).toBe(GUILD);
    expect(message.author.id).toBe(ALICE.id);
    expect(message.author.globalName).toBe('Alice A.');
    expect(message.createdTimestamp).toBeGreaterThan(Date.now() - 60_000); // snowflakes carry real time
  });

  it('edits and deletions: discord.js sees messageUpdate and messageDelete; embeds alone are no edit', async () => {
    const client = await readyClient();
    const raw: Array<{ t: string; d: any }> = [];
    client.on('raw', (p: { t: string; d: any }) => p.t?.startsWith('MESSAGE_') && raw.push(p));
    const arrived = messageWith(client, 'first words');
    const posted = fake.userPosts(SUPPORT, ALICE, 'first words');
    await arrived;
    const updated = nextEvent(client, Events.MessageUpdate);
    const edited = fake.userEdits(SUPPORT, posted.id, 'second words');
    const [, after] = await updated;
    expect(after.content).toBe('second words');
    expect(after.editedTimestamp).toBe(Date.parse(edited.edited_timestamp!));
    fake.embedsResolved(SUPPORT, posted.id);
    const deleted = nextEvent(client, Events.MessageDelete);
    fake.userDeletes(SUPPORT, posted.id);
    expect((await deleted)[0].id).toBe(posted.id);
    expect(raw.map((p) => p.t)).toEqual(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);
    expect(raw[1]!.d).toMatchObject({ id: posted.id, content: 'second words', guild_id: GUILD, author: { id: ALICE.id } });
    expect(raw[2]!.d.edited_timestamp).toBe(edited.edited_timestamp);
    expect(raw[3]!.d).toEqual({ id: posted.id, channel_id: SUPPORT, guild_id: GUILD });
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === posted.id)).toBe(false);
  });

  it('forwards carry the text in message_snapshots (empty content); polls carry question and answers', async () => {
    const client = await readyClient();
    const raw: any[] = [];
    client.on('raw', (p: { t: string; d: any }) => p.t === 'MESSAGE_CREATE' && raw.push(p.d));
    fake.userForwards(SUPPORT, ALICE, { content: 'forwarded words', attachments: [{ filename: 'note.png', description: 'my note' }] });
    fake.userPostsPoll(SUPPORT, BOB, 'Which network?', ['TRC-20', 'ERC-20']);
    const deadline = Date.now() + 5000;
    while (raw.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(raw[0]).toMatchObject({ content: '', flags: 1 << 14, message_reference: { type: 1 }, message_snapshots: [{ message: { content: 'forwarded words', attachments: [{ filename: 'note.png', description: 'my note' }] } }] });
    expect(raw[1]).toMatchObject({ content: '', poll: { question: { text: 'Which network?' }, answers: [{ poll_media: { text: 'TRC-20' } }, { poll_media: { text: 'ERC-20' } }] } });
  });

  it('delivers a DM in a channel discord.js has never seen, thanks to channel_type 1', async () => {
    const client = await readyClient();
    const arrived = messageWith(client, 'hello privately');
    const posted = fake.userSendsDm(BOB, 'hello privately');
    expect(client.channels.cache.has(posted.channel_id)).toBe(false);
    const message = await arrived;
    expect(message.guildId).toBeNull();
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.channelId).toBe(fake.dmChannelId(BOB.id));
  });

  it('records a reply with message_reference and echoes the bot message on the gateway', async () => {
    const client = await readyClient();
    const arrived = messageWith(client, 'help please');
    fake.userPosts(SUPPORT, ALICE, 'help please', { mentionBot: false });
    const customer = await arrived;
    const echo = nextEvent(client, Events.MessageCreate, (m) => m.author.id === BOT.id);
    const reply = await customer.reply('We are on it');
    expect((await echo)[0].id).toBe(reply.id);
    const [sent] = fake.botMessages();
    expect(sent?.message_reference?.message_id).toBe(customer.id);
    expect(sent?.type).toBe(19);
    expect(sent?.referenced_message?.id).toBe(customer.id);
    expect(sent?.mentions.map((u) => u.id)).toEqual([ALICE.id]); // replies ping the author by default
    const post = fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${SUPPORT}/messages`);
    expect(post?.body).toMatchObject({ content: 'We are on it', message_reference: { message_id: customer.id, fail_if_not_exists: true } });
  });

  it('accepts multipart bodies with payload_json and files', async () => {
    const client = await readyClient();
    const channel = await client.channels.fetch(SUPPORT);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send({ content: 'see attached', files: [{ attachment: Buffer.from('hello'), name: 'note.txt' }] });
    expect(sent.attachments.first()?.name).toBe('note.txt');
    expect(fake.channelMessages(SUPPORT).at(-1)?.attachments[0]?.filename).toBe('note.txt');
  });

  it('enforces nonces: the same nonce returns the first message instead of a second one', async () => {
    const client = await readyClient();
    const body = { content: 'once only', nonce: 'abc123', enforce_nonce: true };
    const first = (await client.rest.post(Routes.channelMessages(SUPPORT), { body })) as DiscordMessage;
    const second = (await client.rest.post(Routes.channelMessages(SUPPORT), { body })) as DiscordMessage;
    expect(second.id).toBe(first.id);
    expect(fake.botMessages()).toHaveLength(1);
    const third = (await client.rest.post(Routes.channelMessages(SUPPORT), { body: { ...body, enforce_nonce: false } })) as DiscordMessage;
    expect(third.id).not.toBe(first.id);
  });

  it('deletes: 403 50013 without MANAGE_MESSAGES, 204 with it, 404 10008 when gone, 50003 in DMs', async () => {
    const client = await readyClient();
    const arrived = messageWith(client, 'my seed is ...');
    fake.userPosts(SUPPORT, ALICE, 'my seed is ...');
    const message = await arrived;

    const updated = nextEvent(client, Events.GuildRoleUpdate);
    fake.setBotCanManageMessages(GUILD, false);
    await updated;
    expect(client.guilds.cache.get(GUILD)?.members.me?.permissions.has(PermissionFlagsBits.ManageMessages)).toBe(false);
    const refused = await client.rest.delete(Routes.channelMessage(SUPPORT, message.id)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect(refused).toMatchObject({ status: 403, code: 50013, message: 'Missing Permissions' });

    fake.setBotCanManageMessages(GUILD, true);
    await client.rest.delete(Routes.channelMessage(SUPPORT, message.id)); // 204, no body
    expect(fake.deleted()).toEqual([{ channelId: SUPPORT, messageId: message.id }]);
    expect(fake.channelMessages(SUPPORT)).toHaveLength(0);
    await expect(client.rest.delete(Routes.channelMessage(SUPPORT, message.id))).rejects.toMatchObject({ status: 404, code: 10008 });

    const dm = fake.userSendsDm(BOB, 'private');
    await expect(client.rest.delete(Routes.channelMessage(dm.channel_id, dm.id))).rejects.toMatchObject({ status: 403, code: 50003 });
  });

  it('creates DM channels and lets the bot write there', async () => {
    const client = await readyClient();
    fake.userPosts(SUPPORT, BOB, 'hi'); // the fake knows Bob from here on
    const channel = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: BOB.id } })) as { id: string; type: number };
    expect(channel.type).toBe(1);
    await client.rest.post(Routes.channelMessages(channel.id), { body: { content: 'Hello from support' } });
    expect(fake.channelMessages(channel.id).map((m) => m.content)).toEqual(['Hello from support']);
    fake.setUserAcceptsDms(BOB.id, false);
    await expect(client.rest.post(Routes.channelMessages(channel.id), { body: { content: 'again' } })).rejects.toMatchObject({ status: 403, code: 50007 });
  });

  it('pages history newest first with before / after / limit', async () => {
    const client = await readyClient();
    const posted = Array.from({ length: 7 }, (_, i) => fake.userPosts(SUPPORT, ALICE, `m${i}`));
    const ids = posted.map((m) => m.id);
    const latest = (await client.rest.get(Routes.channelMessages(SUPPORT), { query: new URLSearchParams({ limit: '3' }) })) as DiscordMessage[];
    expect(latest.map((m) => m.content)).toEqual(['m6', 'm5', 'm4']);
    const after = (await client.rest.get(Routes.channelMessages(SUPPORT), { query: new URLSearchParams({ after: ids[1]!, limit: '2' }) })) as DiscordMessage[];
    expect(after.map((m) => m.content)).toEqual(['m3', 'm2']);
    const before = (await client.rest.get(Routes.channelMessages(SUPPORT), { query: new URLSearchParams({ before: ids[2]! }) })) as DiscordMessage[];
    expect(before.map((m) => m.content)).toEqual(['m1', 'm0']);
    await expect(client.rest.get(Routes.channelMessages(SUPPORT), { query: new URLSearchParams({ limit: '101' }) })).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    await expect(client.rest.get(Routes.channelMessages('1399999999999999999'))).rejects.toMatchObject({ status: 404, code: 10003 });
  });

  it('429: discord.js waits out a short limit by the headers and succeeds; rejectOnRateLimit surfaces it', async () => {
    const client = await readyClient();
    let limited = 0;
    client.rest.on('rateLimited', () => (limited += 1));
    fake.injectFault({ kind: 'rate_limit', method: 'POST', pathPrefix: `/channels/${SUPPORT}/messages`, retryAfterSec: 1 });
    const started = Date.now();
    await client.rest.post(Routes.channelMessages(SUPPORT), { body: { content: 'after the wait' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(limited).toBeGreaterThan(0);
    expect(fake.botMessages().map((m) => m.content)).toEqual(['after the wait']);

    const strict = await readyClient({ rejectOnRateLimit: () => true });
    fake.injectFault({ kind: 'rate_limit', method: 'POST', retryAfterSec: 30 });
    const error = await strict.rest.post(Routes.channelMessages(SUPPORT), { body: { content: 'never' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeGreaterThanOrEqual(30_000);
    const answered = fake.requests.filter((r) => r.method === 'POST').length;
    expect(answered).toBe(3); // one wait-and-retry, one rejected
  });

  it('5xx is retried by discord.js, then surfaces as HTTPError', async () => {
    const client = await readyClient();
    fake.injectFault({ kind: 'server_error', status: 502, method: 'GET', pathPrefix: '/users/@me', times: 1 });
    await expect(client.rest.get(Routes.user('@me'))).resolves.toMatchObject({ id: BOT.id });
    fake.injectFault({ kind: 'server_error', method: 'GET', pathPrefix: '/users/@me', times: 10 });
    await expect(client.rest.get(Routes.user('@me'))).rejects.toMatchObject({ name: 'HTTPError', status: 500 });
  });

  it('resumes after dropConnections and replays what the session missed', async () => {
    const client = await readyClient();
    const resumed = nextEvent(client, Events.ShardResume);
    const arrived = messageWith(client, 'sent while you were away');
    fake.dropConnections();
    fake.userPosts(SUPPORT, ALICE, 'sent while you were away');
    const [, replayed] = await resumed;
    expect(replayed).toBeGreaterThanOrEqual(1);
    await arrived;
    expect(fake.resumes).toBe(1);
    expect(fake.identifies).toBe(1);
    // Still live afterwards.
    const later = messageWith(client, 'after the resume');
    fake.userPosts(SUPPORT, ALICE, 'after the resume');
    await later;
  });

  it('op 7 and a resumable op 9 make the client resume; op 9 not resumable makes it identify again', async () => {
    const client = await readyClient();
    const resumed = nextEvent(client, Events.ShardResume);
    fake.requestReconnect();
    await resumed;
    expect(fake.resumes).toBe(1);

    const resumedOnSameSocket = nextEvent(client, Events.ShardResume);
    fake.invalidateSession(true);
    await resumedOnSameSocket;
    expect(fake.resumes).toBe(2);

    // discord.js spaces identifies 5 s apart (Discord's identify limit), so the new READY takes a while.
    const readyAgain = nextEvent(client, Events.ShardReady, () => true, 10_000);
    fake.invalidateSession(false);
    await readyAgain;
    expect(fake.identifies).toBe(2);
    const arrived = messageWith(client, 'new session works');
    fake.userPosts(SUPPORT, ALICE, 'new session works');
    await arrived;
  });

  it('while offline, reconnects fail and posts stay in history only', async () => {
    const client = await readyClient();
    const seen: Message[] = [];
    client.on(Events.MessageCreate, (m) => seen.push(m));
    fake.setOnline(false);
    fake.dropConnections();
    fake.userPosts(SUPPORT, ALICE, 'during the outage');
    await new Promise((r) => setTimeout(r, 1200)); // a couple of refused reconnects
    expect(fake.liveSessions).toBe(0);
    const resumed = nextEvent(client, Events.ShardResume);
    fake.setOnline(true);
    await resumed;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((m) => m.content)).not.toContain('during the outage');
    expect(fake.channelMessages(SUPPORT).map((m) => m.content)).toEqual(['during the outage']);
  });

  it('rejects a wrong token: 401 on REST, login fails with TokenInvalid', async () => {
    const client = makeClient();
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: DiscordjsErrorCodes.TokenInvalid });
    const res = await fetch(`${fake.apiBase}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect(fake.identifies).toBe(0);
  });

  it('closes the gateway with 4004 for a wrong token on Identify', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
    const hello = await new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    expect(hello).toMatchObject({ op: 10, d: { heartbeat_interval: 1000 } });
    ws.send(JSON.stringify({ op: 1, d: null }));
    const ack = await new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    expect(ack.op).toBe(11);
    ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 513, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });
});
