// The core's receiver (src/runtime/receiver.ts) with memory for a queue and for the connector's database row:
// what connector tests run a connector in, so they exercise the real lifecycle (echo and dedupe, sink then
// cursor, health, backoff, fencing) without PostgreSQL or Redis.
import { isDeletion, type InboundDeletion, type InboundMessage } from '../../src/domain/types.ts';
import { runReceiver, type ReceiverEnd, type ReceiverHost } from '../../src/runtime/receiver.ts';
import type { Connector, ConnectorHealth } from '../connector.ts';

/** One connector's row and queue, in memory. Cursor writes are fenced like the real ones. */
export function memoryStore(cursor: string | null = null) {
  const state = {
    /** Posts and edits sunk, in order. */
    events: [] as InboundMessage[],
    /** Deletions sunk, in order. */
    deletions: [] as InboundDeletion[],
    health: [] as ConnectorHealth[],
    cursor,
    /** The highest fencing token that has claimed the connector. */
    fence: 0,
    /** Makes the next n sinks fail, as an unreachable queue would. */
    failSinks: 0,
    /**
     * Per successful sink, the events sunk so far and the cursor stored at that moment: what a process killed
     * (SIGKILL) right after that sink leaves behind for the next holder.
     */
    atSink: [] as Array<{ events: number; cursor: string | null }>,
  };
  const host = (token: number): ReceiverHost => ({
    async sink(events) {
      if (state.failSinks > 0) {
        state.failSinks -= 1;
        throw new Error('inbound queue unavailable');
      }
      for (const event of events) {
        if (isDeletion(event)) state.deletions.push(event);
        else state.events.push(event);
      }
      state.atSink.push({ events: state.events.length, cursor: state.cursor });
    },
    loadCursor: async () => state.cursor,
    saveCursor: async (c) => {
      if (token < state.fence) return false;
      state.fence = token;
      state.cursor = c;
      return true;
    },
    reportHealth: (h) => void state.health.push(h),
  });
  return {
    state,
    host,
    /** A new holder takes the connector over with `token` (earlier holders' writes are refused from now on). */
    claim(token: number) {
      state.fence = Math.max(state.fence, token);
    },
  };
}

export type MemoryStore = ReturnType<typeof memoryStore>;

/** Runs `connector` in the core's receiver on `store`, holding fencing token `token`. */
export function receiveInMemory(connector: Connector, store: MemoryStore, token = 1) {
  store.claim(token);
  const controller = new AbortController();
  const done: Promise<ReceiverEnd> = runReceiver(connector, store.host(token), controller.signal, {
    backoff: { baseMs: 200, maxMs: 2_000 },
    cursorFlushMs: 20,
  });
  return {
    done,
    /** Aborts receiving and resolves once fully stopped (cursor flushed). */
    stop: async () => {
      controller.abort();
      return done;
    },
  };
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
