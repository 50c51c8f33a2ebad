// The X connector against the X fake, with the real twitter-api-v2: paging, restarts, rate limits, the activity
// stream, webhooks, refusals and hiding. The inbox end to end is in test/x-inbox.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidError, PermissionError } from '../errors.ts';
import { runReceiver } from '../../src/runtime/receiver.ts';
import { memoryStore, receiveInMemory, waitFor, type MemoryStore } from '../testing/runtime.ts';
import { X_FAKE_DEFAULTS, X_REFUSALS, XFake, xWebhookSignature, type XEndpoint, type XFakeOptions } from './fake-server.ts';
import { createXConnector, type XConnector, type XConnectorConfig } from './index.ts';
import type { XUsageRecord } from './api.ts';

const APP = X_FAKE_DEFAULTS.app;
const BOT = X_FAKE_DEFAULTS.bot;
const customer = (n: number) => ({ id: String(1_800_000_000_000_000_000n + BigInt(n)), username: `cust${n}`, name: `Customer ${n}` });
const FAST: XFakeOptions['rateLimits'] = Object.fromEntries(
  (['users/me', 'mentions', 'dm_events', 'tweets:create', 'tweets:hide', 'dm:send', 'subscriptions', 'stream:connect', 'webhooks'] as XEndpoint[]).map((e) => [e, { limit: 100_000, windowSec: 60 }]),
);

let fake: XFake;
const stops: Array<() => Promise<unknown> | unknown> = [];

async function setup(fakeOptions: XFakeOptions = {}, config: Partial<XConnectorConfig> = {}) {
  fake = new XFake({ rateLimits: FAST, keepAliveMs: 200, allowHttpWebhooks: true, webhookRetryMs: 50, ...fakeOptions });
  await fake.start();
  stops.push(() => fake.stop());
  const usage: XUsageRecord[] = [];
  const make = (extra: Partial<XConnectorConfig> = {}) =>
    createXConnector({
      connectorId: 'x-test',
      appKey: APP.consumerKey,
      appSecret: APP.consumerSecret,
      accessToken: BOT.accessToken,
      accessSecret: BOT.accessSecret,
      bearerToken: APP.bearerToken,
      apiBase: fake.apiBase,
      pollIntervalMs: 50,
      idlePollIntervalMs: 200,
      meter: (r) => usage.push(r),
      ...config,
      ...extra,
    });
  return { make, usage };
}

/** Runs `connector` in the core's receiver on `store` (in memory) until stopped. */
async function run(connector: XConnector, store = memoryStore()) {
  const receiver = receiveInMemory(connector, store);
  stops.push(receiver.stop);
  return { memory: store.state, stop: receiver.stop, done: receiver.done };
}

afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

const ids = (memory: MemoryStore['state']) => memory.events.map((e) => e.externalId);

