// The connector lease against a real Redis: one holder at a time, rising fencing tokens, renewal, and giving
// the connector up before the lease can expire.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { LeaseManager } from './lease.ts';

let redis: Redis;
let prefix: string;

beforeEach(() => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  prefix = `test-lease-${randomBytes(4).toString('hex')}`;
});

afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LeaseManager', () => {
  it('lets one process hold a connector, with a higher token for every new holder', async () => {
    const a = new LeaseManager(redis, prefix, { ttlMs: 1_000 });
    const b = new LeaseManager(redis, prefix, { ttlMs: 1_000 });
    const first = await a.acquire('c1');
    expect(first?.token).toBe(1);
    expect(await b.acquire('c1')).toBeNull();
    expect((await a.holders(['c1', 'c2'])).get('c1')).toBe(a.owner);
    await first!.release();
    expect(first!.signal.aborted).toBe(true);
    const second = await b.acquire('c1');
    expect(second?.token).toBe(2);
    await second!.release();
  });

  it('keeps a lease alive by renewing it, and a dead holder loses it after the ttl', async () => {
    const a = new LeaseManager(redis, prefix, { ttlMs: 600 });
    const b = new LeaseManager(redis, prefix, { ttlMs: 600 });
    const held = await a.acquire('c1');
    await sleep(1_500); // well past the ttl: renewals kept it
    expect(held!.signal.aborted).toBe(false);
    expect(await b.acquire('c1')).toBeNull();
    await held!.release();

    // A holder that is killed simply stops renewing: simulate with a bare SET as a process would have left it.
    await redis.set(a.leaseKey('c2'), 'dead-process', 'PX', 600);
    expect(await b.acquire('c2')).toBeNull();
    await sleep(700);
    const taken = await b.acquire('c2');
    expect(taken).not.toBeNull();
    await taken!.release();
  });

  it('gives the connector up at once when the lease turns out to be someone else’s', async () => {
    const lost: string[] = [];
    const a = new LeaseManager(redis, prefix, { ttlMs: 600, onLost: (id) => lost.push(id) });
    const held = await a.acquire('c1');
    await redis.set(a.leaseKey('c1'), 'another-process', 'PX', 5_000);
    await sleep(400);
    expect(held!.signal.aborted).toBe(true);
    expect(lost).toEqual(['c1']);
    await held!.release(); // must not delete the other process's lease
    expect(await redis.get(a.leaseKey('c1'))).toBe('another-process');
  });

  it('stops before the lease can expire when Redis stops answering', async () => {
    const isolated = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    isolated.on('error', () => {});
    const a = new LeaseManager(isolated, prefix, { ttlMs: 900 });
    const held = await a.acquire('c1');
    const acquiredAt = Date.now();
    isolated.disconnect(); // from now on no renewal gets through
    await new Promise<void>((resolve) => held!.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(Date.now() - acquiredAt).toBeLessThan(900);
    expect(await redis.pttl(a.leaseKey('c1'))).toBeGreaterThan(0); // still there, and nobody else may take it yet
  });

  it('counts the live connector processes, and a withdrawn one at once', async () => {
    const a = new LeaseManager(redis, prefix, { ttlMs: 1_000 });
    const b = new LeaseManager(redis, prefix, { ttlMs: 1_000 });
    expect(await a.announce()).toBe(1);
    expect(await b.announce()).toBe(2);
    await b.withdraw();
    expect(await a.announce()).toBe(1);
  });

  it('raises the fence counter past a token the database already knows', async () => {
    const a = new LeaseManager(redis, prefix, { ttlMs: 1_000 });
    await a.raiseFence('c1', 41);
    const held = await a.acquire('c1');
    expect(held?.token).toBe(42);
    await held!.release();
  });
});
