// The connectors role in two "processes" (two supervisors with their own lease owners, in this test process) on
// one database and Redis: one receiver per connector, a clean handover when a process stops, start and stop on
// admin changes, and a holder that finds its lease taken stops receiving.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { createLogger } from '../src/log.ts';
import { Metrics } from '../src/metrics.ts';
import { LeaseManager } from '../src/runtime/lease.ts';
import { ConnectorSupervisor } from '../src/runtime/supervisor.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5550081:LEASES_token_for_the_fake_00000000', id: 5550081, username: 'lease_bot' };

let fake: TelegramFake;
let inbox: TestInbox;
let redis: Redis;
let connectorId: string;
const prefix = `test-leases-${randomBytes(4).toString('hex')}`;
const supervisors: ConnectorSupervisor[] = [];

function connectorsProcess() {
  const leases = new LeaseManager(redis, prefix, { ttlMs: 3_000 });
  const { db, pool, queues, events } = inbox.app;
  const supervisor = new ConnectorSupervisor({ db, pool, queues, events, leases, metrics: new Metrics(redis, prefix), log: createLogger('silent') });
  supervisors.push(supervisor);
  return { supervisor, owner: leases.owner };
}

const holder = () => redis.get(`${prefix}:lease:connector:${connectorId}`);
const health = async () => (await inbox.app.db.connector.findUniqueOrThrow({ where: { id: connectorId } })).healthStatus;
let n = 0;
const customer = () => ({ id: 8_880_000 + ++n, first_name: `L${n}`, username: `lease_cust_${n}`, language_code: 'en' });
const storedTexts = async () => (await inbox.app.db.message.findMany({ where: { connectorId, direction: 'inbound' }, select: { text: true } })).map((m) => m.text);

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 200 });
  await fake.start();
  redis = new Redis(inject('redisUrl'));
  inbox = await startTestInbox({ roles: 'api,workers' }); // the connectors role runs below, twice
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Leased'),
  });
  connectorId = created.body.id;
});

afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.stop()));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await inbox?.stop();
  await fake?.stop();
});

describe('connector leases across processes', () => {
  it('one process receives; when it stops, the other takes over at once and nothing is stored twice', async () => {
    const a = connectorsProcess();
    await a.supervisor.start();
    await eventually(async () => (await holder()) === a.owner && (await health()) === 'connected', 10_000, 'A holds and receives');
    const b = connectorsProcess();
    await b.supervisor.start();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await holder()).toBe(a.owner); // one connector, one receiver

    fake.userSendsPrivate(BOT.token, customer(), 'lease: before the handover');
    await eventually(async () => (await storedTexts()).includes('lease: before the handover'), 10_000, 'stored');

    const stoppedAt = Date.now();
    await a.supervisor.stop(); // clean: cursor flushed, lease released, withdrawn from the live set
    fake.userSendsPrivate(BOT.token, customer(), 'lease: after the handover');
    await eventually(async () => (await holder()) === b.owner, 5_000, 'B holds');
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
    await eventually(async () => (await storedTexts()).includes('lease: after the handover'), 10_000, 'stored by B');
    const texts = await storedTexts();
    expect(texts.filter((t) => t.startsWith('lease:')).sort()).toEqual(['lease: after the handover', 'lease: before the handover']);
  });

  it('stops a connector an admin disables, and starts it again when enabled', async () => {
    connectorsProcess();
    await Promise.all(supervisors.slice(-1).map((s) => s.start()));
    await eventually(async () => (await health()) === 'connected', 10_000, 'connected');
    await inbox.api(`/api/connectors/${connectorId}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: false } });
    await eventually(async () => (await health()) === 'stopped' && (await holder()) === null, 5_000, 'stopped and released');
    fake.userSendsPrivate(BOT.token, customer(), 'lease: while disabled');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await storedTexts()).not.toContain('lease: while disabled');
    await inbox.api(`/api/connectors/${connectorId}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: true } });
    await eventually(async () => (await storedTexts()).includes('lease: while disabled'), 10_000, 'received once enabled again');
  });

  it('a holder that finds its lease taken stops receiving, and its health writes are refused', async () => {
    await eventually(() => holder(), 10_000, 'held');
    // Another process took over while this one was paused: its key and a higher fence in the database.
    const row = await inbox.app.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
    await redis.set(`${prefix}:lease:connector:${connectorId}`, 'elsewhere:1:cafe', 'PX', 4_000);
    await inbox.app.db.connector.update({ where: { id: connectorId }, data: { cursorFence: row.cursorFence + 100, healthStatus: 'connected' } });
    await new Promise((r) => setTimeout(r, 2_000)); // a renewal (every ttl/3) finds the key taken
    fake.userSendsPrivate(BOT.token, customer(), 'lease: while another holds it');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await storedTexts()).not.toContain('lease: while another holds it'); // nobody of ours received it
    expect(await health()).toBe('connected'); // the former holder's 'stopped' was refused

    // The other process dies; one of ours takes the connector back (after the key expires) and catches up.
    await eventually(async () => {
      const now = await holder();
      return now !== null && now !== 'elsewhere:1:cafe';
    }, 15_000, 'taken back');
    await eventually(async () => (await storedTexts()).includes('lease: while another holds it'), 10_000, 'caught up');
    const fence = (await inbox.app.db.connector.findUniqueOrThrow({ where: { id: connectorId } })).cursorFence;
    expect(fence).toBeGreaterThan(row.cursorFence + 100); // the fence counter was raised past the database's
  });
});
