// The platforms bench:ingest can drive: each starts its fake and plays customers at it.
import type { App } from '../src/app.ts';
import type { Db } from '../src/db/client.ts';
import type { Platform } from '../src/domain/types.ts';
import { DISCORD_FAKE_DEFAULTS, DiscordFake } from '../connectors/discord/fake-server.ts';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { X_FAKE_DEFAULTS, XFake } from '../connectors/x/fake-server.ts';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export interface BenchPlatform {
  name: Platform;
  /** How the connector receives, when the platform has several ways. */
  mode?: string;
  /** Defaults for --count, --rate and --leaks that the platform's real limits allow. */
  defaults?: { count?: number; rate?: number; leaks?: number };
  credentials: unknown;
  settings: unknown;
  waitConnected(db: Db): Promise<void>;
  /** Posts an ordinary customer message; returns its externalId as the connector will name it. */
  customerMessage(i: number): string;
  /** Posts a recovery phrase in public; returns its externalId. */
  publicLeak(i: number): string;
  /** When (Date.now()) the guard's public warning for each leak reached the platform. */
  warningsPostedAt(externalIds: string[]): Map<string, number>;
  /** Extra lines for the report (requests spent, estimated cost), once the run is over. */
  report?(app: App, stored: number): Promise<string[]>;
  stop(): Promise<void>;
}

async function waitConnected(db: Db) {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const c = await db.connector.findFirst({ select: { healthStatus: true } });
    if (c?.healthStatus === 'connected') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the connector did not connect');
}

async function telegram(): Promise<BenchPlatform> {
  const bot = { token: '6660001:BENCH_token_for_the_local_fake_00', id: 6660001, username: 'bench_bot' };
  const fake = new TelegramFake({ bots: [bot], pollHoldMs: 50 });
  await fake.start();
  const group = { id: -1006660000001, title: 'Bench group', type: 'supergroup' as const };
  fake.setBotRights(bot.token, group.id, { canDeleteMessages: true });
  const texts = ['My deposit has not arrived yet, tx pending for 2 hours', '提现一直在处理中，请帮我看看', 'How do I enable 2FA?', '充值500 USDT还没到账'];
  return {
    name: 'telegram',
    credentials: { botToken: bot.token },
    settings: { apiRoot: fake.apiRoot, mode: 'polling', pollTimeoutSec: 1 },
    waitConnected,
    customerMessage: (i) => {
      const user = { id: 100000 + (i % 5000), first_name: `Customer ${i % 5000}`, language_code: i % 2 ? 'en' : 'zh-hans' };
      const m = fake.userSendsPrivate(bot.token, user, `${texts[i % texts.length]} (#${i})`);
      return `${m.chat.id}:${m.message_id}`;
    },
    publicLeak: (i) => {
      const user = { id: 900000 + i, first_name: `Leaky ${i}`, language_code: 'en' };
      const m = fake.userSendsInGroup(bot.token, group, user, `@${bot.username} my wallet is broken, recovery phrase: ${generateMnemonic(wordlist)}`);
      return `${m.chat.id}:${m.message_id}`;
    },
    warningsPostedAt: (ids) => {
      const wanted = new Set(ids);
      const posted = new Map<string, number>();
      for (const r of fake.requests) {
        const body = r.body as { chat_id?: number | string; reply_parameters?: { message_id?: number } };
        const replyTo = `${body.chat_id}:${body.reply_parameters?.message_id}`;
        if (r.method === 'sendMessage' && wanted.has(replyTo) && !posted.has(replyTo)) posted.set(replyTo, r.at);
      }
      return posted;
    },
    stop: () => fake.stop(),
  };
}

/**
 * Discord. `--mode support` (the default): every customer writes in the support channel. `--mode dms`: every
 * other message is a DM instead, from 5,000 customers, so the connector follows thousands of channels.
 */
