// The X fake, driven by the real twitter-api-v2 client through its URL-rewrite plugin hooks: if twitter-api-v2 is
// happy with it, the connector's tests against it mean something.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiRequestError, ApiResponseError, ETwitterStreamEvent, TwitterApi } from 'twitter-api-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { X_FAKE_DEFAULTS, X_REFUSALS, XFake, xCrcResponseToken, xFakePlugin, xWebhookSignature, type XActivityEnvelope } from './fake-server.ts';

const ALICE = { id: '1800000000000000001', username: 'alice_w', name: 'Alice' };
const BOB = { id: '1800000000000000002', username: 'bob_b' };
const BOT = X_FAKE_DEFAULTS.bot;
const APP = X_FAKE_DEFAULTS.app;

let fake: XFake;
const cleanups: Array<() => unknown> = [];

const userClient = (secret: string = APP.consumerSecret) =>
  new TwitterApi(
    { appKey: APP.consumerKey, appSecret: secret, accessToken: BOT.accessToken, accessSecret: BOT.accessSecret },
    { httpAgent: new Agent(), plugins: [xFakePlugin(fake.apiBase)] },
  );
const appClient = (token: string = APP.bearerToken) => new TwitterApi(token, { httpAgent: new Agent(), plugins: [xFakePlugin(fake.apiBase)] });

async function failure(p: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiResponseError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  fake = new XFake({ keepAliveMs: 200, allowHttpWebhooks: true, webhookRetryMs: 50 });
  await fake.start();
});

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await fake.stop();
});

describe('OAuth 1.0a and Bearer', () => {
  it('accepts a correct user-context signature and answers users/me', async () => {
    const me = await userClient().v2.me();
    expect(me.data).toEqual({ id: BOT.id, name: BOT.name, username: BOT.username });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/2/users/me', auth: 'user', status: 200 });
  });

  it('rejects a signature made with the wrong consumer secret (401, isAuthError)', async () => {
    const err = await failure(userClient('not-the-secret').v2.me());
    expect(err.code).toBe(401);
    expect(err.isAuthError).toBe(true);
    expect(err.data).toMatchObject({ title: 'Unauthorized', status: 401 });
  });

  it('verifies signatures that cover the query string (a tampered since_id fails)', async () => {
    fake.userMentions(ALICE, 'hello');
    const client = new TwitterApi(
      { appKey: APP.consumerKey, appSecret: APP.consumerSecret, accessToken: BOT.accessToken, accessSecret: BOT.accessSecret },
      {
        httpAgent: new Agent(),
        plugins: [
          xFakePlugin(fake.apiBase),
          // Rewrites the URL after signing, as a man in the middle would.
          { onBeforeRequest: ({ computedParams }) => void computedParams.url.searchParams.set('since_id', '1') },
        ],
      },
    );
    expect((await failure(client.v2.userMentionTimeline(BOT.id, { since_id: '5' }))).code).toBe(401);
  });

  it('answers an app-only Bearer on mentions but refuses it where user context is required', async () => {
    await appClient().v2.userMentionTimeline(BOT.id);
    const err = await failure(appClient().v2.me());
    expect(err.code).toBe(403);
    expect(err.data.type).toBe('https://api.x.com/2/problems/unsupported-authentication');
    expect((await failure(appClient('wrong').v2.userMentionTimeline(BOT.id))).code).toBe(401);
  });
});

