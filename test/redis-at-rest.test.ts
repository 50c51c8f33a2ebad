// No raw customer text at rest in Redis (issue 10, security item 10): while the database is away, inbound jobs
// wait in Redis for up to a week, and what they hold is sealed with a key derived from APP_SECRET.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';
import { dumpRedis } from './support/redis-dump.ts';

const BOT = { token: '5550201:TEST_token_for_the_fake_000000201', id: 5550201, username: 'rest_bot' };
const customer = { id: 920001, first_name: 'Lena', username: 'lena_r', language_code: 'en' };

let fake: TelegramFake;
let inbox: TestInbox;

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 200 });
  await fake.start();
  inbox = await startTestInbox();
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Telegram'),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

describe('Redis at rest', () => {
  it('holds no secret a customer posted while the database is down, and stores it masked once it is back', async () => {
    const phrase = generateMnemonic(english);
    const card = '4111 1111 1111 1111';
    const marker = 'Flamingo-Quartz-Lantern';
    const sql = new pg.Client({ connectionString: inbox.databaseUrl });
    await sql.connect();
    try {
      // Every batch write now fails, as in an outage; the update is taken from Telegram and waits in Redis.
      await sql.query('alter table "Message" rename to "Message_away"');
      fake.userSendsPrivate(BOT.token, customer, `${marker}: my wallet is empty, recovery phrase ${phrase}, card ${card}`);
      await eventually(() => fake.pendingUpdates(BOT.token) === 0, 10_000, 'update taken from Telegram');
      await new Promise((r) => setTimeout(r, 1000)); // a failed attempt or two

      const prefix = inbox.app.queues.inbound.opts.prefix;
      const dump = await dumpRedis(inject('redisUrl'), `${prefix}:*`);
      expect(dump).toContain(':inbound:'); // the job is there...
      for (const secret of [marker, phrase, phrase.split(' ').slice(0, 3).join(' '), card, card.replace(/ /g, '')]) expect(dump).not.toContain(secret);
    } finally {
      await sql.query('alter table "Message_away" rename to "Message"');
      await sql.end();
    }
    // ...and opens again once the database is back: stored once, masked.
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === customer.username),
      20_000,
      'stored after the outage',
    );
    const [message] = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items;
    expect(message.text).toContain(marker);
    expect(message.text).not.toContain(phrase);
    expect(message.text).not.toContain(card);
  });
});