describe('polling', () => {
  it('ingests three pages of mentions once each, oldest walk first, and moves since_id only after the last page', async () => {
    const { make } = await setup();
    const posted = Array.from({ length: 250 }, (_, i) => fake.userMentions(customer(i % 7), `mention ${i}`).id);
    const { memory } = await run(make());
    await waitFor(() => memory.events.length >= 250, 10_000, '250 mentions');
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(ids(memory))).toEqual(new Set(posted));
    expect(memory.events).toHaveLength(250);
    const pages = fake.requestsTo('GET', `/2/users/${BOT.id}/mentions`).filter((r) => r.query.pagination_token || !r.query.since_id);
    expect(pages.slice(0, 3).map((r) => Boolean(r.query.pagination_token))).toEqual([false, true, true]);
    // Later polls ask only for what is newer than the newest mention.
    await waitFor(() => fake.requestsTo('GET', `/2/users/${BOT.id}/mentions`).some((r) => r.query.since_id === posted.at(-1)), 5_000, 'since_id poll');
  });

  it('loses nothing when restarted between pages', async () => {
    const { make } = await setup();
    const posted = Array.from({ length: 250 }, (_, i) => fake.userMentions(customer(i % 5), `restart ${i}`).id);
    const store = memoryStore();
    const memory = store.state;
    // The process stops right after its first page was sunk (and its cursor saved).
    const controller = new AbortController();
    const host = store.host(1);
    await runReceiver(make(), { ...host, sink: async (events) => (await host.sink(events), controller.abort()) }, controller.signal);
    expect(memory.events.length).toBe(100);
    expect(JSON.parse(memory.cursor!).mentions.next).toEqual(expect.any(String));
    await run(make(), store); // a new process, the same stored cursor
    await waitFor(() => new Set(ids(memory)).size >= 250, 10_000, 'the rest');
    expect(new Set(ids(memory))).toEqual(new Set(posted));
    expect(memory.events.length).toBe(250);
  });

  it('pages DM events to the first seen id, and a restart reads only what is new', async () => {
    const { make } = await setup();
    for (let i = 0; i < 130; i++) fake.userSendsDm(customer(i % 3), `dm ${i}`);
    const store = memoryStore();
    const memory = store.state;
    const first = await run(make(), store);
    await waitFor(() => memory.events.length >= 130, 10_000, '130 DMs');
    await first.stop();
    fake.userSendsDm(customer(1), 'dm after restart');
    await run(make(), store);
    await waitFor(() => memory.events.some((e) => e.text === 'dm after restart'), 10_000, 'new DM');
    await new Promise((r) => setTimeout(r, 300));
    expect(memory.events).toHaveLength(131);
    expect(memory.events.every((e) => e.visibility === 'private')).toBe(true);
  });

  it('on a 429 waits for the reset before asking again, and loses nothing', async () => {
    const { make } = await setup();
    const { memory } = await run(make());
    await waitFor(() => memory.health.some((h) => h.status === 'connected'), 5_000, 'connected');
    fake.injectFault({ method: 'GET', pathPrefix: `/2/users/${BOT.id}/mentions`, kind: 'rate_limit', resetInSec: 2 });
    const limited = await waitFor(() => fake.requestsTo('GET', `/2/users/${BOT.id}/mentions`).find((r) => r.status === 429), 5_000, 'a 429');
    const posted = fake.userMentions(customer(1), 'sent while rate limited');
    await waitFor(() => memory.events.some((e) => e.externalId === posted.id), 10_000, 'ingested after the reset');
    const after = fake.requestsTo('GET', `/2/users/${BOT.id}/mentions`).filter((r) => r.at > limited.at);
    const resetAt = (Math.ceil(limited.at / 1000) + 2) * 1000;
    expect(after[0]!.at).toBeGreaterThanOrEqual(resetAt - 1000); // x-rate-limit-reset is whole seconds
    expect(after[0]!.at - limited.at).toBeGreaterThan(900);
  });

  it('spreads requests over the window X reports, so it never runs the window dry', async () => {
    const { make } = await setup({ rateLimits: { ...FAST, dm_events: { limit: 4, windowSec: 2 } } });
    await run(make());
    await new Promise((r) => setTimeout(r, 3_000));
    const dmPolls = fake.requestsTo('GET', '/2/dm_events');
    expect(dmPolls.every((r) => r.status === 200)).toBe(true);
    expect(dmPolls.length).toBeLessThanOrEqual(7);
    expect(dmPolls.length).toBeGreaterThanOrEqual(3);
  });

  it('polls a quiet account less and less often', async () => {
    const { make } = await setup({}, { pollIntervalMs: 50, idlePollIntervalMs: 800 });
    await run(make());
    await new Promise((r) => setTimeout(r, 3_000));
    const times = fake.requestsTo('GET', `/2/users/${BOT.id}/mentions`).map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.at(-1)!).toBeGreaterThan(400);
    expect(gaps[0]!).toBeLessThan(gaps.at(-1)! / 3);
  });

  it('an edited mention comes back as kind edited under its first id', async () => {
    const { make } = await setup();
    const { memory } = await run(make());
    const original = fake.userMentions(customer(2), 'my adress is wrong');
    await waitFor(() => memory.events.some((e) => e.externalId === original.id), 5_000, 'original');
    fake.userEdits(original.id, 'my address is wrong');
    const edit = await waitFor(() => memory.events.find((e) => e.kind === 'edited'), 5_000, 'edit');
    expect(edit).toMatchObject({ externalId: original.id, text: `@${BOT.username} my address is wrong` });
  });
});