describe('mentions timeline', () => {
  it('pages newest first with next_token, includes authors and honours since_id', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => fake.userMentions(i % 2 ? ALICE : BOB, `help #${i}`).id);
    const client = userClient();
    const first = await client.v2.get(`users/${BOT.id}/mentions`, { max_results: 10, 'tweet.fields': 'created_at,author_id,conversation_id', expansions: 'author_id' });
    expect(first.data.map((t: { id: string }) => t.id)).toEqual(ids.slice(-10).reverse());
    expect(first.meta).toMatchObject({ result_count: 10, newest_id: ids[22], oldest_id: ids[13] });
    expect(first.meta.next_token).toEqual(expect.any(String));
    expect(first.includes.users).toEqual(expect.arrayContaining([{ id: ALICE.id, name: 'Alice', username: ALICE.username }]));
    expect(first.data[0]).toMatchObject({ author_id: expect.any(String), conversation_id: ids[22], edit_history_tweet_ids: [ids[22]], created_at: expect.any(String) });

    // The library's own paginator follows every page and stops where next_token is left out.
    const all = await client.v2.userMentionTimeline(BOT.id, { max_results: 10 });
    await all.fetchLast(100);
    expect(all.tweets.map((t) => t.id)).toEqual([...ids].reverse());
    expect(all.rateLimit).toMatchObject({ limit: 300, remaining: expect.any(Number), reset: expect.any(Number) });

    const newer = await client.v2.userMentionTimeline(BOT.id, { since_id: ids[20] });
    expect(newer.tweets.map((t) => t.id)).toEqual([ids[22], ids[21]]);
    const none = await client.v2.get(`users/${BOT.id}/mentions`, { since_id: ids[22] });
    expect(none).toEqual({ meta: { result_count: 0 } });
  });

  it('lists a reply under the bot’s post as a mention, and an edit as a new id carrying its history', async () => {
    const root = fake.botPosts('We are investigating delayed withdrawals.');
    const reply = fake.userReplies(ALICE, root.id, 'mine too');
    expect(reply).toMatchObject({ in_reply_to_user_id: BOT.id, conversation_id: root.id, referenced_tweets: [{ type: 'replied_to', id: root.id }] });
    expect(reply.text).toBe(`@${BOT.username} mine too`);
    const original = fake.userMentions(BOB, 'my deposit is late');
    const edited = fake.userEdits(original.id, 'my deposit of 50 USDT is late');
    const page = await userClient().v2.userMentionTimeline(BOT.id);
    expect(page.tweets.map((t) => t.id)).toEqual([edited.id, reply.id]);
    expect(page.tweets[0]!.edit_history_tweet_ids).toEqual([original.id, edited.id]);
  });

  it('refuses a bad max_results with problem JSON naming the parameter', async () => {
    const err = await failure(userClient().v2.get(`users/${BOT.id}/mentions`, { max_results: 500 }));
    expect(err.code).toBe(400);
    expect(err.data).toMatchObject({ title: 'Invalid Request', type: 'https://api.x.com/2/problems/invalid-request', errors: [{ parameters: { max_results: ['500'] } }] });
  });
});

describe('direct messages', () => {
  it('lists DM events newest first with the conversation id of the pair, paged', async () => {
    const sent = [fake.userSendsDm(ALICE, 'first'), fake.userSendsDm(BOB, 'second'), fake.userSendsDm(ALICE, 'third')];
    const page = await userClient().v2.get('dm_events', { max_results: 2, 'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id', expansions: 'sender_id' });
    expect(page.data.map((d: { text: string }) => d.text)).toEqual(['third', 'second']);
    expect(page.data[0]).toMatchObject({ event_type: 'MessageCreate', sender_id: ALICE.id, dm_conversation_id: `${BOT.id}-${ALICE.id}` });
    const rest = await userClient().v2.get('dm_events', { max_results: 2, pagination_token: page.meta.next_token });
    expect(rest.data.map((d: { id: string }) => d.id)).toEqual([sent[0]!.id]);
    expect(rest.meta.next_token).toBeUndefined();
  });

  it('sends a DM to a participant; the sent message shows up in dm_events', async () => {
    fake.userSendsDm(ALICE, 'hello?');
    const result = (await userClient().v2.sendDmToParticipant(ALICE.id, { text: 'How can we help?' })) as unknown as { data: { dm_event_id: string; dm_conversation_id: string } };
    expect(result.data.dm_conversation_id).toBe(`${BOT.id}-${ALICE.id}`);
    const events = await userClient().v2.listDmEvents();
    expect(events.events[0]).toMatchObject({ id: result.data.dm_event_id, text: 'How can we help?', sender_id: BOT.id });
  });

  it('refuses a first DM to a customer who does not accept DMs', async () => {
    fake.addUser({ ...BOB, dmOpen: false });
    const err = await failure(userClient().v2.sendDmToParticipant(BOB.id, { text: 'hi' }));
    expect(err.code).toBe(403);
    expect(err.data.detail).toBe(X_REFUSALS.dmNotAllowed);
  });
});

