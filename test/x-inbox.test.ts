// Issue #8 end to end: the X connector inside the inbox (stream mode, the X Activity API), driven by the real
// twitter-api-v2 against the X fake: conversations, replies, the guard hiding a leaked reply, edits.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X_FAKE_DEFAULTS, XFake, type XEndpoint } from '../connectors/x/fake-server.ts';
import { normalizeXDmEvent, type DMEventV2 } from '../connectors/x/normalize.ts';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

const APP = X_FAKE_DEFAULTS.app;
const BOT = X_FAKE_DEFAULTS.bot;
const CREDENTIALS = { appKey: APP.consumerKey, appSecret: APP.consumerSecret, accessToken: BOT.accessToken, accessSecret: BOT.accessSecret, bearerToken: APP.bearerToken };
const FAST = Object.fromEntries(
  (['users/me', 'mentions', 'dm_events', 'tweets:create', 'tweets:hide', 'dm:send', 'subscriptions', 'stream:connect'] as XEndpoint[]).map((e) => [e, { limit: 100_000, windowSec: 60 }]),
);

let fake: XFake;
let inbox: TestInbox;
let connectorId: string;

const conversationWith = (handle: string, visibility?: 'public' | 'private') =>
  eventually(
    async () =>
      (await inbox.api(`/api/conversations?platform=x&limit=200${visibility ? `&visibility=${visibility}` : ''}`)).body.items.find((c: any) => c.contact.handle === handle),
    10_000,
    `conversation with ${handle}`,
  );
const messagesOf = async (id: string): Promise<any[]> => (await inbox.api(`/api/conversations/${id}/messages`)).body.items;

beforeAll(async () => {
  fake = new XFake({ rateLimits: FAST, keepAliveMs: 1_000 });
  await fake.start();
  inbox = await startTestInbox();
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'x', name: 'X support', credentials: CREDENTIALS, settings: { apiBase: fake.apiBase, mode: 'stream' } },
  });
  expect(created.status).toBe(201);
  for (const secret of Object.values(CREDENTIALS)) expect(JSON.stringify(created.body)).not.toContain(secret);
  connectorId = created.body.id;
  await eventually(async () => (await inbox.api(`/api/connectors/${connectorId}`, { token: inbox.adminToken })).body.health.status === 'connected', 15_000, 'connected');
});

afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

