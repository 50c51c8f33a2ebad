// The contract every connector must pass, run against its own platform fake. One suite, many platforms: a
// connector that passes it works with the core (see connectors/connector.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDeletion, type InboundDeletion, type InboundMessage, type Platform } from '../../src/domain/types.ts';
import type { Connector, ConnectorHealth, ConnectorRuntime } from '../connector.ts';
import { AuthError, ConnectorError, RateLimitedError } from '../errors.ts';

/** What a platform's test kit offers the suite: its fake, driven as customers and as the platform would. */
export interface ContractWorld {
  connector: Connector;
  /** A connector with credentials the platform rejects. */
  connectorWithBadCredentials(): Connector;
  customerWritesPrivately(text: string): Promise<void>;
  customerMentionsBotInPublic(text: string): Promise<void>;
  /** Makes the platform deliver the last customer message again (webhook retry, resume replay, re-poll). */
  redeliverLast(): Promise<void>;
  /** Texts the bot posted, with the platform id of the message each replies to. */
  botMessages(): Array<{ text: string; replyToExternalId?: string }>;
  failNextSends(kind: 'rate_limit' | 'server_error', times: number): void;
  /** Whether the bot may delete customers' public posts. */
  setDeleteRights(allowed: boolean): void;
  publicMessageStillVisible(externalId: string): boolean;
  stop(): Promise<void>;
}

export interface ContractKit {
  platform: Platform;
  start(): Promise<ContractWorld>;
}

/** An in-memory runtime: what the core would lend, minus the database and queues. */
export function memoryRuntime() {
  /** Posts and edits, in the order sunk. */
  const events: InboundMessage[] = [];
  const deletions: InboundDeletion[] = [];
  const health: ConnectorHealth[] = [];
  let cursor: string | null = null;
  const runtime: ConnectorRuntime = {
    sink: async (batch) => {
      for (const event of batch) {
        if (isDeletion(event)) deletions.push(event);
        else events.push(event);
      }
    },
    loadCursor: async () => cursor,
    saveCursor: async (c) => {
      cursor = c;
    },
    reportHealth: (h) => {
      health.push(h);
    },
  };
  return { runtime, events, deletions, health };
}

export async function waitFor<T>(check: () => T | undefined | null | false, ms = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Retries a send the way the outbound worker does: waits out rate limits, retries retryable errors. */
async function sendLikeTheWorker(connector: Connector, send: () => ReturnType<Connector['send']>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof ConnectorError) || !err.retryable || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, err instanceof RateLimitedError ? err.retryAfterMs : 100));
    }
  }
}

export function runConnectorContract(kit: ContractKit): void {
  describe(`${kit.platform} connector contract`, () => {
    let world: ContractWorld;
    let memory: ReturnType<typeof memoryRuntime>;
    let controller: AbortController;
    let running: Promise<void>;
    let botId: string;

    beforeEach(async () => {
      world = await kit.start();
      memory = memoryRuntime();
      controller = new AbortController();
      botId = (await world.connector.connect()).id;
      running = world.connector.start(memory.runtime, controller.signal);
      await waitFor(() => memory.health.some((h) => h.status === 'connected'), 10_000, 'connected');
    });

    afterEach(async () => {
      controller.abort();
      await running.catch(() => {});
      await world.stop();
    });

    const received = (text: string) => waitFor(() => memory.events.find((e) => e.text.includes(text)), 10_000, `"${text}" ingested`);

    it('ingests a private message', async () => {
      await world.customerWritesPrivately('contract: private hello');
      const event = await received('contract: private hello');
      expect(event).toMatchObject({ platform: kit.platform, connectorId: world.connector.connectorId, visibility: 'private' });
      expect(event.author.id).not.toBe(botId);
      expect(event.createdAt).toBeInstanceOf(Date);
    });

    it('ingests a public mention', async () => {
      await world.customerMentionsBotInPublic('contract: public help');
      const event = await received('contract: public help');
      expect(event.visibility).toBe('public');
    });

    it('never ingests its own messages', async () => {
      await world.customerMentionsBotInPublic('contract: echo check');
      const event = await received('contract: echo check');
      await world.connector.send({ connectorId: event.connectorId, externalThreadId: event.externalThreadId, channelId: event.channelId, text: 'contract: bot answer', replyToExternalId: event.externalId, idempotencyKey: 'echo-1' });
      await world.customerMentionsBotInPublic('contract: after the answer');
      await received('contract: after the answer');
      expect(memory.events.filter((e) => e.author.id === botId || e.text.includes('contract: bot answer'))).toEqual([]);
    });

    it('replies threaded to the customer message', async () => {
      await world.customerWritesPrivately('contract: please answer');
      const event = await received('contract: please answer');
      const sent = await world.connector.send({ connectorId: event.connectorId, externalThreadId: event.externalThreadId, channelId: event.channelId, text: 'contract: threaded answer', replyToExternalId: event.externalId, idempotencyKey: 'thread-1' });
      expect(sent.externalId).toBeTruthy();
      const posted = world.botMessages().filter((m) => m.text === 'contract: threaded answer');
      expect(posted).toHaveLength(1);
      expect(posted[0]!.replyToExternalId).toBe(event.externalId);
    });

    for (const kind of ['rate_limit', 'server_error'] as const) {
      it(`delivers a reply exactly once through a ${kind === 'rate_limit' ? '429' : '5xx'}`, async () => {
        await world.customerWritesPrivately(`contract: ${kind}`);
        const event = await received(`contract: ${kind}`);
        world.failNextSends(kind, 1);
        const text = `contract: answer after ${kind}`;
        await sendLikeTheWorker(world.connector, () =>
          world.connector.send({ connectorId: event.connectorId, externalThreadId: event.externalThreadId, channelId: event.channelId, text, replyToExternalId: event.externalId, idempotencyKey: `fault-${kind}` }),
        );
        expect(world.botMessages().filter((m) => m.text === text)).toHaveLength(1);
      });
    }

    it('gives a redelivered event the same id, so the core stores it once', async () => {
      await world.customerWritesPrivately('contract: twice');
      await received('contract: twice');
      await world.redeliverLast();
      await new Promise((r) => setTimeout(r, 500));
      const copies = memory.events.filter((e) => e.text === 'contract: twice');
      expect(new Set(copies.map((e) => e.externalId)).size).toBe(1);
    });

    it('reports rejected credentials as an AuthError', async () => {
      await expect(world.connectorWithBadCredentials().connect()).rejects.toBeInstanceOf(AuthError);
    });

    it('removes a public message when it may, and says so when it may not', async () => {
      world.setDeleteRights(false);
      await world.customerMentionsBotInPublic('contract: leak one');
      const kept = await received('contract: leak one');
      const ref = { externalId: kept.externalId, externalThreadId: kept.externalThreadId, channelId: kept.channelId };
      expect(await world.connector.removePublic!(ref)).toBe('not_allowed');
      expect(world.publicMessageStillVisible(kept.externalId)).toBe(true);

      world.setDeleteRights(true);
      await world.customerMentionsBotInPublic('contract: leak two');
      const gone = await received('contract: leak two');
      expect(['deleted', 'hidden']).toContain(await world.connector.removePublic!({ externalId: gone.externalId, externalThreadId: gone.externalThreadId, channelId: gone.channelId }));
      expect(world.publicMessageStillVisible(gone.externalId)).toBe(false);
    });
  });
}
