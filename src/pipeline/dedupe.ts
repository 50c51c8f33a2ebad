// Stage 2: drop what must not become a message: the bot's own messages echoed back by the platform (unless the
// connector marks them `outbound`: those are the account's replies, stored as such), and repeats
// of one event inside a batch. Repeats across batches are stopped by the (connectorId, externalId) unique key
// in persist; repeats while a job is queued are stopped by its deterministic job id. A post, each version of it
// and its deletion are different events.
import type { InboundEvent } from '../domain/types.ts';

function eventKey(e: InboundEvent): string {
  const base = `${e.connectorId}\n${e.externalId}`;
  if (e.kind === 'deleted') return `${base}\ndeleted`;
  if (e.kind === 'edited') return `${base}\nedited\n${e.editedAt?.getTime()}`;
  return base;
}

export function dedupe<E extends InboundEvent>(batch: E[], botUserIdOf: (connectorId: string) => string | null | undefined): E[] {
  const seen = new Set<string>();
  return batch.filter((event) => {
    if (event.kind !== 'deleted' && event.direction !== 'outbound' && event.author.id === botUserIdOf(event.connectorId)) return false;
    const key = eventKey(event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
