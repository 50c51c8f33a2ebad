// The core's echo suppression and dedupe in front of the inbound queue.
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../domain/types.ts';
import { InboundGate } from './gate.ts';

const event = (externalId: string, authorId = 'customer', connectorId = 'c1'): InboundMessage => ({
  platform: 'telegram',
  connectorId,
  externalId,
  externalThreadId: 't',
  channelId: 'ch',
  visibility: 'private',
  author: { id: authorId },
  text: `text of ${externalId}`,
  createdAt: new Date(),
});

describe('InboundGate', () => {
  it("drops the bot's own messages and repeats, within a delivery and across deliveries", async () => {
    const queued: string[] = [];
    const gate = new InboundGate(async (events) => void queued.push(...events.map((e) => e.externalId)));
    expect(await gate.pass([event('1'), event('1'), event('2', 'bot')], 'bot')).toBe(1);
    expect(await gate.pass([event('1'), event('3')], 'bot')).toBe(1);
    expect(queued).toEqual(['1', '3']);
  });

  it('lets through, once, the account’s own messages its connector marks outbound (replies sent from the platform’s app)', async () => {
    const queued: string[] = [];
    const gate = new InboundGate(async (events) => void queued.push(...events.map((e) => e.externalId)));
    const own = { ...event('4', 'bot'), direction: 'outbound' as const, recipient: { id: 'customer' } };
    expect(await gate.pass([own, own], 'bot')).toBe(1);
    expect(await gate.pass([own], 'bot')).toBe(0);
    expect(queued).toEqual(['4']);
  });

  it('keeps the same message id of two connectors apart', async () => {
    const queued: string[] = [];
    const gate = new InboundGate(async (events) => void queued.push(...events.map((e) => `${e.connectorId}/${e.externalId}`)));
    await gate.pass([event('1', 'x', 'c1')], null);
    await gate.pass([event('1', 'x', 'c2')], null);
    expect(queued).toEqual(['c1/1', 'c2/1']);
  });

  it('remembers nothing from a failed hand-over, so the same events can be passed again', async () => {
    let fail = true;
    const queued: string[] = [];
    const gate = new InboundGate(async (events) => {
      if (fail) throw new Error('queue away');
      queued.push(...events.map((e) => e.externalId));
    });
    await expect(gate.pass([event('1')], null)).rejects.toThrow('queue away');
    fail = false;
    expect(await gate.pass([event('1')], null)).toBe(1);
    expect(queued).toEqual(['1']);
  });

  it('forgets the oldest events beyond its capacity', async () => {
    const queued: string[] = [];
    const gate = new InboundGate(async (events) => void queued.push(...events.map((e) => e.externalId)), 2);
    for (const id of ['1', '2', '3', '1']) await gate.pass([event(id)], null);
    expect(queued).toEqual(['1', '2', '3', '1']);
  });
});
