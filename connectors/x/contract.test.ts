// The shared connector contract, run against the X fake with the real twitter-api-v2 client, in polling mode and
// in stream mode (X Activity API).
import { runConnectorContract } from '../testing/contract.ts';
import { X_FAKE_DEFAULTS, XFake, type XEndpoint } from './fake-server.ts';
import { createXConnector, type XMode } from './index.ts';

const APP = X_FAKE_DEFAULTS.app;
const BOT = X_FAKE_DEFAULTS.bot;
const CUSTOMER = { id: '1800000000000000777', username: 'quinn_x', name: 'Quinn' };
/** Generous windows: these tests are about behaviour, not about X's real limits (polling.test.ts covers those). */
const FAST: Partial<Record<XEndpoint, { limit: number; windowSec: number }>> = Object.fromEntries(
  (['users/me', 'mentions', 'dm_events', 'tweets:create', 'tweets:hide', 'dm:send', 'subscriptions', 'stream:connect'] as const).map((e) => [e, { limit: 100_000, windowSec: 60 }]),
);

for (const mode of ['polling', 'stream'] as const satisfies readonly XMode[]) {
  runConnectorContract({
    platform: 'x',
    replaysRecentOnConnect: mode === 'stream',
    async start() {
      const fake = new XFake({ rateLimits: FAST, keepAliveMs: 500 });
      await fake.start();
      const make = (appSecret: string) =>
        createXConnector({
          connectorId: `x-contract-${mode}`,
          appKey: APP.consumerKey,
          appSecret,
          accessToken: BOT.accessToken,
          accessSecret: BOT.accessSecret,
          bearerToken: APP.bearerToken,
          apiBase: fake.apiBase,
          mode,
          pollIntervalMs: 50,
          idlePollIntervalMs: 200,
        });
      // X lets the account hide replies only under its own posts: with "rights", customers post under one.
      let underOwnPost: string | null = null;
      let lastPublic: string | undefined;
      return {
        connector: make(APP.consumerSecret),
        sameConnectorElsewhere: () => make(APP.consumerSecret),
        connectorWithBadCredentials: () => make('not-the-consumer-secret'),
        customerWritesPrivately: async (text) => void fake.userSendsDm(CUSTOMER, text),
        customerMentionsBotInPublic: async (text) => {
          if (underOwnPost) lastPublic = fake.userReplies(CUSTOMER, underOwnPost, text, { explicitMention: true }).id;
          else lastPublic = fake.userMentions(CUSTOMER, text).id;
        },
        // Every edit is a new post id carrying the chain; X announces no deletion by a customer (no customerDeletesLast).
        customerEditsLast: async (text) => {
          lastPublic = fake.userEdits(lastPublic!, text).id;
        },
        // Stream: a reconnect backfills five minutes, so the last event arrives again. Polling never hands back
        // what its cursor has moved past, so there is nothing to redeliver.
        redeliverLast: async () => {
          if (mode === 'stream') fake.dropStreams();
        },
        // Stream: X closes the stream; polling: two polls answered 503.
        dropConnection: async () => {
          if (mode === 'stream') fake.dropStreams();
          else fake.injectFault({ method: 'GET', kind: 'server_error', status: 503, times: 2 });
        },
        botMessages: () => {
          const posts = fake.botTimeline().map((p) => ({ text: p.text, at: BigInt(p.id), replyToExternalId: p.referenced_tweets?.find((r) => r.type === 'replied_to')?.id }));
          // DMs have no reply threading on X: a DM answers the customer's latest DM before it.
          const incoming = fake.dmEvents().filter((d) => d.sender_id !== BOT.id);
          const dms = fake.botDms().map((d) => ({ text: d.text, at: BigInt(d.id), replyToExternalId: incoming.filter((c) => BigInt(c.id) < BigInt(d.id)).at(-1)?.id }));
          return [...posts, ...dms].sort((a, b) => (a.at < b.at ? -1 : 1)).map(({ text, replyToExternalId }) => ({ text, ...(replyToExternalId ? { replyToExternalId } : {}) }));
        },
        failNextSends: (kind, times) =>
          fake.injectFault(kind === 'rate_limit' ? { method: 'POST', kind, resetInSec: 1, times } : { method: 'POST', kind, status: 503, times }),
        setDeleteRights: (allowed) => {
          underOwnPost = allowed ? fake.botPosts(`Status update ${Date.now()}`).id : null;
        },
        publicMessageStillVisible: (id) => {
          const post = fake.post(id);
          return Boolean(post && !post.hidden && !post.deleted);
        },
        stop: () => fake.stop(),
      };
    },
  });
}