describe('posting, replies and hiding', () => {
  it('replies where the customer summoned the bot, and refuses duplicates and unsummoned replies', async () => {
    const mention = fake.userMentions(ALICE, 'please help');
    const client = userClient();
    const reply = await client.v2.reply('We are on it.', mention.id);
    expect(reply.data).toEqual({ id: expect.any(String), text: 'We are on it.', edit_history_tweet_ids: [reply.data.id] });
    expect(fake.post(reply.data.id)).toMatchObject({ author_id: BOT.id, in_reply_to_user_id: ALICE.id, conversation_id: mention.id });

    const duplicate = await failure(client.v2.reply('We are on it.', mention.id));
    expect(duplicate.code).toBe(403);
    expect(duplicate.data).toMatchObject({ title: 'Forbidden', detail: X_REFUSALS.duplicate });

    // A reply under our post carries our handle only as X's reply prefix: it did not summon us.
    const root = fake.botPosts('Maintenance tonight.');
    const implicit = fake.userReplies(BOB, root.id, 'is it over?');
    expect((await failure(client.v2.reply('Yes, done.', implicit.id))).data.detail).toBe(X_REFUSALS.replyNotAllowed);
    const explicit = fake.userReplies(BOB, root.id, 'still broken', { explicitMention: true });
    await client.v2.reply('Looking into it.', explicit.id);
  });

  it('hides a reply under the bot’s own post, and refuses to hide a mention elsewhere', async () => {
    const root = fake.botPosts('Ask us anything.');
    const reply = fake.userReplies(ALICE, root.id, 'here is my seed');
    expect((await userClient().v2.hideReply(reply.id, true)).data).toEqual({ hidden: true });
    expect(fake.post(reply.id)?.hidden).toBe(true);

    const mention = fake.userMentions(BOB, 'standalone');
    const err = await failure(userClient().v2.hideReply(mention.id, true));
    expect(err.code).toBe(403);
    expect(err.data.detail).toBe(X_REFUSALS.hideNotAllowed);
  });
});

