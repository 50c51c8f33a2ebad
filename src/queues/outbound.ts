// The outbound worker: sends an agent's reply through the connector it came from, exactly once, in the order the
// agent wrote it, at the pace the platform allows.
//
// Order: a reply is sent only when every earlier reply of its conversation is terminal (sent or failed). A
// reply that finds an earlier one still queued (waiting out a 429, say) steps back into the delayed set and looks
// again, so a rate limit on reply 1 holds replies 2-5 behind it instead of letting them overtake.
//
// Pace: the platform's per-chat limits (ChatPace) are claimed in Redis (pace.ts), shared by every worker.
//
// Exactly once, on platforms without idempotency keys (Telegram), rests on the `sending` state: a reply is
// marked `sending` immediately before the platform call, after every wait. A retry that finds it `sending`
// cannot know whether the platform received it (the worker died, or the connection broke, mid-call), so rather
// than risk a second copy the reply ends `failed` with a reason telling the agent to check the chat. Everything
// known not to have been delivered (429, 5xx, refused connections, a crash before the call) is retried.
//
// Two kinds of retry: the platform's failures are counted in the job's data (PLATFORM_ATTEMPTS, then the reply
// fails visibly); our own failures (the database or Redis away) are BullMQ attempts with a capped backoff that
// outlasts long outages, so a reply is never dropped while its row still says queued.
import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import { CONNECTOR_ERROR_KINDS, ConnectorError, NetworkError, RateLimitedError } from '../../connectors/errors.ts';
import type { Db } from '../db/client.ts';
import { safeErrorMessage, type Logger } from '../log.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { backoffDelayMs, sleep } from '../runtime/backoff.ts';
import type { ConnectorPool } from '../runtime/connector-pool.ts';
import { QUEUE_NAMES } from './names.ts';
import { cappedBackoff, CAPPED_BACKOFF, createRedis, enqueueOutbound, workerOptions } from './index.ts';
import { ChatPacer } from './pace.ts';

export const UNCONFIRMED =
  'Delivery unconfirmed: the platform call was interrupted, so the reply may or may not have arrived. Check the chat before sending it again.';

/**
 * Why a reply is not (yet) delivered, as a code clients translate (`delivery.errorCode`): a connector error's kind
 * (connectors/errors.ts), or one of our own reasons. The English sentence stays in `delivery.error`.
 */
export const DELIVERY_ERROR_CODES = [...CONNECTOR_ERROR_KINDS, 'connector_deleted', 'connector_disabled', 'connector_settings', 'unconfirmed'] as const;
export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[number];

/** Platform failures (5xx, timeouts) a reply survives before it is marked failed. */
export const PLATFORM_ATTEMPTS = 6;
/** Longest pause before looking again at an earlier reply of the same conversation. */
const MAX_ORDER_WAIT_MS = 5_000;

export interface OutboundDeps {
  db: Db;
  pool: ConnectorPool;
  events: EventBus;
  pacer: ChatPacer;
  log: Logger;
}

export interface OutboundJobData {
  messageId: string;
  /** Platform failures so far. */
  platformFailures?: number;
}

/**
 * One try at a reply. Resolves with `undefined` when the reply is settled (sent, failed, or gone), or with the
 * ms to wait before trying again (an earlier reply still pending, the chat's pace, a 429, a platform failure).
 * Throws on failures of our own (database, Redis): BullMQ retries those.
 */
