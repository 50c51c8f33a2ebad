// Issue 9.3 under concurrency: the halves of a recovery phrase posted in two quick public messages reach two
// pipeline workers at the same moment (production runs several worker processes on one PostgreSQL and Redis;
// here two InboundPipeline instances, each on its own connection pool, as two processes are). Whichever stores
// its half second must still see the other: both parts end masked in storage, both posts are removed, and the
// customer gets one public warning and one private advice. Also: halves stored in the reverse order (what the
// race can produce), an edit that adds the second half, a delivery retried after its batch committed but could
// not hand out the guard's actions, and that edit delivered again.
//
// No connector receives here (no `connectors` role): the posts exist on the Telegram fake, so the guard can
// remove them, and the test hands their updates, through the connector's own normalizer, to the pipelines.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake, type TelegramMessage } from '../connectors/telegram/fake-server.ts';
import { normalizeTelegramUpdate } from '../connectors/telegram/normalize.ts';
import { createSqlPool } from '../src/db/client.ts';
import type { InboundMessage } from '../src/domain/types.ts';
import { createLogger } from '../src/log.ts';
import { InboundPipeline } from '../src/pipeline/index.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

let inbox: TestInbox;
let fake: TelegramFake;
let connectorId: string;
/** A second worker process's pipeline: its own connections, the same database, queues and event bus. */
let otherWorker: InboundPipeline;
let otherSql: pg.Pool;
const BOT = { token: '5580001:RACE_token_for_the_fake_000000000', id: 5580001, username: 'race_test_bot' };

beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api,workers' });
  fake = new TelegramFake({ bots: [BOT] });
  await fake.start();
  const res = await inbox.api('/api/connectors', { token: inbox.adminToken, body: telegramConnector(fake.apiRoot, BOT.token, 'TG race') });
  expect(res.status).toBe(201);
  connectorId = res.body.id;
  otherSql = createSqlPool(inbox.databaseUrl, () => {});
  const { db, events, queues } = inbox.app;
  otherWorker = new InboundPipeline({ db, sql: otherSql, events, actions: queues.actions, log: createLogger('silent') });
});
afterAll(async () => {
  await otherSql?.end();
  await fake?.stop();
  await inbox?.stop();
});

let groups = 0;
/** A moderated group of its own (warnings are paced per chat) and a customer who has a private chat with the bot. */
function scene(handle: string) {
  groups += 1;
  const group = { id: -1005580000000 - groups, title: `Race ${groups}`, type: 'supergroup' as const };
  fake.setBotRights(BOT.token, group.id, { canDeleteMessages: true });
  const user = { id: 680000 + groups, first_name: handle, username: handle, language_code: 'en' };
  fake.userSendsPrivate(BOT.token, user, 'hi');
  const words = generateMnemonic(english).split(' ');
  const now = Math.floor(Date.now() / 1000);
  return {
    group,
    user,
    firstHalf: words.slice(0, 6).join(' '),
    secondHalf: words.slice(6).join(' '),
    /** Posted `secondsEarlier` seconds before the scene's moment (Telegram stamps messages to the second). */
    post: (text: string, secondsEarlier = 0) => fake.userSendsInGroup(BOT.token, group, user, `@${BOT.username} ${text}`, { date: now - secondsEarlier }),
  };
}
/** The event the Telegram connector makes of a message (or of its edit). */
const eventOf = (message: TelegramMessage, edited = false): InboundMessage =>
  normalizeTelegramUpdate({ update_id: 1, ...(edited ? { edited_message: message } : { message }) }, BOT, connectorId)!;

