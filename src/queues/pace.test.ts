import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChatPacer } from './pace.ts';

const redis = new Redis(inject('redisUrl'));
const prefix = `test-pace-${process.pid}-${Date.now()}`;
const pacer = new ChatPacer(redis, prefix);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('ChatPacer', () => {
  const chat = (channelId: string, visibility: 'public' | 'private' = 'private') => ({ connectorId: 'c1', channelId, visibility });

  it('grants one send per interval per chat, and chats do not share a pace', async () => {
    const pace = { minIntervalMs: 1000 };
    expect(await pacer.claim(chat('a'), pace, 'm1')).toBe(0);
    const wait = await pacer.claim(chat('a'), pace, 'm2');
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(await pacer.claim(chat('b'), pace, 'm3')).toBe(0);
    expect(await pacer.claim(chat('a'), undefined, 'm4')).toBe(0);
  });

  it('caps sends per minute in public chats only', async () => {
    const pace = { minIntervalMs: 0, publicPerMinute: 3 };
    for (let i = 0; i < 3; i++) expect(await pacer.claim(chat('g', 'public'), pace, `g${i}`)).toBe(0);
    const wait = await pacer.claim(chat('g', 'public'), pace, 'g3');
    expect(wait).toBeGreaterThan(59_000);
    for (let i = 0; i < 5; i++) expect(await pacer.claim(chat('p'), pace, `p${i}`)).toBe(0);
  });

  it('holds a chat for as long as a 429 asked', async () => {
    await pacer.hold(chat('h'), 5000);
    const wait = await pacer.claim(chat('h'), { minIntervalMs: 10 }, 'x');
    expect(wait).toBeGreaterThan(4500);
  });
});
