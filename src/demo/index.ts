// Demo mode: a local Telegram, Discord and X (the same fakes the tests use), connectors pointed at them,
// and customers who write in Chinese and English, privately and in public. A newcomer sees the inbox fill within
// seconds, and sees the guard catch a recovery phrase posted in public.
import { DISCORD_FAKE_DEFAULTS, DiscordFake } from '../../connectors/discord/fake-server.ts';
import { TelegramFake } from '../../connectors/telegram/fake-server.ts';
import { X_FAKE_DEFAULTS, XFake } from '../../connectors/x/fake-server.ts';
import { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import type { Platform } from '../domain/types.ts';
import { detectLanguage } from '../guard/language.ts';
import type { Logger } from '../log.ts';
import { CUSTOMERS, LEAKS, ORDINARY, type DemoCustomer, type Script } from './scripts.ts';

const TELEGRAM_BOT = { token: '7000000001:DEMO_token_for_the_local_fake_only', id: 7000000001, username: 'wallet_help_bot', firstName: 'Wallet Help' };
const TELEGRAM_GROUPS = [
  { id: -1001000000001, title: 'Wallet Community 中文', type: 'supergroup' as const, canDelete: true },
  { id: -1001000000002, title: 'Wallet Community EN', type: 'supergroup' as const, canDelete: false },
];
const DISCORD_SUPPORT = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;

/** The connectors demo mode owns, by name: created on the first demo run, disabled when demo mode is off. */
export const DEMO_CONNECTOR_NAMES = ['Demo Telegram (simulated)', 'Demo Discord (simulated)', 'Demo X (simulated)'] as const;

export interface Demo {
  describe(): string;
  /** The platforms the demo simulates (and `post` accepts), in the order their fakes were started. */
  readonly platforms: readonly Platform[];
  /**
   * Posts `text` as a simulated customer called `name` (one stable customer per name) on a platform fake, in
   * private or in the public group/channel, exactly as the demo's own customers do. Throws DemoUnavailable for
   * a platform the demo does not simulate.
   */
  post(input: { platform: Platform; visibility: Where; text: string; name?: string }): void;
  stop(): Promise<void>;
}

export class DemoUnavailable extends Error {}

type Where = 'private' | 'public';
interface DemoWorld {
  platform: Platform;
  describe: string;
  say(customer: DemoCustomer, text: string, where: Where): void;
  stop(): Promise<void>;
}

const DEFAULT_VISITOR = 'Demo visitor';

/** The simulated customer behind a name: the same name is the same platform user, so its messages thread. */
function visitor(name: string, text: string): DemoCustomer {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) % 1_000_000;
  const slug = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return {
    id: 800_000_000 + hash,
    first_name: name,
    ...(slug ? { username: slug.slice(0, 32) } : {}),
    language_code: detectLanguage(text) === 'zh' ? 'zh-hans' : 'en',
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const lang = (c: DemoCustomer) => (c.language_code === 'en' ? 'en' : 'zh');

/** Points the demo connector for `platform` at a freshly started fake (creating it on first run). */
async function upsertConnector(db: Db, cipher: CredentialCipher, platform: Platform, name: string, credentials: object, settings: object) {
  const existing = await db.connector.findFirst({ where: { name, platform, deletedAt: null } });
  // The fakes start empty on every run, so saved resume state (update offsets, message ids) must start over too.
  if (existing) {
    await db.connector.update({ where: { id: existing.id }, data: { settings, cursor: null, enabled: true, credentials: cipher.encrypt(credentials), configVersion: { increment: 1 } } });
  } else {
    await db.connector.create({ data: { platform, name, credentials: cipher.encrypt(credentials), settings } });
  }
}

async function telegramWorld(db: Db, cipher: CredentialCipher): Promise<DemoWorld> {
  // Telegram numbers each chat's messages from 1; the inbox keeps earlier demo runs' messages, so this run's
  // ids start past any an earlier run can have used: tenths of a second since 2025 (a run would need to post
  // more than ten messages a second in one chat to catch up with the next run's start), within Telegram's int32.
  const firstId = Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100);
  const fake = new TelegramFake({ bots: [TELEGRAM_BOT], pollHoldMs: 1000, firstMessageId: firstId, firstUpdateId: firstId });
  await fake.start();
  for (const g of TELEGRAM_GROUPS) fake.setBotRights(TELEGRAM_BOT.token, g.id, { canDeleteMessages: g.canDelete });
  await upsertConnector(db, cipher, 'telegram', DEMO_CONNECTOR_NAMES[0], { botToken: TELEGRAM_BOT.token }, { apiRoot: fake.apiRoot, mode: 'polling', pollTimeoutSec: 1 });
  return {
    platform: 'telegram',
    describe: `Telegram at ${fake.apiRoot} (bot @${TELEGRAM_BOT.username})`,
    say: (customer, text, where) => {
      if (where === 'private') return void fake.userSendsPrivate(TELEGRAM_BOT.token, customer, text);
      const group = TELEGRAM_GROUPS[lang(customer) === 'zh' ? 0 : 1]!;
      // In a group the bot receives only posts that mention it (README): mention it unless the text already does.
      const mention = `@${TELEGRAM_BOT.username}`;
      const post = text.toLowerCase().includes(mention.toLowerCase()) ? text : `${mention} ${text}`;
      fake.userSendsInGroup(TELEGRAM_BOT.token, { id: group.id, title: group.title, type: group.type }, customer, post);
    },
    stop: () => fake.stop(),
  };
}

async function discordWorld(db: Db, cipher: CredentialCipher): Promise<DemoWorld> {
  const fake = new DiscordFake();
  await fake.start();
  await upsertConnector(db, cipher, 'discord', DEMO_CONNECTOR_NAMES[1], { botToken: DISCORD_FAKE_DEFAULTS.token }, { apiBase: fake.apiBase, supportChannelIds: [DISCORD_SUPPORT] });
  const author = (c: DemoCustomer) => ({ id: String(1_500_000_000_000_000_000n + BigInt(c.id)), username: c.username ?? `user${c.id}`, global_name: c.first_name });
  return {
    platform: 'discord',
    describe: `Discord at ${fake.apiBase} (server "${DISCORD_FAKE_DEFAULTS.guild.name}", #support)`,
    say: (customer, text, where) => {
      if (where === 'private') fake.userSendsDm(author(customer), text);
      else fake.userPosts(DISCORD_SUPPORT, author(customer), text);
    },
    stop: () => fake.stop(),
  };
}

/**
 * X: the wallet's support account posts an announcement; customers mention it, reply under the announcement
 * (typing the @handle, so the account may answer) and write DMs. Stream mode (the X Activity API), so the inbox
 * fills in real time; the fake keeps X's real rate limits.
 */
async function xWorld(db: Db, cipher: CredentialCipher): Promise<DemoWorld> {
  const fake = new XFake();
  await fake.start();
  const { app, bot } = X_FAKE_DEFAULTS;
  await upsertConnector(
    db,
    cipher,
    'x',
    DEMO_CONNECTOR_NAMES[2],
    { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: bot.accessToken, accessSecret: bot.accessSecret, bearerToken: app.bearerToken },
    { apiBase: fake.apiBase, mode: 'stream' },
  );
  const announcements = {
    en: fake.botPosts('Some withdrawals are delayed today. Reply here or DM us and we will look into your case.'),
    zh: fake.botPosts('今天部分提现有延迟。请在此回复或私信我们，我们会逐一处理。'),
  };
  const author = (c: DemoCustomer) => ({ id: String(1_900_000_000_000_000_000n + BigInt(c.id)), username: c.username ?? `user${c.id}`, name: c.first_name });
  return {
    platform: 'x',
    describe: `X at ${fake.apiBase} (@${bot.username}, stream mode)`,
    say: (customer, text, where) => {
      if (where === 'private') return void fake.userSendsDm(author(customer), text);
      if (Math.random() < 0.5) fake.userReplies(author(customer), announcements[lang(customer)].id, text, { explicitMention: true });
      else fake.userMentions(author(customer), text);
    },
    stop: () => fake.stop(),
  };
}

export async function startDemo(deps: { db: Db; appSecret: string; log: Logger }): Promise<Demo> {
  const { db, appSecret, log } = deps;
  const cipher = new CredentialCipher(appSecret);
  const worlds = [await telegramWorld(db, cipher), await discordWorld(db, cipher), await xWorld(db, cipher)];

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      try {
        fn();
      } catch (err) {
        log.debug({ err: String(err) }, 'demo traffic step failed');
      }
    }, ms);
    timers.add(t);
  };
  const play = (script: Script, where: Where, delay: number, world = pick(worlds)) => {
    const customer = pick(CUSTOMERS);
    script(lang(customer)).forEach((line, i) => later(delay + i * 1500, () => world.say(customer, line, where)));
  };

  // A first burst on both platforms, so the inbox is not empty when the page opens, then a steady trickle.
  ORDINARY.slice(0, 6).forEach((s, i) => play(s, i % 2 ? 'public' : 'private', 300 + i * 400, worlds[i % worlds.length]));
  play(LEAKS[0]!, 'public', 2500, worlds[0]);
  const tick = () => {
    const leak = Math.random() < 0.2;
    play(pick(leak ? LEAKS : ORDINARY), Math.random() < 0.6 ? 'private' : 'public', 0);
    later(4000 + Math.random() * 6000, tick);
  };
  later(6000, tick);

  return {
    describe: () => worlds.map((w) => w.describe).join(', '),
    platforms: worlds.map((w) => w.platform),
    post: ({ platform, visibility, text, name }) => {
      const world = worlds.find((w) => w.platform === platform);
      if (!world) throw new DemoUnavailable(`The demo simulates ${worlds.map((w) => w.platform).join(' and ')}, not ${platform}.`);
      world.say(visitor(name ?? DEFAULT_VISITOR, text), text, visibility);
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(worlds.map((w) => w.stop()));
    },
  };
}
