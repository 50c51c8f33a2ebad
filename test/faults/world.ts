// One fault-injection world per test file: its own PostgreSQL cluster and redis-server, the Telegram fake, and
// the inbox as a child process with a Telegram connector polling the fake.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelegramFake } from '../../connectors/telegram/fake-server.ts';
import { eventually } from '../support/inbox.ts';
import { freePort, InboxProcess, inboxEnv, PgCluster, postgresBinDir, RedisServer } from './support.ts';

export const BOT = { token: '5550301:TEST_token_for_the_fake_000000301', id: 5550301, username: 'faults_bot' };

export interface World {
  cluster: PgCluster;
  redis: RedisServer;
  fake: TelegramFake;
  inbox: InboxProcess;
  /** Inbound texts stored, with how many rows each. */
  storedTexts(): Promise<Map<string, number>>;
  /** The outbound replies of the conversation with the customer `userId`, oldest first. */
  replies(userId: number): Promise<Array<{ text: string; deliveryStatus: string; deliveryError: string | null }>>;
  /** Texts the bot sent into chat `chatId`, in the order Telegram received them. */
  delivered(chatId: number): string[];
  /** The conversation id of the customer `userId` (once stored). */
  conversationOf(userId: number): Promise<string>;
  stop(): Promise<void>;
}

/** True when this machine can host the suite (PostgreSQL server binaries; redis-server is assumed, as for `npm start`). */
export const canRun = postgresBinDir() !== null;

export async function startWorld(): Promise<World> {
  const cluster = await PgCluster.create(postgresBinDir()!);
  const redis = await RedisServer.create();
  const fake = new TelegramFake({ bots: [BOT], pollHoldMs: 300 });
  await fake.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'inbox-faults-data-'));
  const inbox = new InboxProcess(inboxEnv(cluster, redis, dataDir), await freePort());
  const world: World = {
    cluster,
    redis,
    fake,
    inbox,
    storedTexts: async () => {
      const rows = await cluster.query<{ text: string; n: string }>('inbox', `select text, count(*) as n from "Message" where direction = 'inbound' group by text`);
      return new Map(rows.map((r) => [r.text, Number(r.n)]));
    },
    replies: (userId) =>
      cluster.query('inbox', `select m.text, m."deliveryStatus", m."deliveryError" from "Message" m join "Conversation" c on c.id = m."conversationId"
         where m.direction = 'outbound' and c."externalThreadId" = $1 order by m."createdAt", m.seq`, [`dm:${userId}`]),
    delivered: (chatId) => fake.sentMessages(BOT.token).filter((m) => m.chat.id === chatId).map((m) => m.text ?? ''),
    conversationOf: async (userId) =>
      (await eventually(async () => (await cluster.query<{ id: string }>('inbox', `select id from "Conversation" where "externalThreadId" = $1`, [`dm:${userId}`]))[0], 20_000, `conversation of ${userId}`)).id,
    stop: async () => {
      await inbox.stop();
      await fake.stop();
      await Promise.all([cluster.destroy(), redis.destroy(), rm(dataDir, { recursive: true, force: true })]);
    },
  };
  await inbox.start();
  await inbox.signIn();
  const created = await inbox.api('/api/connectors', {
    platform: 'telegram',
    name: 'Telegram',
    credentials: { botToken: BOT.token },
    settings: { apiRoot: fake.apiRoot, mode: 'polling', pollTimeoutSec: 1 },
  });
  if (created.status !== 201) throw new Error(`connector: ${created.status} ${JSON.stringify(created.body)}`);
  await eventually(() => fake.isPolling(BOT.token), 20_000, 'the connector polling Telegram');
  return world;
}

let nextUser = 930000;
export const newCustomer = (name: string) => ({ id: nextUser++, first_name: name, username: `${name.toLowerCase()}_${nextUser}`, language_code: 'en' });

/** Customers write `count` messages, `perSecond` a second, round-robin; resolves with the texts once all are sent. */
export async function customersWrite(fake: TelegramFake, customers: ReturnType<typeof newCustomer>[], count: number, perSecond: number, tag: string): Promise<string[]> {
  const texts: string[] = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const text = `${tag} message ${i}`;
    fake.userSendsPrivate(BOT.token, customers[i % customers.length]!, text);
    texts.push(text);
  }
  return texts;
}