describe('X inbox', () => {
  it('shows a mention as a public conversation and a DM as a private one, with one contact; replies go out as a reply post and a DM', async () => {
    const mia = { id: '1900000000000000001', username: 'mia_x', name: 'Mia' };
    const mention = fake.userMentions(mia, '提现两天了还没到账');
    fake.userSendsDm(mia, 'order WD20261124-8841');
    const pub = await conversationWith('mia_x', 'public');
    const dm = await conversationWith('mia_x', 'private');
    expect(pub.contact.id).toBe(dm.contact.id);
    expect((await messagesOf(pub.id))[0].text).toBe(mention.text);

    await inbox.api(`/api/conversations/${pub.id}/messages`, { body: { text: '您好，我们正在查询' } });
    const reply = await eventually(() => fake.botTimeline().find((p) => p.text === '您好，我们正在查询'), 10_000, 'reply post');
    expect(reply.referenced_tweets).toEqual([{ type: 'replied_to', id: mention.id }]);
    await inbox.api(`/api/conversations/${dm.id}/messages`, { body: { text: 'Thanks, checking the order now' } });
    const sent = await eventually(() => fake.botDms().find((d) => d.text === 'Thanks, checking the order now'), 10_000, 'DM');
    expect(sent.dm_conversation_id).toBe(`${BOT.id}-${mia.id}`);
    await eventually(async () => (await messagesOf(dm.id)).find((m) => m.direction === 'outbound')?.delivery.status === 'sent', 10_000, 'sent');
    // Our own DM comes back as dm.sent: it is not a customer message.
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesOf(dm.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('hides a recovery phrase replied under our own post, warns once and DMs the customer', async () => {
    const leo = { id: '1900000000000000002', username: 'leo_x', name: 'Leo' };
    const root = fake.botPosts('We are aware of delayed withdrawals and are working on it.');
    const phrase = generateMnemonic(english);
    const leak = fake.userReplies(leo, root.id, `help, my wallet is empty, recovery phrase: ${phrase}`, { explicitMention: true });
    const conversation = await conversationWith('leo_x', 'public');
    expect(conversation.flagged).toBe(true);
    await eventually(async () => {
      const first = (await messagesOf(conversation.id)).find((m) => m.direction === 'inbound');
      return first?.guardActions?.find((a: any) => a.kind === 'warn' && a.status === 'done');
    }, 15_000, 'warned');
    expect(fake.post(leak.id)?.hidden).toBe(true);
    const warnings = fake.botTimeline().filter((p) => p.referenced_tweets?.[0]?.id === leak.id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).not.toContain(phrase.split(' ')[0]! + ' ' + phrase.split(' ')[1]!);
    // A hidden reply can still be opened by anyone: the warning does not say it was removed, it asks him to delete it.
    expect(warnings[0]!.text).not.toMatch(/removed/i);
    expect(warnings[0]!.text).toMatch(/delete that message/i);
    expect(fake.botDms().filter((d) => d.dm_conversation_id === `${BOT.id}-${leo.id}`)).toHaveLength(1);
    // Stored masked.
    expect((await messagesOf(conversation.id))[0].text).not.toContain(phrase);
  });

  it('cannot hide a leaked standalone mention: says so, and still DMs the customer', async () => {
    const ana = { id: '1900000000000000003', username: 'ana_x', name: 'Ana' };
    fake.userMentions(ana, `my seed words are ${generateMnemonic(english)} please help`);
    const conversation = await conversationWith('ana_x', 'public');
    const actions = await eventually(async () => {
      const first = (await messagesOf(conversation.id)).find((m) => m.direction === 'inbound');
      const all = Object.fromEntries((first?.guardActions ?? []).map((a: any) => [a.kind, a.status]));
      return all.warn && all.warn !== 'pending' ? { all, remove: first.guardActions.find((a: any) => a.kind === 'remove') } : null;
    }, 15_000, 'actions');
    expect(actions.all).toMatchObject({ remove: 'not_allowed', dm: 'done', warn: 'done' });
    // In X's terms: an account hides replies under its own posts; nothing is "removed".
    expect(actions.remove.detail).toMatch(/hide only replies under its own posts/);
    expect(actions.remove.detailCode).toBe('not_own_reply');
  });

  it('updates one message when the customer edits a mention', async () => {
    const kai = { id: '1900000000000000004', username: 'kai_x', name: 'Kai' };
    const original = fake.userMentions(kai, 'deposit of 50 USDC missing');
    const conversation = await conversationWith('kai_x', 'public');
    await eventually(async () => (await messagesOf(conversation.id)).length === 1, 10_000, 'first version');
    fake.userEdits(original.id, 'deposit of 500 USDC missing');
    const edited = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.text.includes('500 USDC')), 10_000, 'edit applied');
    expect(edited.editedAt).toBeTruthy();
    expect((await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });
});

describe('X DMs the account sent (dm.sent)', () => {
  const outbound = async (id: string) => (await messagesOf(id)).filter((m) => m.direction === 'outbound');

  it('files a DM an agent sent from the X app once, as a sent outbound message in the customer’s private conversation', async () => {
    const nia = { id: '1900000000000000006', username: 'nia_x', name: 'Nia' };
    fake.userSendsDm(nia, 'is my withdrawal stuck?');
    const dm = await conversationWith('nia_x', 'private');
    const phrase = generateMnemonic(english);
    fake.botSendsDmInApp(nia.id, 'Hi Nia, it went out an hour ago.');
    fake.botSendsDmInApp(nia.id, `never share words like these: ${phrase}`);
    const [answer, masked] = await eventually(async () => ((await outbound(dm.id)).length === 2 ? await outbound(dm.id) : null), 10_000, 'two outbound');
    expect(answer).toMatchObject({ text: 'Hi Nia, it went out an hour ago.', delivery: { status: 'sent' }, author: { kind: 'bot', id: BOT.id } });
    // Masked by policy like any stored text: the phrase reaches neither the API nor the database.
    expect(masked.text).not.toContain(phrase);
    expect(await inbox.dumpDatabase()).not.toContain(phrase);
    // The reconciliation poll reads the same DMs from the DM list: still one message each, none inbound.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await outbound(dm.id)).toHaveLength(2);
    expect((await messagesOf(dm.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('opens the private conversation with the customer when the agent writes first from the X app', async () => {
    const ola = { id: '1900000000000000007', username: 'ola_x', name: 'Ola' };
    fake.addUser(ola);
    fake.botSendsDmInApp(ola.id, 'Hello Ola, following up on your ticket.');
    const dm = await conversationWith('ola_x', 'private');
    expect(dm.contact.handle).toBe('ola_x');
    expect(await outbound(dm.id)).toMatchObject([{ text: 'Hello Ola, following up on your ticket.', delivery: { status: 'sent' } }]);
  });

  it('keeps one message, the agent’s, when the echo of an API reply arrives before X answers the send', async () => {
    const pia = { id: '1900000000000000008', username: 'pia_x', name: 'Pia' };
    fake.userSendsDm(pia, 'any news?');
    const dm = await conversationWith('pia_x', 'private');
    // X carries out the send (and streams its dm.sent) but answers two seconds later.
    fake.injectFault({ kind: 'delay', ms: 2_000, afterEffect: true, method: 'POST', pathPrefix: `/2/dm_conversations/with/${pia.id}` });
    expect((await inbox.api(`/api/conversations/${dm.id}/messages`, { body: { text: 'Yes: it was credited.' } })).status).toBe(202);
    // The echo is filed first, beside the reply still being sent...
    await eventually(async () => (await outbound(dm.id)).some((m) => m.author.kind === 'bot'), 10_000, 'echo filed first');
    // ...and merged into it once the worker records the DM's id.
    const [reply] = await eventually(async () => {
      const all = await outbound(dm.id);
      return all.length === 1 && all[0].delivery.status === 'sent' ? all : null;
    }, 10_000, 'one message');
    expect(reply).toMatchObject({ text: 'Yes: it was credited.', author: { kind: 'agent' } });
    expect(fake.botDms().filter((d) => d.text === 'Yes: it was credited.')).toHaveLength(1);
  });

  it('keeps one message when the echo arrives after the worker recorded the reply, and stores a redelivery once', async () => {
    const quin = { id: '1900000000000000009', username: 'quin_x', name: 'Quin' };
    fake.userSendsDm(quin, 'hello?');
    const dm = await conversationWith('quin_x', 'private');
    await inbox.api(`/api/conversations/${dm.id}/messages`, { body: { text: 'Hello Quin, how can we help?' } });
    await eventually(async () => (await outbound(dm.id))[0]?.delivery.status === 'sent', 10_000, 'sent');
    fake.botSendsDmInApp(quin.id, 'One more thing from the app.');
    await eventually(async () => (await outbound(dm.id)).length === 2, 10_000, 'app DM');
    // X redelivers both DMs (backfill after a reconnect, a webhook retry): nothing new is stored.
    for (const event of fake.dmEvents().filter((d) => d.dm_conversation_id === `${BOT.id}-${quin.id}`)) {
      const item = normalizeXDmEvent(event as unknown as DMEventV2, undefined, { connectorId, botUserId: BOT.id })!;
      await inbox.app.pipeline.submit(JSON.parse(JSON.stringify(item.message)));
      await inbox.app.pipeline.submit(JSON.parse(JSON.stringify(item.message)));
    }
    const all = await outbound(dm.id);
    expect(all.map((m) => [m.text, m.author.kind])).toEqual([
      ['Hello Quin, how can we help?', 'agent'],
      ['One more thing from the app.', 'bot'],
    ]);
    expect((await messagesOf(dm.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });
});

describe('X costs', () => {
  it('shows an admin the requests made and the estimated spend at pay-per-use prices', async () => {
    const usage = await eventually(async () => {
      const u = (await inbox.api(`/api/connectors/${connectorId}`, { token: inbox.adminToken })).body.usage;
      return u?.byEndpoint24h?.some((e: any) => e.endpoint === 'tweets:hide' && e.count === 2) ? u : null;
    }, 10_000, 'usage');
    expect(usage.requests24h).toBeGreaterThan(5);
    expect(usage.requests30d).toBeGreaterThanOrEqual(usage.requests24h);
    expect(usage.events24h).toBeGreaterThan(3);
    const endpoint = (name: string) => usage.byEndpoint24h.find((e: any) => e.endpoint === name);
    // Replies answer posts that summoned the account: $0.010 each; DMs $0.015; hides $0.005; DMs received $0.010.
    expect(endpoint('tweets:create').estimatedCostUsd).toBeCloseTo(endpoint('tweets:create').count * 0.01, 5);
    // Two hide requests (one under our post, one refused for a standalone mention): only the first is billed.
    expect(endpoint('tweets:hide')).toMatchObject({ count: 2, estimatedCostUsd: 0.005 });
    expect(endpoint('event:dm.received').estimatedCostUsd).toBeCloseTo(endpoint('event:dm.received').count * 0.01, 5);
    expect(usage.estimatedCostUsd24h).toBeGreaterThan(0);
    const list = (await inbox.api('/api/connectors', { token: inbox.adminToken })).body.items;
    expect(list.find((c: any) => c.id === connectorId).usage.requests24h).toBe(usage.requests24h);
  });
});

describe('X reply length', () => {
  it('refuses a public reply over 280 weighted characters (Chinese counts twice) before queueing it, and takes the same text as a DM', async () => {
    const zoe = { id: '1900000000000000005', username: 'zoe_x', name: 'Zoe' };
    fake.userMentions(zoe, '你好');
    fake.userSendsDm(zoe, '你好');
    const pub = await conversationWith('zoe_x', 'public');
    const dm = await conversationWith('zoe_x', 'private');
    const text = '您好'.repeat(75); // 150 characters, 300 as X counts them
    const refused = await inbox.api(`/api/conversations/${pub.id}/messages`, { body: { text } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/280 characters.*counts 300/);
    expect((await inbox.api(`/api/conversations/${pub.id}`)).body.replyMaxLength).toBe(280);
    const accepted = await inbox.api(`/api/conversations/${dm.id}/messages`, { body: { text } });
    expect(accepted.status).toBe(202);
    await eventually(() => fake.botDms().find((d) => d.text === text), 10_000, 'long DM sent');
  });
});

describe('X admin form hints', () => {
  it('lists what X asks for and where each credential comes from', async () => {
    const res = await inbox.api('/api/connectors/platforms', { token: inbox.adminToken });
    expect(res.status).toBe(200);
    const x = res.body.items.find((p: any) => p.platform === 'x');
    expect(x.credentials.map((f: any) => [f.key, f.required])).toEqual([
      ['appKey', true],
      ['appSecret', true],
      ['accessToken', true],
      ['accessSecret', true],
      ['bearerToken', false],
    ]);
    expect(x.credentials.find((f: any) => f.key === 'accessToken').description).toMatch(/Developer Portal.*Authentication Tokens.*support account/);
    expect(x.settings.find((f: any) => f.key === 'mode')).toMatchObject({ enum: ['polling', 'stream', 'webhook'], default: 'polling' });
    expect(res.body.items.map((p: any) => p.platform).sort()).toEqual(['discord', 'telegram', 'x']);
    expect((await inbox.api('/api/connectors/platforms', { token: inbox.agentToken })).status).toBe(403);
  });
});
