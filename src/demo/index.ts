// Demo mode: a local Telegram (the same fake the tests use), a connector pointed at it, and customers who write
// in Chinese and English, privately and in a public group. A newcomer sees the inbox fill within seconds.
import { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { TelegramFake } from '../../connectors/telegram/fake-server.ts';
import { CUSTOMERS, LEAKS, ORDINARY, type DemoCustomer, type Script } from './scripts.ts';

const BOT = { token: '7000000001:DEMO_token_for_the_local_fake_only', id: 7000000001, username: 'wallet_help_bot', firstName: 'Wallet Help' };
const GROUPS = [
  { id: -1001000000001, title: 'Wallet Community 中文', type: 'supergroup' as const, canDelete: true },
  { id: -1001000000002, title: 'Wallet Community EN', type: 'supergroup' as const, canDelete: false },
];
const CONNECTOR_NAME = 'Demo Telegram';

export interface Demo {
  describe(): string;
  stop(): Promise<void>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

export async function startDemo(deps: { db: Db; appSecret: string; log: Logger }): Promise<Demo> {
  const { db, appSecret, log } = deps;
  const fake = new TelegramFake({ bots: [{ token: BOT.token, id: BOT.id, username: BOT.username, firstName: BOT.firstName }], pollHoldMs: 1000 });
  await fake.start();
  for (const g of GROUPS) fake.setBotRights(BOT.token, g.id, { canDeleteMessages: g.canDelete });

  // The fake starts empty on every run, so the connector's saved update offset must start over too.
  const settings = { apiRoot: fake.apiRoot, mode: 'polling', pollTimeoutSec: 1 };
  const existing = await db.connector.findFirst({ where: { name: CONNECTOR_NAME, platform: 'telegram', deletedAt: null } });
  if (existing) {
    await db.connector.update({ where: { id: existing.id }, data: { settings, cursor: null, enabled: true, configVersion: { increment: 1 } } });
  } else {
    await db.connector.create({
      data: { platform: 'telegram', name: CONNECTOR_NAME, credentials: new CredentialCipher(appSecret).encrypt({ botToken: BOT.token }), settings },
    });
  }

  const say = (customer: DemoCustomer, text: string, where: 'dm' | 'group') => {
    const lang = customer.language_code === 'en' ? 'en' : 'zh';
    if (where === 'dm') return fake.userSendsPrivate(BOT.token, customer, text);
    const group = GROUPS[lang === 'zh' ? 0 : 1]!;
    return fake.userSendsInGroup(BOT.token, { id: group.id, title: group.title, type: group.type }, customer, `@${BOT.username} ${text}`);
  };

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

  const play = (script: Script, where: 'dm' | 'group', delay: number) => {
    const customer = pick(CUSTOMERS);
    const lines = script(customer.language_code === 'en' ? 'en' : 'zh');
    lines.forEach((line, i) => later(delay + i * 1500, () => say(customer, line, where)));
  };

  // A first burst, so the inbox is not empty when the page opens, then a steady trickle.
  ORDINARY.slice(0, 4).forEach((s, i) => play(s, i % 2 ? 'group' : 'dm', 300 + i * 400));
  play(LEAKS[0]!, 'group', 2500);
  const tick = () => {
    const leak = Math.random() < 0.2;
    play(pick(leak ? LEAKS : ORDINARY), Math.random() < 0.6 ? 'dm' : 'group', 0);
    later(4000 + Math.random() * 6000, tick);
  };
  later(6000, tick);

  return {
    describe: () => `a local Telegram fake at ${fake.apiRoot} (bot @${BOT.username})`,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await fake.stop();
    },
  };
}