describe('stream mode (X Activity API)', () => {
  it('creates its own subscriptions, and a drop mid-traffic reconnects with backfill and stores each event once', async () => {
    const { make, usage } = await setup({}, { mode: 'stream', reconcileIntervalMs: 60_000 });
    const { memory } = await run(make());
    await waitFor(() => fake.openStreams() === 1, 5_000, 'stream open');
    expect(fake.listSubscriptions().map((s) => s.event_type).sort()).toEqual(['dm.received', 'dm.sent', 'post.mention.create', 'post.reply.create']);
    expect(fake.listSubscriptions().every((s) => s.tag === 'inbox:x-test' && s.filter.user_id === BOT.id)).toBe(true);

    const posted: string[] = [];
    for (let i = 0; i < 40; i++) {
      posted.push(i % 2 ? fake.userMentions(customer(i), `live ${i}`).id : fake.userSendsDm(customer(i), `live dm ${i}`).id);
      if (i === 20) fake.dropStreams({ withErrorLine: true });
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => new Set(ids(memory)).size >= 40, 10_000, 'all 40');
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(ids(memory))).toEqual(new Set(posted));
    expect(memory.events).toHaveLength(40);
    expect(fake.requestsTo('GET', '/2/activity/stream').map((r) => r.query.backfill_minutes)).toEqual(['5', '5']);
    expect(memory.health.map((h) => h.status)).toContain('reconnecting');
    // Deliveries are priced: 20 DMs at $0.010 and 20 mentions at $0.005.
    const eventCost = usage.filter((u) => u.endpoint.startsWith('event:')).reduce((s, u) => s + u.costUsd, 0);
    expect(eventCost).toBeCloseTo(0.3, 5);
  });

  it('reconciles what XAA never delivers (a reply to a reply) by polling mentions', async () => {
    const { make } = await setup({}, { mode: 'stream', reconcileIntervalMs: 300 });
    const { memory } = await run(make());
    await waitFor(() => fake.openStreams() === 1, 5_000, 'stream open');
    const root = fake.botPosts('Scheduled maintenance at 02:00 UTC');
    const first = fake.userReplies(customer(1), root.id, 'will withdrawals work?');
    const nested = fake.userReplies(customer(2), first.id, 'same question'); // implicit mention of us, no XAA event
    await waitFor(() => memory.events.some((e) => e.externalId === nested.id), 5_000, 'reconciled reply');
    expect(memory.events.filter((e) => e.externalId === first.id)).toHaveLength(1);
  });

  it('reconciles DMs XAA never delivered (sent before the subscriptions existed) with small DM pages', async () => {
    const { make } = await setup({}, { mode: 'stream', reconcileIntervalMs: 300 });
    const early = fake.userSendsDm(customer(7), 'sent before stream mode was on');
    const { memory } = await run(make());
    await waitFor(() => memory.events.some((e) => e.externalId === early.id), 5_000, 'reconciled DM');
    expect(fake.requestsTo('GET', '/2/dm_events').every((r) => r.query.max_results === '20')).toBe(true);
  });

  it('removes its subscriptions when switched back to polling', async () => {
    const { make } = await setup();
    const stream = await run(make({ mode: 'stream' }));
    await waitFor(() => fake.listSubscriptions().length === 4, 5_000, 'subscribed');
    await stream.stop();
    await run(make({ mode: 'polling' }));
    await waitFor(() => fake.listSubscriptions().length === 0, 5_000, 'cleaned up');
  });
});