async function attempt(deps: OutboundDeps, data: OutboundJobData): Promise<number | undefined> {
  const { db, pool, events, pacer } = deps;
  const { messageId } = data;
  const message = await db.message.findUnique({ where: { id: messageId }, include: { conversation: true, connector: true } });
  if (!message || message.deliveryStatus === 'sent' || message.deliveryStatus === 'failed') return undefined;

  const changed = () => events.publish([{ type: 'message.updated', conversationId: message.conversationId, messageId }]);
  const fail = async (error: string, code: DeliveryErrorCode) => {
    await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'failed', deliveryError: error, deliveryErrorCode: code } });
    await changed();
    if (await undoFirstResponse(db, message)) await events.publish([{ type: 'conversation.updated', conversationId: message.conversationId }]);
    return undefined;
  };

  if (!message.connector || message.connector.deletedAt) return fail('The connector this conversation came from was deleted.', 'connector_deleted');
  // A disabled connector sends nothing, not even replies queued before it was disabled.
  if (!message.connector.enabled) return fail('Not sent: the connector was disabled before this reply went out.', 'connector_disabled');
  let connector;
  try {
    connector = pool.instance(message.connector);
  } catch (err) {
    return fail(`The connector's settings cannot be used: ${safeErrorMessage(err)}`, 'connector_settings');
  }
  if (message.deliveryStatus === 'sending' && !connector.idempotentSend) return fail(UNCONFIRMED, 'unconfirmed');

  const earlier = await db.message.count({
    where: {
      conversationId: message.conversationId,
      direction: 'outbound',
      deliveryStatus: { in: ['queued', 'sending'] },
      OR: [{ createdAt: { lt: message.createdAt } }, { createdAt: message.createdAt, seq: { lt: message.seq } }],
    },
  });
  if (earlier > 0) return Math.min(MAX_ORDER_WAIT_MS, earlier * Math.max(300, connector.chatPace?.minIntervalMs ?? 0));

  const chat = { connectorId: message.connectorId, channelId: message.conversation.channelId, visibility: message.conversation.visibility };
  const paced = await pacer.claim(chat, connector.chatPace, messageId);
  if (paced > 0) return paced;

  await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'sending' } });
  let sent: { externalId: string; sentAt: Date };
  try {
    sent = await connector.send({
      connectorId: message.connectorId,
      externalThreadId: message.conversation.externalThreadId,
      channelId: message.conversation.channelId,
      text: message.text,
      replyToExternalId: message.replyToExternalId ?? undefined,
      idempotencyKey: message.id,
    });
  } catch (err) {
    const error = err instanceof ConnectorError ? err : new NetworkError(safeErrorMessage(err), true);
    if (error instanceof NetworkError && error.maybeDelivered && !connector.idempotentSend) return fail(UNCONFIRMED, 'unconfirmed');
    if (!error.retryable) return fail(error.message, error.kind);
    await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'queued', deliveryError: error.message, deliveryErrorCode: error.kind } });
    if (error instanceof RateLimitedError) {
      // Wait exactly as long as the platform asked, and so does everything else bound for this chat. Rate
      // limits are not failures: they do not use up an attempt.
      await pacer.hold(chat, error.retryAfterMs);
      return error.retryAfterMs;
    }
    const failures = (data.platformFailures ?? 0) + 1;
    if (failures >= PLATFORM_ATTEMPTS) return fail(`${error.message} (gave up after ${failures} attempts)`, error.kind);
    data.platformFailures = failures;
    return backoffDelayMs(error, failures, { baseMs: 1_000, maxMs: 60_000 });
  }
  // The platform has it. Recording that must not fail the reply: a database restart right now would otherwise
  // leave it `sending`, and the retry would call a delivered reply "unconfirmed". So keep trying here, in this
  // job, until the database answers (BullMQ keeps renewing the job's lock while we wait).
  for (let failures = 1; ; failures++) {
    try {
      const echoes = await recordSent(db, messageId, message.connectorId, sent);
      await events.publish([
        { type: 'message.updated', conversationId: message.conversationId, messageId },
        ...echoes.map((e) => ({ type: 'message.updated' as const, conversationId: e.conversationId, messageId: e.id })),
      ]);
      return undefined;
    } catch (err) {
      deps.log.warn({ err: safeErrorMessage(err), messageId }, 'a delivered reply could not be recorded yet; trying again');
      await sleep(backoffDelayMs(err, failures, { baseMs: 500, maxMs: 10_000 }));
    }
  }
}

/**
 * A reply that never reached the customer did not answer them. When it is the one that stopped its conversation's
 * first-response timer, the timer stops at the next agent reply that has not failed instead, or runs again (the
 * conversation can become overdue). Returns whether the conversation changed.
 */
