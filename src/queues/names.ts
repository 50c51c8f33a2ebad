// Queue names and deterministic job ids: the same delivery or reply always maps to the same job, so a
// redelivery or a retried producer can never make a second one. (BullMQ reserves ':' in custom ids, hence the hashing.)
import { createHash } from 'node:crypto';

export const QUEUE_NAMES = { inbound: 'inbound', outbound: 'outbound', actions: 'actions' } as const;

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

export const jobIds = {
  /** One delivery of events, named by the (connector, platform id) pairs it carries. */
  inbound: (eventKeys: string[]) => `in-${digest(eventKeys.join('\n'))}`,
  outbound: (messageId: string) => `out-${messageId}`,
  guard: (messageId: string) => `guard-${messageId}`,
};
