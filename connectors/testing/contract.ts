// The contract every connector must pass, run against its own platform fake. One suite, many platforms: a
// connector that passes it works with the core (see connectors/connector.ts). Connectors run inside the core's
// own receiver (src/runtime/receiver.ts, with memory for the queue and the database row: ./runtime.ts), so the
// suite also checks what the runtime promises every platform: echoes and repeats dropped, sink then cursor,
// resume after a restart, prompt abort, health on auth failure and on a dropped connection, lease handover.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/domain/types.ts';
import type { Connector } from '../connector.ts';
import { AuthError, ConnectorError, RateLimitedError } from '../errors.ts';
import { memoryStore, receiveInMemory, waitFor, type MemoryStore } from './runtime.ts';

export { waitFor } from './runtime.ts';

/** What a platform's test kit offers the suite: its fake, driven as customers and as the platform would. */
export interface ContractWorld {
  connector: Connector;
  /** A second connector instance for the same account, as another process would build it. */
  sameConnectorElsewhere(): Connector;
  /** A connector with credentials the platform rejects. */
  connectorWithBadCredentials(): Connector;
  customerWritesPrivately(text: string): Promise<void>;
  customerMentionsBotInPublic(text: string): Promise<void>;
  /** Makes the platform deliver the last customer message again (webhook retry, resume replay, re-poll). */
  redeliverLast(): Promise<void>;
  /** The customer edits their last message to `text`, as the platform lets them (absent where it cannot). */
  customerEditsLast?(text: string): Promise<void>;
  /** The customer deletes their last message, on platforms that tell bots about deletions (Discord). */
  customerDeletesLast?(): Promise<void>;
  /** Breaks the platform connection once (a dropped gateway, failing polls); it works again by itself. */
  dropConnection(): Promise<void>;
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
  /**
   * The platform sends recent events again on every (re)connect (X's activity stream backfills five minutes),
   * so a restarted receiver may hand them over once more; the pipeline's unique key drops them.
   */
  replaysRecentOnConnect?: boolean;
  start(): Promise<ContractWorld>;
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
    let store: MemoryStore;
    let receiver: ReturnType<typeof receiveInMemory>;
    let botId: string;
    const others: Array<{ stop(): Promise<unknown> }> = [];

    /** Runs `connector` in the core's receiver (another process, when given its own token) until connected. */
    const run = async (connector: Connector, on: MemoryStore, token = 1) => {
      const r = receiveInMemory(connector, on, token);
      others.push(r);
      const from = on.state.health.length;
      await waitFor(() => on.state.health.slice(from).some((h) => h.status === 'connected'), 15_000, 'connected');
      return r;
    };

    beforeEach(async () => {
      world = await kit.start();
      store = memoryStore();
      botId = (await world.connector.connect()).id;
      receiver = await run(world.connector, store);
    });

    afterEach(async () => {
      await Promise.all(others.splice(0).map((r) => r.stop().catch(() => {})));
      await world.stop();
    });

    const received = (text: string, on: MemoryStore = store) =>
      waitFor(() => on.state.events.find((e) => e.text.includes(text)), 10_000, `"${text}" ingested`);
    const copiesOf = (text: string, on: MemoryStore = store) => on.state.events.filter((e) => e.text.includes(text)).length;
    const statuses = (on: MemoryStore = store) => on.state.health.map((h) => h.status);

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
      expect(store.state.events.filter((e) => e.author.id === botId || e.text.includes('contract: bot answer'))).toEqual([]);
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

    it('hands a redelivered event to the queue once', async () => {
      await world.customerWritesPrivately('contract: twice');
      await received('contract: twice');
      await world.redeliverLast();
      await world.customerWritesPrivately('contract: after the redelivery');
      await received('contract: after the redelivery');
      await new Promise((r) => setTimeout(r, 300));
      expect(copiesOf('contract: twice')).toBe(1);
    });

    it('reports rejected credentials as an AuthError, and health auth_failed without retrying', async () => {
      await expect(world.connectorWithBadCredentials().connect()).rejects.toBeInstanceOf(AuthError);
      const parked = memoryStore();
      others.push(receiveInMemory(world.connectorWithBadCredentials(), parked));
      const failed = await waitFor(() => parked.state.health.find((h) => h.status === 'auth_failed'), 10_000, 'auth_failed');
      expect(failed.lastError).toBeTruthy();
      await new Promise((r) => setTimeout(r, 1_000)); // longer than the first backoff: it must not have retried
      expect(statuses(parked)).toEqual(['starting', 'auth_failed']);
    });

    it('reports a dropped connection as reconnecting, then connected, and loses nothing meanwhile', async () => {
      const before = store.state.health.length;
      await world.dropConnection();
      await waitFor(() => store.state.health.slice(before).some((h) => h.status === 'reconnecting'), 10_000, 'reconnecting');
      const reconnecting = store.state.health.slice(before).find((h) => h.status === 'reconnecting')!;
      expect(reconnecting.lastError).toBeTruthy();
      await world.customerWritesPrivately('contract: during the drop');
      await received('contract: during the drop', store);
      await waitFor(() => store.state.health.at(-1)?.status === 'connected', 15_000, 'connected again');
      expect(copiesOf('contract: during the drop')).toBe(1);
    });

