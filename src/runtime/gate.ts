// Echo suppression and dedupe, once for every platform, in front of the inbound queue: the bot's own messages
// (platforms echo what we send; a connector marks those it wants filed as the account's replies `outbound`,
// and they pass) and events handed over again (a redelivered webhook, a replayed gateway event
// that catch-up also read from history, a re-polled batch) never reach the queue twice from one process. The
// pipeline's unique key on (connector, externalId) is the durable backstop across processes and restarts.
import { isDeletion, type InboundEvent } from '../domain/types.ts';

/** How many recently sunk events each gate remembers. */
const RECENT_EVENTS = 10_000;

/** One event's identity: each version of a post (by the platform's edit time) and its deletion are events of their own. */
function eventKey(event: InboundEvent): string {
  const base = `${event.connectorId}\n${event.externalId}`;
  if (isDeletion(event)) return `${base}\ndeleted`;
  if (event.kind === 'edited') return `${base}\nedited\n${new Date(event.editedAt ?? 0).getTime()}`;
  return base;
}

export class InboundGate {
  /** Keys of events sunk recently, oldest first (a Map keeps insertion order). */
  private readonly recent = new Map<string, true>();

  /** `sink` is the durable hand-over (the inbound queue): it must resolve only once the events are safe. */
  constructor(
    private readonly sink: (events: InboundEvent[]) => Promise<void>,
    private readonly capacity = RECENT_EVENTS,
  ) {}

  /**
   * Sinks the events that are neither authored by `botUserId` (unless marked outbound) nor seen recently; resolves with how many went
   * through, once they are durable. A failed sink remembers nothing, so the same events may be passed again.
   */
  async pass(events: InboundEvent[], botUserId: string | null | undefined): Promise<number> {
    const fresh: InboundEvent[] = [];
    const keys = new Set<string>();
    for (const event of events) {
      if (botUserId && !isDeletion(event) && event.direction !== 'outbound' && event.author.id === botUserId) continue;
      const key = eventKey(event);
      if (this.recent.has(key) || keys.has(key)) continue;
      keys.add(key);
      fresh.push(event);
    }
    if (!fresh.length) return 0;
    await this.sink(fresh);
    for (const key of keys) this.recent.set(key, true);
    for (const key of this.recent.keys()) {
      if (this.recent.size <= this.capacity) break;
      this.recent.delete(key);
    }
    return fresh.length;
  }
}