async function undoFirstResponse(db: Db, reply: { id: string; conversationId: string; createdAt: Date }): Promise<boolean> {
  const next = await db.message.findFirst({
    where: {
      conversationId: reply.conversationId,
      direction: 'outbound',
      sentById: { not: null },
      id: { not: reply.id },
      createdAt: { gte: reply.createdAt },
      deliveryStatus: { not: 'failed' },
    },
    orderBy: { createdAt: 'asc' },
    select: { createdAt: true },
  });
  const { count } = await db.conversation.updateMany({
    where: { id: reply.conversationId, firstRespondedAt: reply.createdAt },
    data: { firstRespondedAt: next?.createdAt ?? null },
  });
  return count > 0;
}

/**
 * Records a reply as sent under its platform id. The platform may already have echoed it back (X's `dm.sent`
 * arrives on the stream before its send call returns): the pipeline then stored the echo as an outbound message
 * under the same (connectorId, externalId), and the update hits the unique key (also when the echo commits while
 * it runs: the update waits for it). The echo is then removed and the update made in one transaction, so exactly
 * one message remains: the agent's, with its author. Returns the removed echoes.
 */
async function recordSent(db: Db, messageId: string, connectorId: string, sent: { externalId: string; sentAt: Date }) {
  const record = () =>
    db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'sent', externalId: sent.externalId, sentAt: sent.sentAt, deliveryError: null, deliveryErrorCode: null } });
  try {
    await record();
    return [];
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
  }
  const echo = { connectorId, externalId: sent.externalId, direction: 'outbound' as const, id: { not: messageId } };
  const echoes = await db.message.findMany({ where: echo, select: { id: true, conversationId: true } });
  await db.$transaction([db.message.deleteMany({ where: echo }), record()]);
  return echoes;
}

/**
 * Delivers the reply of `job`, waiting where `attempt` says so: inside a worker (with its lock `token`) the job
 * steps into the delayed set and frees its slot; called directly (tests, tools) it waits in place.
 */
export async function deliverReply(deps: OutboundDeps, job: Job<OutboundJobData>, token?: string): Promise<void> {
  for (;;) {
    const data = { ...job.data };
    const wait = await attempt(deps, data);
    if (wait === undefined) return;
    if (token) {
      if (data.platformFailures !== job.data.platformFailures) await job.updateData(data);
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    job.data = data;
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** How far back the start-up sweep looks for replies without a job. */
const STRANDED_WINDOW_MS = 7 * 24 * 3600_000;

/**
 * Queues again every recent reply the database says is on its way: one saved by a process that died before
 * queueing it, or whose job Redis lost (a Redis without its append-only file). Job ids are deterministic, so a
 * reply that still has its job is left alone. Returns how many replies were looked at.
 */
export async function requeueStranded(db: Db, queue: Queue): Promise<number> {
  const stranded = await db.message.findMany({
    where: { direction: 'outbound', deliveryStatus: { in: ['queued', 'sending'] }, createdAt: { gte: new Date(Date.now() - STRANDED_WINDOW_MS) } },
    select: { id: true },
  });
  for (const { id } of stranded) await enqueueOutbound(queue, id);
  return stranded.length;
}

/**
 * The outbound worker (16 replies at once; replies of one conversation still leave one by one, in order), plus a
 * start-up sweep for replies without a job. `queue` is the outbound queue the sweep refills.
 */
export function startOutboundWorker(options: Omit<OutboundDeps, 'pacer'> & { redisUrl: string; prefix: string; queue: Queue }): Worker {
  const redis = createRedis(options.redisUrl, (err) => options.log.warn({ err: safeErrorMessage(err) }, 'redis connection trouble'));
  const deps = { ...options, pacer: new ChatPacer(redis, options.prefix) };
  const worker = new Worker(QUEUE_NAMES.outbound, (job, token) => deliverReply(deps, job, token), {
    ...workerOptions(options.redisUrl, options.prefix),
    concurrency: 16,
    settings: { backoffStrategy: (attemptsMade, type) => (type === CAPPED_BACKOFF ? cappedBackoff(attemptsMade) : 0) },
  });
  worker.on('closed', () => redis.disconnect());
  requeueStranded(options.db, options.queue).catch((err) => options.log.warn({ err: safeErrorMessage(err) }, 'could not look for replies without a job'));
  return worker;
}