    it('resumes from the stored cursor after a restart between two batches', async () => {
      await world.customerWritesPrivately('contract: first batch');
      await received('contract: first batch');
      expect(await receiver.stop()).toBe('stopped');
      expect(store.state.health.at(-1)?.status).toBe('stopped');
      expect(store.state.cursor).not.toBeNull();

      await world.customerWritesPrivately('contract: second batch, sent while stopped');
      const seenBefore = store.state.events.length;
      await run(world.sameConnectorElsewhere(), store);
      await received('contract: second batch, sent while stopped');
      await new Promise((r) => setTimeout(r, 300));
      const afterRestart = store.state.events.slice(seenBefore).map((e) => e.text);
      // Resumed, not started over (replayed at most once where the platform replays recent events on connect).
      expect(afterRestart.filter((t) => t.includes('contract: first batch')).length).toBeLessThanOrEqual(kit.replaysRecentOnConnect ? 1 : 0);
      expect(afterRestart.filter((t) => t.includes('contract: second batch'))).toHaveLength(1);
    });

    it('stops promptly when aborted mid-receive, and the next holder gets what came after', async () => {
      // A known conversation (Discord cannot discover a first DM sent while nobody listens).
      await world.customerWritesPrivately('contract: before the abort');
      await received('contract: before the abort');
      const started = Date.now();
      expect(await receiver.stop()).toBe('stopped');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(store.state.health.at(-1)?.status).toBe('stopped');
      const countAtStop = store.state.events.length;
      await world.customerWritesPrivately('contract: after the abort');
      await new Promise((r) => setTimeout(r, 300));
      expect(store.state.events.length).toBe(countAtStop); // nobody is receiving
      await run(world.sameConnectorElsewhere(), store);
      await received('contract: after the abort');
    });

    it('killed right after a first private message went in, the next holder still gets what that customer writes next', async () => {
      await world.customerWritesPrivately('contract: first words');
      const first = await received('contract: first words');
      // What the database held when that message was sunk: a SIGKILL right then leaves exactly this behind.
      const left = store.state.atSink.find((s) => s.events > store.state.events.indexOf(first))!;
      await receiver.stop();
      await world.customerWritesPrivately('contract: written while nobody listens');
      const next = memoryStore(left.cursor);
      await run(world.sameConnectorElsewhere(), next, 2);
      await received('contract: written while nobody listens', next);
    });

    it('hands over to a new holder: the old one stops, what it writes after is refused, and nothing is lost', async () => {
      await world.customerWritesPrivately('contract: before the handover');
      await received('contract: before the handover');
      await waitFor(() => store.state.cursor !== null, 5_000, 'cursor stored');
      // Another process takes the connector over (a higher token) while this one still believes it holds it.
      store.claim(2);
      const cursorAtHandover = store.state.cursor;
      await world.customerWritesPrivately('contract: around the handover');
      // Its next cursor write is refused and it stops (sinking meanwhile needs no fence: the pipeline drops
      // repeats). One that writes no cursor meanwhile (a stream that moves it only when reconciling) stops when
      // its renewal finds the lease taken: simulated here after 3 s.
      const end = await Promise.race([receiver.done, new Promise((r) => setTimeout(r, 3_000)).then(() => receiver.stop())]);
      expect(['lease_lost', 'stopped']).toContain(end);
      expect(store.state.cursor).toBe(cursorAtHandover); // nothing it wrote after the handover was kept

      await world.customerWritesPrivately('contract: after the handover');
      await run(world.sameConnectorElsewhere(), store, 2);
      await received('contract: around the handover'); // by one holder or the other
      await received('contract: after the handover');
      await new Promise((r) => setTimeout(r, 300));
      expect(copiesOf('contract: after the handover')).toBe(1);
    });

    it('hands over an edit as the whole new version, under the message\'s own id, once', async (ctx) => {
      if (!world.customerEditsLast) return ctx.skip();
      await world.customerMentionsBotInPublic('contract: before the edit');
      const original = await received('contract: before the edit');
      await world.customerEditsLast('contract: after the edit');
      const edited = await received('contract: after the edit');
      expect(edited).toMatchObject({ kind: 'edited', externalId: original.externalId, externalThreadId: original.externalThreadId, visibility: 'public' });
      expect(edited.editedAt).toBeInstanceOf(Date);
      expect(edited.createdAt.getTime()).toBe(original.createdAt.getTime());
      await world.customerWritesPrivately('contract: written privately after the edit');
      await received('contract: written privately after the edit');
      expect(copiesOf('contract: after the edit')).toBe(1);
    });

    it('hands over a deletion of a message it handed over', async (ctx) => {
      if (!world.customerDeletesLast) return ctx.skip();
      await world.customerMentionsBotInPublic('contract: soon deleted');
      const posted = await received('contract: soon deleted');
      await world.customerDeletesLast();
      const deletion = await waitFor(() => store.state.deletions.find((d) => d.externalId === posted.externalId), 10_000, 'the deletion');
      expect(deletion).toMatchObject({ kind: 'deleted', platform: kit.platform, connectorId: posted.connectorId, channelId: posted.channelId });
      expect(deletion.deletedAt).toBeInstanceOf(Date);
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