describe('webhook mode', () => {
  async function serve(connector: XConnector, store: MemoryStore) {
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const { events, response } = await connector.handleWebhook({
          method: req.method ?? 'GET',
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          query: Object.fromEntries(url.searchParams),
          rawBody: Buffer.concat(chunks),
        });
        await store.host(1).sink(events); // as the API does: sink, then answer
        res.writeHead(response.status, { 'content-type': 'application/json' }).end(JSON.stringify(response.body ?? {}));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise((r) => server.close(r)));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/x-test`;
  }

  it('answers the CRC with the known vector', async () => {
    const { make } = await setup();
    const connector = make({ appSecret: 'consumer_secret_example', mode: 'webhook' });
    const answer = connector.webhookDelivery({ method: 'GET', headers: {}, query: { crc_token: 'challenge_string' }, rawBody: Buffer.alloc(0) });
    // printf '%s' challenge_string | openssl dgst -sha256 -hmac consumer_secret_example -binary | base64
    expect(answer).toEqual({ events: [], response: { status: 200, body: { response_token: 'sha256=jbXKbME72EP4whP7Jiwf8KJkZpedcmIvi6wGXiUuI/w=' } } });
  });

  it('registers its webhook, receives signed deliveries, and rejects a tampered body with 403 and nothing stored', async () => {
    const { make } = await setup();
    const store = memoryStore();
    const memory = store.state;
    const probe = make({ mode: 'webhook' });
    const url = await serve(probe, store);
    const connector = make({ mode: 'webhook', webhookUrl: url });
    await run(connector, store);
    await waitFor(() => fake.listSubscriptions().length === 4 && fake.listSubscriptions().every((s) => s.webhook_id), 5_000, 'subscribed with webhook');
    expect(fake.listWebhooks()).toEqual([expect.objectContaining({ url, valid: true })]);

    const dm = fake.userSendsDm(customer(3), 'via webhook');
    await waitFor(() => memory.events.some((e) => e.externalId === dm.id), 5_000, 'delivered');

    const body = (await waitFor(() => fake.deliveries.at(-1), 5_000, 'delivery recorded')).body;
    const tampered = Buffer.from(body.replace('via webhook', 'via webhook, tampered'));
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': xWebhookSignature(APP.consumerSecret, body) }, body: tampered });
    expect(refused.status).toBe(403);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    expect(memory.events.filter((e) => e.text.includes('tampered'))).toEqual([]);
    // The reconciliation poll may hand the same DM over again; the core stores it once (by externalId).
    expect(memory.events.filter((e) => e.externalId === dm.id).every((e) => e.text === 'via webhook')).toBe(true);
  });
});

describe('replies, refusals and hiding', () => {
  it('replies under a mention; a duplicate and an unsummoned reply end with X’s reason', async () => {
    const { make, usage } = await setup();
    const connector = make();
    await connector.connect();
    const mention = fake.userMentions(customer(1), 'help please');
    const thread = { connectorId: 'x-test', externalThreadId: `${mention.conversation_id}:${mention.author_id}`, channelId: mention.conversation_id };
    const sent = await connector.send({ ...thread, text: 'We are on it.', replyToExternalId: mention.id, idempotencyKey: 'a' });
    expect(fake.post(sent.externalId)).toMatchObject({ referenced_tweets: [{ type: 'replied_to', id: mention.id }] });
    expect(usage.find((u) => u.endpoint === 'tweets:create')).toMatchObject({ requests: 1, costUsd: 0.01 });

    const duplicate = connector.send({ ...thread, text: 'We are on it.', replyToExternalId: mention.id, idempotencyKey: 'b' });
    await expect(duplicate).rejects.toBeInstanceOf(InvalidError);
    await expect(duplicate).rejects.toThrow(X_REFUSALS.duplicate);

    const root = fake.botPosts('Update: all systems normal.');
    const implicit = fake.userReplies(customer(2), root.id, 'not for me');
    const refused = connector.send({ connectorId: 'x-test', externalThreadId: `${root.id}:${implicit.author_id}`, channelId: root.id, text: 'Sorry to hear that', replyToExternalId: implicit.id, idempotencyKey: 'c' });
    await expect(refused).rejects.toBeInstanceOf(PermissionError);
    await expect(refused).rejects.toThrow(/direct message/);
  });

  it('hides a reply under its own post, and says not_allowed for a mention elsewhere', async () => {
    const { make } = await setup();
    const connector = make();
    await connector.connect();
    const root = fake.botPosts('Ask us here');
    const reply = fake.userReplies(customer(1), root.id, 'my seed is ...');
    expect(await connector.removePublic({ externalId: reply.id, externalThreadId: `${root.id}:${reply.author_id}`, channelId: root.id })).toBe('hidden');
    expect(fake.post(reply.id)?.hidden).toBe(true);
    const mention = fake.userMentions(customer(2), 'my seed is ...');
    expect(await connector.removePublic({ externalId: mention.id, externalThreadId: `${mention.id}:${mention.author_id}`, channelId: mention.id })).toBe('not_allowed');
  });

  it('sends DMs in private threads and for the guard', async () => {
    const { make } = await setup();
    const connector = make();
    await connector.connect();
    const c = customer(4);
    fake.userSendsDm(c, 'hi');
    const sent = await connector.send({ connectorId: 'x-test', externalThreadId: `dm:${BOT.id}-${c.id}`, channelId: c.id, text: 'Hello, how can we help?', idempotencyKey: 'd' });
    expect(fake.botDms().map((d) => d.id)).toEqual([sent.externalId]);
    fake.addUser({ ...customer(5), dmOpen: false });
    await expect(connector.openDirect({ id: customer(5).id }, 'About your post')).rejects.toBeInstanceOf(PermissionError);
  });

  it('reports wrong credentials as an AuthError naming what to check', async () => {
    const { make } = await setup();
    await expect(make({ accessSecret: 'wrong-secret-0000' }).connect()).rejects.toThrow(/access token/);
  });
});
