// The three queues and their producers. Job payloads are small and short-lived: inbound jobs are removed as
// soon as they complete, because until the guard has run they hold the customer's unmasked text.
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { InboundEvent } from '../domain/types.ts';
import { jobIds, QUEUE_NAMES } from './names.ts';

export interface Queues {
  inbound: Queue;
  outbound: Queue;
  actions: Queue;
  close(): Promise<void>;
}

/**
 * A Redis client that survives outages: it reconnects by itself, and its connection errors are reported rather
 * than printed as unhandled.
 */
export function createRedis(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', onError);
  return redis;
}

export function redisConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null } as ConnectionOptions;
}

export function createQueues(redisUrl: string, prefix: string): Queues {
  const connection = redisConnection(redisUrl);
  const make = (name: string) => new Queue(name, { connection, prefix });
  const queues = { inbound: make(QUEUE_NAMES.inbound), outbound: make(QUEUE_NAMES.outbound), actions: make(QUEUE_NAMES.actions) };
  return {
    ...queues,
    close: async () => {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** About a week of retries at the capped delay below. */
const INBOUND_ATTEMPTS = 10_000;
export const INBOUND_BACKOFF = 'capped';
/** Exponential from half a second, capped at a minute, so a recovered database is used within a minute. */
export const cappedBackoff = (attemptsMade: number) => Math.min(60_000, 500 * 2 ** Math.min(attemptsMade, 7));

/** Names one event: a post, each version of it and its deletion are different events. */
function eventKey(e: InboundEvent): string {
  const base = `${e.connectorId}\n${e.externalId}`;
  if (e.kind === 'deleted') return `${base}\ndeleted`;
  if (e.kind === 'edited') return `${base}\nedited\n${new Date(e.editedAt ?? 0).getTime()}`;
  return base; // unchanged for posts, so a delivery queued before this rule keeps its id
}

/**
 * Queues one delivery from a connector (a poll's batch, a webhook, a gateway event) as one job. The job id is
 * derived from the events it carries, so the same delivery queued twice is one job; an event that comes back
 * inside a different delivery is stopped by the database's unique key instead. One job per delivery rather
 * than per event keeps Redis round trips per message low enough for thousands of messages a second.
 */
export async function enqueueInbound(queue: Queue, events: InboundEvent[]): Promise<void> {
  if (!events.length) return;
  await queue.add(
    'delivery',
    // `raw` stays out of Redis: it is for debugging inside the connector only.
    { events: events.map((event) => ({ ...event, raw: undefined })) },
    {
      jobId: jobIds.inbound(events.map(eventKey)),
      // The platform has already been told we have these: keep trying through a long database outage.
      attempts: INBOUND_ATTEMPTS,
      backoff: { type: INBOUND_BACKOFF },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
}

export async function enqueueOutbound(queue: Queue, messageId: string): Promise<void> {
  await queue.add(
    'reply',
    { messageId },
    {
      jobId: jobIds.outbound(messageId),
      attempts: 6,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
}

/** One round of the guard's actions: a stored public message and the findings that call for them. */
export interface GuardActionRequest {
  messageId: string;
  /** Names the findings (types and spans, see guardTrigger): a message edited to add a secret gets a new round. */
  trigger: string;
}

export async function enqueueGuardActions(queue: Queue, requests: GuardActionRequest[]): Promise<void> {
  if (!requests.length) return;
  await queue.addBulk(
    requests.map(({ messageId, trigger }) => ({
      name: 'protect',
      data: { messageId, trigger },
      opts: {
        jobId: jobIds.guard(messageId, trigger),
        attempts: 5,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    })),
  );
}
