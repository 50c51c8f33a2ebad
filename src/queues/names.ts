// Queue names and deterministic job ids: the same delivery or reply always maps to the same job, so a
// redelivery or a retried producer can never make a second one. (BullMQ reserves ':' in custom ids, hence the hashing.)
import { createHash } from 'node:crypto';

export const QUEUE_NAMES = { inbound: 'inbound', outbound: 'outbound', actions: 'actions' } as const;

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

/**
 * Names the findings that call for the guard's actions on a message: their types and spans in the stored text,
 * in order, hashed. A redelivered post or edit names the same findings (one round of actions); an edit that adds
 * or moves a secret names new ones, and gets its own round, as a new post of it would.
 */
export const guardTrigger = (findings: ReadonlyArray<{ type: string; start: number; end: number }>): string =>
  digest(
    findings
      .map((f) => `${f.type}:${f.start}:${f.end}`)
      .sort()
      .join(','),
  ).slice(0, 16);

export const jobIds = {
  /** One delivery of events, named by the (connector, platform id) pairs it carries. */
  inbound: (eventKeys: string[]) => `in-${digest(eventKeys.join('\n'))}`,
  outbound: (messageId: string) => `out-${messageId}`,
  /** One round of guard actions on a message, for the findings named by `trigger`. */
  guard: (messageId: string, trigger: string) => `guard-${messageId}-${trigger}`,
};
