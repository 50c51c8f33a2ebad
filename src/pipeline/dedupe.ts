// Stage 2: drop what must not become a message: the bot's own messages echoed back by the platform, and repeats
// of one event inside a batch. Repeats across batches are stopped by the (connectorId, externalId) unique key
// in persist; repeats while a job is queued are stopped by its deterministic job id.
import type { InboundMessage } from '../domain/types.ts';

export function dedupe(batch: InboundMessage[], botUserIdOf: (connectorId: string) => string | null | undefined): InboundMessage[] {
  const seen = new Set<string>();
  return batch.filter((msg) => {
    if (msg.author.id === botUserIdOf(msg.connectorId)) return false;
    const key = `${msg.connectorId}\n${msg.externalId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
