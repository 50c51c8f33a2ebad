// The three queues and their producers. Job payloads are small and short-lived. Inbound jobs hold the customer's
// text before the guard has run, for as long as a week when the database is down: their payload is sealed
// (AES-256-GCM, key derived from APP_SECRET), so Redis (its memory, its dumps, its replicas) never holds a secret a
// customer posted. Outbound and actions jobs carry message ids only.
import { Queue, type ConnectionOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { SecretBox } from '../db/cipher.ts';
import type { InboundEvent } from '../domain/types.ts';
import { backoffDelayMs } from '../runtime/backoff.ts';
import { jobIds, QUEUE_NAMES } from './names.ts';

export interface Queues {
  inbound: Queue;
  outbound: Queue;
  actions: Queue;
  /** Seals and opens inbound job payloads. */
  payloads: SecretBox;
  close(): Promise<void>;
}

/** The key purpose of sealed inbound payloads (see db/cipher.ts). */
export const inboundPayloadBox = (appSecret: string) => new SecretBox(appSecret, 'inbox-inbound-jobs', 'a queued inbound delivery');

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

/**
 * How long a worker's claim on a job lasts without renewal (renewed every half of it). A process killed with
 * jobs in hand holds them until the claim lapses and a stalled-job check (every STALLED_CHECK_MS, in any live
 * worker) hands them back: together about 6-9 s, instead of BullMQ's default of up to a minute.
 */
export const JOB_LOCK_MS = 6_000;
export const STALLED_CHECK_MS = 3_000;

/**
 * Options every worker shares. A job may be handed back after a crash several times (each worker is safe to
 * repeat: deliveries are idempotent, replies check their `sending` mark): BullMQ's default of once would fail a
 * job for good after a second crash.
 */
export function workerOptions(redisUrl: string, prefix: string): WorkerOptions {
  return {
    connection: redisConnection(redisUrl),
    prefix,
    lockDuration: JOB_LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: 20,
    // The one backoff policy (src/runtime/backoff.ts) for every job retried with CAPPED_BACKOFF.
    settings: { backoffStrategy: (attemptsMade: number, type?: string) => (type === CAPPED_BACKOFF ? cappedBackoff(attemptsMade) : 0) },
  };
}

/** `onError` hears Redis connection trouble (BullMQ reconnects by itself). */
export function createQueues(redisUrl: string, prefix: string, appSecret: string, onError: (err: Error) => void = () => {}): Queues {
  const connection = redisConnection(redisUrl);
  const make = (name: string) => new Queue(name, { connection, prefix }).on('error', onError);
  const queues = { inbound: make(QUEUE_NAMES.inbound), outbound: make(QUEUE_NAMES.outbound), actions: make(QUEUE_NAMES.actions) };
  return {
    ...queues,
    payloads: inboundPayloadBox(appSecret),
    close: async () => {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** About a week of retries at the capped delay below: for failures of our own (database, Redis) only. */
const OUTAGE_ATTEMPTS = 10_000;
export const CAPPED_BACKOFF = 'capped';
/** The inbox's one backoff policy from a second, capped at a minute, so a recovered database is used within a minute. */
export const cappedBackoff = (attemptsMade: number) => backoffDelayMs(null, attemptsMade, { baseMs: 1_000, maxMs: 60_000 });

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
export async function enqueueInbound(queues: Pick<Queues, 'inbound' | 'payloads'>, events: InboundEvent[]): Promise<void> {
  if (!events.length) return;
  await queues.inbound.add(
    'delivery',
    // `raw` stays out of Redis: it is for debugging inside the connector only.
    { sealed: queues.payloads.encrypt(events.map((event) => ({ ...event, raw: undefined }))) },
    {
      jobId: jobIds.inbound(events.map(eventKey)),
      // The platform has already been told we have these: keep trying through a long database outage.
      attempts: OUTAGE_ATTEMPTS,
      backoff: { type: CAPPED_BACKOFF },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
}

/**
 * The events of an inbound job. Throws when the payload cannot be opened (APP_SECRET changed). Jobs queued by a
 * version before sealing carry plain `events`.
 */
export function openInbound(data: unknown, payloads: SecretBox): unknown[] {
  const { sealed, events } = (data ?? {}) as { sealed?: unknown; events?: unknown };
  const opened = typeof sealed === 'string' ? payloads.decrypt(sealed) : events;
  return Array.isArray(opened) ? opened : [];
}

/**
 * Queues an agent's reply. The platform's failures are counted by the worker itself (outbound.ts); BullMQ's
 * attempts only cover our own failures, for as long as inbound jobs, so a database outage never drops a reply.
 */
export async function enqueueOutbound(queue: Queue, messageId: string): Promise<void> {
  await queue.add(
    'reply',
    { messageId },
    {
      jobId: jobIds.outbound(messageId),
      attempts: OUTAGE_ATTEMPTS,
      backoff: { type: CAPPED_BACKOFF },
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
        backoff: { type: CAPPED_BACKOFF },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    })),
  );
}