describe('rate limits and faults', () => {
  it('sends x-rate-limit-* headers and a 429 once the window is spent', async () => {
    fake.setRateLimit('mentions', { limit: 2, windowSec: 60 });
    const client = userClient();
    const first = await client.v2.get(`users/${BOT.id}/mentions`, {}, { fullResponse: true });
    expect(first.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
    await client.v2.get(`users/${BOT.id}/mentions`);
    const err = await failure(client.v2.get(`users/${BOT.id}/mentions`));
    expect(err.code).toBe(429);
    expect(err.rateLimitError).toBe(true);
    expect(err.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    expect(err.rateLimit!.reset * 1000).toBeGreaterThan(Date.now() + 50_000);
    expect(err.data).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    // Windows are per endpoint.
    await client.v2.me();
  });

  it('injects 5xx answers and cut connections, with or without the work done', async () => {
    const mention = fake.userMentions(ALICE, 'anyone?');
    fake.injectFault({ method: 'POST', pathPrefix: '/2/tweets', kind: 'server_error', status: 503 });
    expect((await failure(userClient().v2.reply('one', mention.id))).code).toBe(503);
    expect(fake.botTimeline()).toHaveLength(0);

    fake.injectFault({ method: 'POST', pathPrefix: '/2/tweets', kind: 'reset', afterEffect: true });
    await expect(userClient().v2.reply('two', mention.id)).rejects.toBeInstanceOf(ApiRequestError);
    expect(fake.botTimeline().map((p) => p.text)).toEqual(['two']);
  });
});

describe('X Activity API', () => {
  async function subscribe(eventType: string, extra: Record<string, unknown> = {}) {
    return userClient().v2.post('activity/subscriptions', { event_type: eventType, filter: { user_id: BOT.id }, tag: 'inbox', ...extra });
  }

  it('manages subscriptions with the auth X requires for each route', async () => {
    const created = await subscribe('post.mention.create');
    expect(created).toMatchObject({ data: { subscription: { subscription_id: expect.any(String), event_type: 'post.mention.create', filter: { user_id: BOT.id }, tag: 'inbox' } }, meta: { total_subscriptions: 1 } });
    // Private events need the monitored user's token; an app Bearer is refused.
    expect((await failure(appClient().v2.post('activity/subscriptions', { event_type: 'dm.received', filter: { user_id: BOT.id } }))).code).toBe(403);
    const listed = await appClient().v2.get('activity/subscriptions', { max_results: 100 });
    expect(listed.data).toHaveLength(1);
    const id = created.data.subscription.subscription_id;
    // PUT and DELETE are Bearer-only.
    expect((await failure(userClient().v2.delete(`activity/subscriptions/${id}`))).code).toBe(403);
    await subscribe('dm.received');
    const both = await appClient().v2.delete('activity/subscriptions', { ids: [id, '999'] });
    expect(both).toMatchObject({ data: [{ subscription_id: id, deleted: true }], errors: [{ subscription_id: '999', reason: 'NotFound' }], meta: { total_subscriptions: 1 } });
  });

  it('streams events as \\r\\n-framed lines with keep-alives, and backfills on reconnect', async () => {
    await subscribe('post.mention.create');
    await subscribe('dm.received');
    await subscribe('post.reply.create');
    const stream = appClient().v2.getStream<XActivityEnvelope>('activity/stream', { backfill_minutes: 5 }, { autoConnect: false, payloadIsError: (p) => 'errors' in p && !('data' in p) });
    const events: XActivityEnvelope[] = [];
    let keepAlives = 0;
    stream.on(ETwitterStreamEvent.Data, (e: XActivityEnvelope) => events.push(e));
    stream.on(ETwitterStreamEvent.DataKeepAlive, () => keepAlives++);
    await stream.connect({ autoReconnect: false });
    cleanups.push(() => stream.destroy());

    const mention = fake.userMentions(ALICE, 'stream hello');
    fake.userSendsDm(BOB, 'private hi');
    const root = fake.botPosts('Announcement');
    fake.userReplies(ALICE, root.id, 'reply under announcement');
    await waitUntil(() => events.length >= 3 && keepAlives >= 1);
    expect(events.map((e) => e.data.event_type)).toEqual(['post.mention.create', 'dm.received', 'post.reply.create']);
    expect(events[0]!.data).toMatchObject({ filter: { user_id: BOT.id }, tag: 'inbox', payload: { id: mention.id, text: mention.text, edit_history_tweet_ids: [mention.id] }, includes: { users: [{ id: ALICE.id }] } });
    expect(events[0]!.data.event_uuid).toMatch(/^-?\d+$/);
    expect(events[1]!.data.payload).toMatchObject({
      direct_message_events: [{ type: 'message_create', message_create: { sender_id: BOB.id, target: { recipient_id: BOT.id }, message_data: { text: 'private hi' } } }],
      users: { [BOB.id]: { data: { id: BOB.id, username: BOB.username } } },
    });
    expect(events[2]!.data.payload).toMatchObject({ in_reply_to_tweet_id: root.id, conversation_id: root.id });

    // Dropped; a new connection with backfill_minutes=5 gets the last five minutes again (same event_uuids).
    const closed = once(stream, ETwitterStreamEvent.ConnectionClosed);
    fake.dropStreams({ withErrorLine: true });
    await closed;
    const again: XActivityEnvelope[] = [];
    const second = appClient().v2.getStream<XActivityEnvelope>('activity/stream', { backfill_minutes: 5 }, { autoConnect: false });
    second.on(ETwitterStreamEvent.Data, (e: XActivityEnvelope) => again.push(e));
    await second.connect({ autoReconnect: false });
    cleanups.push(() => second.destroy());
    await waitUntil(() => again.length >= 3);
    expect(again.map((e) => e.data.event_uuid)).toEqual(events.map((e) => e.data.event_uuid));
  });

  it('fires a second mention event for an edit (new id, two-element history); no event for an implicit reply-mention', async () => {
    await subscribe('post.mention.create');
    const stream = appClient().v2.getStream<XActivityEnvelope>('activity/stream', {}, { autoConnect: false });
    const events: XActivityEnvelope[] = [];
    stream.on(ETwitterStreamEvent.Data, (e: XActivityEnvelope) => events.push(e));
    await stream.connect({ autoReconnect: false });
    cleanups.push(() => stream.destroy());
    const root = fake.userMentions(ALICE, 'typo here');
    fake.userReplies(BOB, root.id, 'replying in the thread'); // implicit: no post.mention.create
    const edited = fake.userEdits(root.id, 'no typo here');
    await waitUntil(() => events.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(events.map((e) => (e.data.payload as { id: string; edit_history_tweet_ids: string[] }).edit_history_tweet_ids)).toEqual([[root.id], [root.id, edited.id]]);
  });

  it('refuses a third stream connection (2 per app) and stream access without the app Bearer', async () => {
    const open = [];
    for (let i = 0; i < 2; i++) {
      const s = appClient().v2.getStream('activity/stream', {}, { autoConnect: false });
      await s.connect({ autoReconnect: false });
      cleanups.push(() => s.destroy());
      open.push(s);
    }
    const third = appClient().v2.getStream('activity/stream', {}, { autoConnect: false });
    await expect(third.connect({ autoReconnect: false })).rejects.toMatchObject({ code: 429, data: { connection_issue: 'TooManyConnections' } });
    const user = userClient().v2.getStream('activity/stream', {}, { autoConnect: false });
    await expect(user.connect({ autoReconnect: false })).rejects.toMatchObject({ code: 403 });
  });
});

describe('V2 webhooks', () => {
  async function receiver(answerCrc: boolean) {
    const received: Array<{ body: Buffer; signature: string | undefined }> = [];
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'GET') {
          const token = url.searchParams.get('crc_token') ?? '';
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ response_token: answerCrc ? xCrcResponseToken(APP.consumerSecret, token) : 'sha256=wrong' }));
        }
        received.push({ body: Buffer.concat(chunks), signature: req.headers['x-twitter-webhooks-signature'] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/abc`, received };
  }

  it('registers a webhook only after a correct CRC answer and delivers signed events to it', async () => {
    const bad = await receiver(false);
    const refused = await failure(appClient().v2.post('webhooks', { url: bad.url }));
    expect(refused.code).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('CrcValidationFailed');

    const good = await receiver(true);
    const hook = await appClient().v2.post('webhooks', { url: good.url });
    expect(hook.data).toMatchObject({ id: expect.any(String), url: good.url, valid: true });
    expect((await appClient().v2.put(`webhooks/${hook.data.id}`)).data).toEqual({ valid: true });
    await userClient().v2.post('activity/subscriptions', { event_type: 'dm.received', filter: { user_id: BOT.id }, webhook_id: hook.data.id });
    fake.userSendsDm(ALICE, 'via webhook');
    await waitUntil(() => good.received.length === 1);
    const { body, signature } = good.received[0]!;
    expect(signature).toBe(`sha256=${createHmac('sha256', APP.consumerSecret).update(body).digest('base64')}`);
    expect(signature).toBe(xWebhookSignature(APP.consumerSecret, body));
    expect(JSON.parse(body.toString()).data.event_type).toBe('dm.received');
  });

  it('refuses plain-http URLs unless allowed (X wants https without a port)', async () => {
    const strict = new XFake();
    await strict.start();
    cleanups.push(() => strict.stop());
    const client = new TwitterApi(APP.bearerToken, { httpAgent: new Agent(), plugins: [xFakePlugin(strict.apiBase)] });
    const err = await failure(client.v2.post('webhooks', { url: 'http://127.0.0.1:9/hook' }));
    expect(JSON.stringify(err.data)).toContain('UrlValidationFailed');
  });
});

describe('crypto helpers', () => {
  it('computes the CRC response token of a known vector (checked with openssl)', () => {
    // printf '%s' challenge_string | openssl dgst -sha256 -hmac consumer_secret_example -binary | base64
    expect(xCrcResponseToken('consumer_secret_example', 'challenge_string')).toBe('sha256=jbXKbME72EP4whP7Jiwf8KJkZpedcmIvi6wGXiUuI/w=');
  });
});

async function waitUntil(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