async function inboundOf(handle: string): Promise<any[]> {
  const list = (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items;
  const conversation = list.find((c: any) => c.contact.handle === handle);
  if (!conversation) return [];
  return (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items.filter((m: any) => m.direction === 'inbound');
}

const MASKED = [`@${BOT.username} my recovery phrase is [seed_phrase removed]`, `@${BOT.username} [seed_phrase removed]`];

/** Both parts masked and removed, one warning in the group, one advice in private, the halves stored nowhere. */
async function expectOneIncident(s: ReturnType<typeof scene>, parts: TelegramMessage[]) {
  await eventually(async () => parts.every((p) => fake.isDeleted(s.group.id, p.message_id, BOT.token)), 15_000, 'both parts removed');
  const stored = await inboundOf(s.user.username);
  // Sorted: messages of the same second are listed in the order they were stored.
  expect(stored.map((m) => m.text).sort()).toEqual([...MASKED].sort());
  for (const m of stored) expect(m.findings.map((f: any) => f.type)).toContain('seed_phrase');
  await eventually(async () => {
    const actions = (await inboundOf(s.user.username)).flatMap((m) => m.guardActions ?? []);
    const decided = (kind: string) => actions.filter((a: any) => a.kind === kind && a.status !== 'pending').length;
    return decided('warn') === parts.length && decided('dm') === parts.length;
  }, 15_000, 'warning and advice decided for every part');
  const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === s.group.id);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.text).toMatch(/recovery phrase/i);
  expect(fake.sentMessages(BOT.token).filter((m) => m.chat.id === s.user.id)).toHaveLength(1);
  const dump = await inbox.dumpDatabase();
  expect(dump).not.toContain(s.firstHalf);
  expect(dump).not.toContain(s.secondHalf);
}

describe('a phrase split over two public messages', () => {
  it.each([
    ['a second apart', 1],
    ['in the same second', 0],
  ])('is caught when two workers process the halves, posted %s, at the same moment', async (_, apart) => {
    const s = scene(`race_${apart}`);
    const first = s.post(`my recovery phrase is ${s.firstHalf}`, apart);
    const second = s.post(s.secondHalf);
    await Promise.all([inbox.app.pipeline.process([eventOf(first)]), otherWorker.process([eventOf(second)])]);
    await expectOneIncident(s, [first, second]);
  });

  it.each([
    ['a second apart', 1],
    ['in the same second', 0],
  ])('is caught when the second half, posted %s, is stored before the first (the race can end so)', async (_, apart) => {
    const s = scene(`late_first_${apart}`);
    const first = s.post(`my recovery phrase is ${s.firstHalf}`, apart);
    const second = s.post(s.secondHalf);
    await otherWorker.process([eventOf(second)]);
    await inbox.app.pipeline.process([eventOf(first)]);
    await expectOneIncident(s, [first, second]);
  });

  it('is caught when an edit adds the second half while the first is processed', async () => {
    const s = scene('edit_race');
    const first = s.post(`my recovery phrase is ${s.firstHalf}`, 1);
    const second = s.post('wait, one more thing');
    await inbox.app.pipeline.process([eventOf(second)]);
    const edited = fake.userEdits(BOT.token, s.group.id, second.message_id, `@${BOT.username} ${s.secondHalf}`);
    await Promise.all([inbox.app.pipeline.process([eventOf(first)]), otherWorker.process([eventOf(edited, true)])]);
    await expectOneIncident(s, [first, second]);
  });

  it('is acted on when the delivery is retried after its batch was stored but the actions were not queued', async () => {
    const s = scene('retried');
    const first = s.post(`my recovery phrase is ${s.firstHalf}`, 1);
    const second = s.post(s.secondHalf);
    await inbox.app.pipeline.process([eventOf(first)]);
    // A worker whose Redis is gone once its batch has committed: the delivery fails and is retried elsewhere.
    const unreachable = { addBulk: () => Promise.reject(new Error('Connection is closed.')) } as unknown as Queue;
    const { db, events } = inbox.app;
    const crashing = new InboundPipeline({ db, sql: otherSql, events, actions: unreachable, log: createLogger('silent') });
    await expect(crashing.process([eventOf(second)])).rejects.toThrow('Connection is closed.');
    await otherWorker.process([eventOf(second)]);
    await expectOneIncident(s, [first, second]);
  });

  it('stays masked when the edit that completed it is delivered again', async () => {
    const s = scene('edit_again');
    const first = s.post(`my recovery phrase is ${s.firstHalf}`, 1);
    const second = s.post('wait, one more thing');
    await inbox.app.pipeline.process([eventOf(first), eventOf(second)]);
    const edited = eventOf(fake.userEdits(BOT.token, s.group.id, second.message_id, `@${BOT.username} ${s.secondHalf}`), true);
    await otherWorker.process([edited]);
    await inbox.app.pipeline.process([edited]);
    await expectOneIncident(s, [first, second]);
  });
});
