// The outbound worker: sends an agent's reply through the connector it came from, exactly once.
//
// Exactly once, on platforms without idempotency keys (Telegram), rests on the `sending` state: a reply is
// marked `sending` just before the platform call. A retry that finds it `sending` cannot know whether the
// platform received it (the worker died, or the connection broke, mid-call), so rather than risk a second copy
// the reply ends `failed` with a reason telling the agent to check the chat. Everything that is known not to
// have been delivered (429, 5xx, refused connections, a crash before the call) is retried.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ConnectorError, NetworkError, RateLimitedError } from '../../connectors/errors.ts';
import type { Db } from '../db/client.ts';
import { safeErrorMessage, type Logger } from '../log.ts';
import type { EventBus } from '../pipeline/notify.ts';
import type { ConnectorPool } from '../runtime/connector-pool.ts';
import { QUEUE_NAMES } from './names.ts';
import { redisConnection } from './index.ts';

export const UNCONFIRMED =
  'Delivery unconfirmed: the platform call was interrupted, so the reply may or may not have arrived. Check the chat before sending it again.';

export interface OutboundDeps {
  db: Db;
  pool: ConnectorPool;
  events: EventBus;
  log: Logger;
}

export async function deliverReply(deps: OutboundDeps, job: Job<{ messageId: string }>, token?: string): Promise<void> {
  const { db, pool, events } = deps;
  const { messageId } = job.data;
  const message = await db.message.findUnique({ where: { id: messageId }, include: { conversation: true } });
  if (!message || message.deliveryStatus === 'sent' || message.deliveryStatus === 'failed') return;

  const changed = () => events.publish([{ type: 'message.updated', conversationId: message.conversationId, messageId }]);
  const fail = async (error: string) => {
    await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'failed', deliveryError: error } });
    await changed();
  };

  const pooled = await pool.get(message.connectorId).catch((err) => {
    throw new UnrecoverableError(safeErrorMessage(err));
  });
  if (!pooled) return fail('The connector this conversation came from was deleted.');
  // A disabled connector sends nothing, not even replies queued before it was disabled.
  if (!pooled.record.enabled || pooled.record.deletedAt) return fail('Not sent: the connector was disabled before this reply went out.');
  const { connector } = pooled;
  if (message.deliveryStatus === 'sending' && !connector.idempotentSend) return fail(UNCONFIRMED);

  await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'sending' } });
  try {
    const sent = await connector.send({
      connectorId: message.connectorId,
      externalThreadId: message.conversation.externalThreadId,
      channelId: message.conversation.channelId,
      text: message.text,
      replyToExternalId: message.replyToExternalId ?? undefined,
      idempotencyKey: message.id,
    });
    await db.message.update({
      where: { id: messageId },
      data: { deliveryStatus: 'sent', externalId: sent.externalId, sentAt: sent.sentAt, deliveryError: null },
    });
    await changed();
  } catch (err) {
    const error = err instanceof ConnectorError ? err : new NetworkError(safeErrorMessage(err), true);
    if (error instanceof NetworkError && error.maybeDelivered && !connector.idempotentSend) return fail(UNCONFIRMED);
    if (!error.retryable) return fail(error.message);
    await db.message.update({ where: { id: messageId }, data: { deliveryStatus: 'queued', deliveryError: error.message } });
    if (error instanceof RateLimitedError && token) {
      // Wait exactly as long as the platform asked; this does not use up one of the job's attempts.
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) return fail(`${error.message} (gave up after ${job.attemptsMade + 1} attempts)`);
    throw error;
  }
}

export function startOutboundWorker(options: OutboundDeps & { redisUrl: string; prefix: string }): Worker {
  return new Worker(QUEUE_NAMES.outbound, (job, token) => deliverReply(options, job, token), {
    connection: redisConnection(options.redisUrl),
    prefix: options.prefix,
    concurrency: 16,
  });
}
