// PostgreSQL and Redis restarts mid-traffic: the process keeps running, /readyz tells the truth meanwhile, and
// once they are back every message is stored once and every reply sent once, in order (issue 10, reliability
// items 1 and 2, security item 10).
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpRedis } from '../support/redis-dump.ts';
import { eventually } from '../support/inbox.ts';
import { BOT, canRun, customersWrite, newCustomer, startWorld, type World } from './world.ts';

let world: World;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  if (canRun) world = await startWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

/** /readyz answers, polled every 100 ms until stopped. */
function watchReadiness() {
  const seen: Array<{ status: number; missing: string[] }> = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const r = await world.inbox.readyz().catch(() => null);
      if (r) seen.push({ status: r.status, missing: r.body.missing ?? [] });
      await sleep(100);
    }
  })();
  return {
    seen,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

/** Writes five replies into each conversation; returns what each customer should receive, in order. */
async function replyFiveTimes(customers: ReturnType<typeof newCustomer>[], tag: string): Promise<Map<number, string[]>> {
  const conversations = await Promise.all(customers.map((c) => world.conversationOf(c.id)));
  const wanted = new Map(customers.map((c) => [c.id, [1, 2, 3, 4, 5].map((n) => `${tag} reply ${n} to ${c.first_name}`)]));
  for (let n = 0; n < 5; n++) {
    for (const [i, c] of customers.entries()) expect((await world.inbox.api(`/api/conversations/${conversations[i]}/messages`, { text: wanted.get(c.id)![n] })).status).toBe(202);
  }
  return wanted;
}

async function expectAllDelivered(wanted: Map<number, string[]>): Promise<void> {
  await eventually(async () => [...wanted].every(([id, texts]) => world.delivered(id).filter((t) => t.includes(' reply ')).length >= texts.length), 60_000, 'every reply on Telegram');
  for (const [id, texts] of wanted) {
    expect(world.delivered(id).filter((t) => t.includes(' reply '))).toEqual(texts);
    await eventually(async () => (await world.replies(id)).every((r) => r.deliveryStatus === 'sent'), 10_000, 'replies marked sent');
  }
}

async function expectStoredOnce(texts: string[]): Promise<void> {
  await eventually(async () => {
    if (world.inbox.exitCode !== null) return true; // reported below
    const stored = await world.storedTexts();
    return texts.every((t) => stored.has(t));
  }, 60_000, 'every message stored');
  expect(world.inbox.exitCode, `the inbox exited:\n${world.inbox.output.slice(-2000)}`).toBeNull();
  const stored = await world.storedTexts();
  expect(texts.filter((t) => stored.get(t) !== 1)).toEqual([]);
}

describe.skipIf(!canRun)('restarts', () => {
  it('survives a PostgreSQL fast restart while 200 messages and 20 replies flow', async () => {
    const customers = ['Kai', 'Lou', 'Max', 'Nia'].map(newCustomer);
    for (const c of customers) world.fake.userSendsPrivate(BOT.token, c, `first words of ${c.first_name}`);
    const wanted = await replyFiveTimes(customers, 'pg');
    const readiness = watchReadiness();
    const writing = customersWrite(world.fake, customers, 200, 20, 'pg-restart');
    // Three restarts over the ten seconds of traffic: each one cuts every connection, wherever it is.
    for (const at of [1500, 3000, 3000]) {
      await sleep(at);
      await world.cluster.restart();
    }
    const texts = await writing;
    await expectStoredOnce(texts);
    await expectAllDelivered(wanted);
    await readiness.stop();
    expect(world.inbox.exitCode).toBeNull();
    // While it lasted, /readyz said why.
    expect(readiness.seen.filter((r) => r.status !== 200).every((r) => r.missing.includes('postgres'))).toBe(true);
    expect((await world.inbox.readyz()).status).toBe(200);
  }, 120_000);

  it('says 503 naming postgres while the database is down, keeps no customer secret in Redis meanwhile, and resumes', async () => {
    const customer = newCustomer('Ola');
    const phrase = generateMnemonic(english);
    await world.cluster.stop();
    try {
      const down = await eventually(async () => {
        const r = await world.inbox.readyz();
        return r.status === 503 && r.body.missing.includes('postgres') && r.body;
      }, 10_000, '/readyz 503 naming postgres');
      expect(down.postgres).toBe('unavailable');
      world.fake.userSendsPrivate(BOT.token, customer, `outage test, my recovery phrase is ${phrase}`);
      await eventually(() => world.fake.pendingUpdates(BOT.token) === 0, 10_000, 'the update taken from Telegram');
      const dump = await dumpRedis(world.redis.url, '*');
      expect(dump).toContain('inbound');
      expect(dump).not.toContain(phrase.split(' ').slice(0, 4).join(' '));
      expect(dump).not.toContain('outage test');
    } finally {
      await world.cluster.start();
    }
    await eventually(async () => (await world.inbox.readyz()).status === 200, 30_000, '/readyz 200 again');
    await eventually(async () => [...(await world.storedTexts()).keys()].find((t) => t.startsWith('outage test')), 60_000, 'the message stored');
    const stored = [...(await world.storedTexts()).keys()].find((t) => t.startsWith('outage test'))!;
    expect(stored).not.toContain(phrase);
    expect(world.inbox.exitCode).toBeNull();
  }, 120_000);

  it('survives a Redis restart while messages and replies flow', async () => {
    const customers = ['Pia', 'Quin', 'Rae'].map(newCustomer);
    for (const c of customers) world.fake.userSendsPrivate(BOT.token, c, `first words of ${c.first_name}`);
    const wanted = await replyFiveTimes(customers, 'redis');
    const writing = customersWrite(world.fake, customers, 100, 20, 'redis-restart');
    await sleep(1500);
    await world.redis.stop();
    const down = await eventually(async () => {
      const r = await world.inbox.readyz().catch(() => null);
      return r?.status === 503 && r.body.missing.includes('redis');
    }, 10_000, '/readyz 503 naming redis');
    expect(down).toBe(true);
    await sleep(1000);
    await world.redis.start();
    const texts = await writing;
    await expectStoredOnce(texts);
    await expectAllDelivered(wanted);
    expect(world.inbox.exitCode).toBeNull();
    await eventually(async () => (await world.inbox.readyz()).status === 200, 30_000, '/readyz 200 again');
  }, 120_000);
});
