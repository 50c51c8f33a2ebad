// Issue #3 end to end: the Discord connector inside the inbox, driven by the real discord.js against the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_FAKE_DEFAULTS, DiscordFake } from '../connectors/discord/fake-server.ts';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

const SUPPORT = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;
const GENERAL = DISCORD_FAKE_DEFAULTS.guild.channels[1].id;

let fake: DiscordFake;
let inbox: TestInbox;
let connectorId: string;

const health = async (id: string) => (await inbox.api(`/api/connectors/${id}`, { token: inbox.adminToken })).body.health;
const conversationWith = (handle: string) =>
  eventually(async () => (await inbox.api('/api/conversations?platform=discord&limit=200')).body.items.find((c: any) => c.contact.handle === handle), 10_000, `conversation with ${handle}`);
const messagesOf = async (id: string): Promise<any[]> => (await inbox.api(`/api/conversations/${id}/messages`)).body.items;

beforeAll(async () => {
  fake = new DiscordFake({ heartbeatIntervalMs: 1000 });
  await fake.start();
  inbox = await startTestInbox();
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'discord', name: 'Community', credentials: { botToken: DISCORD_FAKE_DEFAULTS.token }, settings: { apiBase: fake.apiBase, supportChannelIds: [SUPPORT] } },
  });
  expect(created.status).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain(DISCORD_FAKE_DEFAULTS.token);
  connectorId = created.body.id;
  await eventually(async () => (await health(connectorId)).status === 'connected', 15_000, 'connected');
});

afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

describe('Discord inbox', () => {
  it('shows a DM (no guild_id, channel never cached) as a private conversation and replies into the DM', async () => {
    const author = { id: '1400000000000000101', username: 'mei_d', global_name: 'Mei' };
    fake.userSendsDm(author, '我的提现一直没到账');
    const conversation = await conversationWith('mei_d');
    expect(conversation.visibility).toBe('private');
    expect((await messagesOf(conversation.id))[0].text).toBe('我的提现一直没到账');
    await inbox.api(`/api/conversations/${conversation.id}/messages`, { body: { text: '您好，请提供提现订单号' } });
    const reply = await eventually(() => fake.botMessages().find((m) => m.content === '您好，请提供提现订单号'), 10_000, 'reply in DM');
    expect(reply.channel_id).toBe(fake.dmChannelId(author.id));
  });

  it('turns support-channel messages and mentions into public conversations, threaded replies included', async () => {
    const author = { id: '1400000000000000102', username: 'nick_d' };
    const question = fake.userPosts(SUPPORT, author, 'deposit stuck for 3 hours');
    fake.userPosts(GENERAL, { id: '1400000000000000103', username: 'chatter_d' }, 'gm everyone');
    fake.userPosts(GENERAL, { id: '1400000000000000104', username: 'olga_d' }, 'is the app down?', { mentionBot: true });
    const conversation = await conversationWith('nick_d');
    expect(conversation.visibility).toBe('public');
    await conversationWith('olga_d');
    expect((await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === 'chatter_d')).toBeUndefined();

    await inbox.api(`/api/conversations/${conversation.id}/messages`, { body: { text: 'Looking into it now' } });
    const reply = await eventually(() => fake.botMessages().find((m) => m.content === 'Looking into it now'), 10_000, 'reply');
    expect(reply.channel_id).toBe(SUPPORT);
    expect(reply.message_reference?.message_id).toBe(question.id);
    // The bot's own reply comes back over the gateway; it must not become an inbound message.
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('loses nothing and duplicates nothing across a gateway outage', async () => {
    const author = { id: '1400000000000000105', username: 'pat_d' };
    fake.userPosts(SUPPORT, author, 'before the outage');
    const conversation = await conversationWith('pat_d');
    fake.setOnline(false);
    fake.dropConnections(4000);
    await eventually(async () => (await health(connectorId)).status === 'reconnecting', 10_000, 'reconnecting');
    fake.userPosts(SUPPORT, author, 'during the outage 1');
    fake.userPosts(SUPPORT, author, 'during the outage 2');
    fake.setOnline(true);
    await eventually(async () => (await messagesOf(conversation.id)).length === 3, 20_000, 'messages read back');
    fake.userPosts(SUPPORT, author, 'after the outage');
    await eventually(async () => (await messagesOf(conversation.id)).length === 4, 10_000, 'live again');
    await new Promise((r) => setTimeout(r, 500));
    expect((await messagesOf(conversation.id)).map((m) => m.text)).toEqual(['before the outage', 'during the outage 1', 'during the outage 2', 'after the outage']);
    expect((await health(connectorId)).status).toBe('connected');
  });

  it('shows an admin a rejected token as auth_failed with the reason', async () => {
    const bad = await inbox.api('/api/connectors', {
      token: inbox.adminToken,
      body: { platform: 'discord', name: 'Wrong token', credentials: { botToken: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.d3Jvbmc.not-the-right-token' }, settings: { apiBase: fake.apiBase } },
    });
    const status = await eventually(async () => {
      const h = await health(bad.body.id);
      return h.status === 'auth_failed' ? h : null;
    }, 15_000, 'auth_failed');
    expect(status.lastError).toMatch(/token/i);
    expect(JSON.stringify(status)).not.toContain('not-the-right-token');
  });
});