async function discord({ mode = 'support' }: { mode?: string }): Promise<BenchPlatform> {
  if (!['support', 'dms'].includes(mode)) throw new Error('--mode must be support or dms');
  const fake = new DiscordFake();
  await fake.start();
  const support = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;
  const texts = ['My deposit has not arrived yet, tx pending for 2 hours', '提现一直在处理中，请帮我看看', 'How do I enable 2FA?', '充值500 USDT还没到账'];
  const author = (n: number) => ({ id: String(1_600_000_000_000_000_000n + BigInt(n)), username: `customer${n}` });
  return {
    name: 'discord',
    credentials: { botToken: DISCORD_FAKE_DEFAULTS.token },
    settings: { apiBase: fake.apiBase, supportChannelIds: [support] },
    waitConnected,
    customerMessage: (i) =>
      mode === 'dms' && i % 2 === 1
        ? fake.userSendsDm(author(i % 5000), `${texts[i % texts.length]} (#${i})`).id
        : fake.userPosts(support, author(i % 5000), `${texts[i % texts.length]} (#${i})`).id,
    publicLeak: (i) => fake.userPosts(support, author(900_000 + i), `my wallet is broken, recovery phrase: ${generateMnemonic(wordlist)}`).id,
    warningsPostedAt: (ids) => {
      const wanted = new Set(ids);
      const posted = new Map<string, number>();
      for (const r of fake.requests) {
        const replyTo = (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id;
        if (r.method === 'POST' && replyTo && wanted.has(replyTo) && !posted.has(replyTo)) posted.set(replyTo, r.at);
      }
      return posted;
    },
    stop: () => fake.stop(),
  };
}

/**
 * X with the fake keeping X's real pay-per-use limits (300 mention reads per 15 min, 15 DMs sent per 15 min …).
 * Customers mention the account; leaks are replies under its own post (typing the @handle), which it may hide
 * and answer.
 */
async function x({ mode = 'polling' }: { mode?: string }): Promise<BenchPlatform> {
  if (!['polling', 'stream', 'webhook'].includes(mode)) throw new Error('--mode must be polling, stream or webhook');
  const fake = new XFake({ allowHttpWebhooks: true });
  await fake.start();
  const { app, bot } = X_FAKE_DEFAULTS;
  const root = fake.botPosts('Withdrawals are delayed today; reply here or DM us.');
  const texts = ['my deposit has not arrived yet, tx pending for 2 hours', '提现一直在处理中，请帮我看看', 'how do I enable 2FA?', '充值500 USDT还没到账'];
  const author = (n: number) => ({ id: String(1_750_000_000_000_000_000n + BigInt(n)), username: `cust${n}`, name: `Customer ${n}` });
  let mentions = 0;
  return {
    name: 'x',
    mode,
    // Polling reads 100 mentions per request at most every 3 s (X's 300 per 15 min): about 33 mentions/s.
    // X also lists only the 800 newest mentions, so a faster offered rate loses mentions by X's own design.
    defaults: mode === 'polling' ? { count: 1000, rate: 20, leaks: 5 } : { count: 2000, rate: 200, leaks: 5 },
    credentials: { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: bot.accessToken, accessSecret: bot.accessSecret, bearerToken: app.bearerToken },
    settings: { apiBase: fake.apiBase, mode, pollIntervalMs: 3_000 },
    waitConnected,
    customerMessage: (i) => (mentions++, fake.userMentions(author(i % 5000), `${texts[i % texts.length]} (#${i})`).id),
    publicLeak: (i) => (mentions++, fake.userReplies(author(900_000 + i), root.id, `my wallet is broken, recovery phrase: ${generateMnemonic(wordlist)}`, { explicitMention: true }).id),
    warningsPostedAt: (ids) => {
      const wanted = new Set(ids);
      const posted = new Map<string, number>();
      for (const r of fake.requestsTo('POST', '/2/tweets')) {
        const replyTo = (r.body as { reply?: { in_reply_to_tweet_id?: string } } | undefined)?.reply?.in_reply_to_tweet_id;
        if (r.status === 201 && replyTo && wanted.has(replyTo) && !posted.has(replyTo)) posted.set(replyTo, r.at);
      }
      return posted;
    },
    report: async (inbox, stored) => {
      await inbox.usage.flush();
      const connector = await inbox.db.connector.findFirstOrThrow({ select: { id: true } });
      const usage = (await inbox.usage.summaries([connector.id])).get(connector.id)!;
      const mentionReads = fake.requestsTo('GET', `/2/users/${bot.id}/mentions`).length;
      const per1000 = (n: number) => ((n * 1000) / Math.max(1, mentions)).toFixed(1);
      const statuses = new Map<string, number>();
      for (const d of fake.deliveries) statuses.set(String(d.status), (statuses.get(String(d.status)) ?? 0) + 1);
      const webhookLine = fake.deliveries.length
        ? [`webhook POSTs   ${fake.deliveries.length} (${[...statuses].map(([s, n]) => `${s === 'error' ? 'no answer' : s} ${n}`).join(', ')}; X retries a failed delivery 3 times, then drops it)`]
        : [];
      return [
        ...webhookLine,
        `X requests      ${usage.requests24h} in all (${usage.byEndpoint24h.map((e) => `${e.endpoint} ${e.count}`).join(', ')})`,
        `                ${per1000(mentionReads)} mention-timeline requests per 1,000 mentions (floor: 10 at 100 per page)`,
        `estimated cost  $${usage.estimatedCostUsd24h.toFixed(3)} at pay-per-use prices · $${((usage.estimatedCostUsd24h * 1000) / Math.max(1, stored)).toFixed(3)} per 1,000 customer messages (guard actions included)`,
      ];
    },
    stop: () => fake.stop(),
  };
}

export const benchPlatforms: Record<string, (options: { mode?: string }) => Promise<BenchPlatform>> = { telegram, discord, x };
