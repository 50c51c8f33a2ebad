// A recovery phrase split over a customer's public X posts: every standalone mention is a conversation of its
// own on X, so the halves land in two conversations; the split window reads a customer's public posts on the
// connector together, so both are masked, acted on and warned about once. A DM half and a public half are not
// read together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X_FAKE_DEFAULTS, XFake, type XEndpoint } from '../connectors/x/fake-server.ts';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

const APP = X_FAKE_DEFAULTS.app;
const BOT = X_FAKE_DEFAULTS.bot;
const CREDENTIALS = { appKey: APP.consumerKey, appSecret: APP.consumerSecret, accessToken: BOT.accessToken, accessSecret: BOT.accessSecret, bearerToken: APP.bearerToken };
const FAST = Object.fromEntries(
  (['users/me', 'mentions', 'dm_events', 'tweets:create', 'tweets:hide', 'dm:send', 'subscriptions', 'stream:connect'] as XEndpoint[]).map((e) => [e, { limit: 100_000, windowSec: 60 }]),
);
const FIRST = 'spread mutual identify rent useless fragile';
const REST = 'eight front february egg pilot begin';

let fake: XFake;
let inbox: TestInbox;

const messagesOf = async (id: string): Promise<any[]> => (await inbox.api(`/api/conversations/${id}/messages`)).body.items;
const conversationsWith = async (handle: string, visibility = 'public'): Promise<any[]> =>
  (await inbox.api(`/api/conversations?platform=x&limit=200&visibility=${visibility}`)).body.items.filter((c: any) => c.contact.handle === handle);

beforeAll(async () => {
  fake = new XFake({ rateLimits: FAST, keepAliveMs: 1_000 });
  await fake.start();
  inbox = await startTestInbox();
  await inbox.connect({ platform: 'x', name: 'X split', credentials: CREDENTIALS, settings: { apiBase: fake.apiBase, mode: 'stream' } });
});
afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

describe('a phrase split over two standalone X mentions', () => {
  it('is masked in both conversations, both posts get the guard\'s removal, and one warning goes out', async () => {
    const eve = { id: '1900000000000000101', username: 'eve_x', name: 'Eve' };
    const first = fake.userMentions(eve, `@${BOT.username} ${FIRST}`);
    await eventually(async () => (await conversationsWith('eve_x')).length === 1, 10_000, 'first conversation');
    const second = fake.userMentions(eve, `@${BOT.username} ${REST}`);
    const conversations = await eventually(async () => {
      const list = await conversationsWith('eve_x');
      return list.length === 2 ? list : undefined;
    }, 10_000, 'second conversation');
    const parts = await eventually(async () => {
      const items = (await Promise.all(conversations.map((c) => messagesOf(c.id)))).flat().filter((m) => m.direction === 'inbound');
      return items.length === 2 && items.every((m) => m.findings.some((f: any) => f.type === 'seed_phrase')) ? items : undefined;
    }, 15_000, 'both parts masked');
    expect(parts.map((m) => m.text).sort()).toEqual([`@${BOT.username} [seed_phrase removed]`, `@${BOT.username} [seed_phrase removed]`]);

    // Both posts get the guard's removal (X lets an account hide only replies under its own posts: not_allowed),
    // and one public warning covers both.
    await eventually(async () => {
      const items = (await Promise.all(conversations.map((c) => messagesOf(c.id)))).flat().filter((m) => m.direction === 'inbound');
      const actions = items.flatMap((m) => m.guardActions ?? []);
      const removes = actions.filter((a: any) => a.kind === 'remove' && a.status !== 'pending');
      const warns = actions.filter((a: any) => a.kind === 'warn' && a.status !== 'pending');
      return removes.length === 2 && warns.length === 2;
    }, 15_000, 'removal and warning decided for both parts');
    expect(fake.requestsTo('PUT', '/2/tweets/').map((r) => r.path).sort()).toEqual([`/2/tweets/${first.id}/hidden`, `/2/tweets/${second.id}/hidden`].sort());
    const warnings = fake.botTimeline().filter((p) => [first.id, second.id].includes(p.referenced_tweets?.[0]?.id ?? ''));
    expect(warnings).toHaveLength(1);
    // One incident across the two conversations: one warning decided, one advice sent (not a second warning X refuses).
    const decided = async () => {
      const inbound = (await Promise.all(conversations.map((c) => messagesOf(c.id)))).flat().filter((m) => m.direction === 'inbound');
      return inbound.flatMap((m) => m.guardActions ?? []).filter((a: any) => a.status !== 'pending');
    };
    const actions = await eventually(async () => {
      const all = await decided();
      return all.filter((a: any) => a.kind === 'dm').length === 2 ? all : undefined;
    }, 10_000, 'advice decided');
    expect(actions.filter((a: any) => a.kind === 'warn').map((a: any) => a.status).sort()).toEqual(['done', 'skipped']);
    expect(fake.botDms().filter((d) => d.dm_conversation_id === `${BOT.id}-${eve.id}`)).toHaveLength(1);

    for (const q of ['useless fragile', 'pilot begin']) expect((await inbox.api(`/api/conversations?q=${encodeURIComponent(q)}`)).body.items).toEqual([]);
    const dump = await inbox.dumpDatabase();
    expect(dump).not.toContain(FIRST);
    expect(dump).not.toContain(REST);
  });

  it('is not read across a DM and a public post', async () => {
    const ray = { id: '1900000000000000102', username: 'ray_x', name: 'Ray' };
    fake.userSendsDm(ray, FIRST);
    const [dm] = await eventually(async () => {
      const found = await conversationsWith('ray_x', 'private');
      return found.length === 1 ? found : undefined;
    }, 10_000, 'DM conversation');
    fake.userMentions(ray, `@${BOT.username} ${REST}`);
    const [pub] = await eventually(async () => {
      const found = await conversationsWith('ray_x');
      return found.length === 1 ? found : undefined;
    }, 10_000, 'public conversation');
    await new Promise((r) => setTimeout(r, 500));
    expect((await messagesOf(dm.id)).map((m) => m.text)).toEqual([FIRST]);
    expect((await messagesOf(pub.id)).map((m) => m.text)).toEqual([`@${BOT.username} ${REST}`]);
  });
});
