// The guard's actions on a public leak: remove the post (where the platform and the bot's rights allow) and tell
// the customer privately what to do now, then warn in public without repeating the secret, saying truthfully
// what was done (and inviting a DM when one could not be sent). Each step is recorded as a GuardAction with a
// deterministic id, so retries never repeat a finished step; a warning whose send was interrupted is not sent
// again (see outbound.ts). A round of actions is named by the findings that called for it (the trigger, see
// guardTrigger): a redelivered post or edit is the same round, an edit that adds a secret is a new one.
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CONNECTOR_ERROR_KINDS, ConnectorError, NetworkError, RateLimitedError } from '../../connectors/errors.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import type { FindingType, Platform } from '../domain/types.ts';
import { privateAdvice, publicWarning } from '../guard/advice.ts';
import { safeErrorMessage, type Logger } from '../log.ts';
import type { EventBus } from '../pipeline/notify.ts';
import type { ConnectorPool } from '../runtime/connector-pool.ts';
import { guardTrigger, QUEUE_NAMES } from './names.ts';
import { createRedis, workerOptions } from './index.ts';
import { UNCONFIRMED } from './outbound.ts';
import { ChatPacer } from './pace.ts';

/**
 * At most one public warning and one private advice per customer and kind of secret in this window, in one
 * conversation (private) or across the customer's public posts on a connector: a phrase split over several posts,
 * in one chat or in two X mentions, is one incident (each post is its own round and is removed), not one advice
 * per post. A secret of another kind is another incident: a recovery phrase posted minutes after an email address
 * still gets its own warning and advice (move your funds), which an earlier heads-up did not give.
 */
export const WARN_WINDOW_MS = 10 * 60_000;

/**
 * Claims, for `round`, the window of every finding type it names that no other round holds (KEYS: one per type;
 * ARGV: round, window in ms). Returns the types' keys this round holds now, its own earlier claims included (a
 * retried job), as a list. Atomic, so two parts of one incident handled at once never both claim a type.
 */
const CLAIM_SCRIPT = `
local held = {}
for _, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if not owner then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    owner = ARGV[1]
  end
  if owner == ARGV[1] then table.insert(held, key) end
end
return held`;

/**
 * Gives back, for `round` (ARGV[1]), every window key (KEYS) it still holds, in one step: a window that expired and
 * was claimed by another round in between stays that round's. Returns how many keys were given back.
 */
const RELEASE_SCRIPT = `
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then released = released + redis.call('DEL', key) end
end
return released`;

export interface ActionsDeps {
  db: Db;
  redis: Redis;
  pool: ConnectorPool;
  events: EventBus;
  log: Logger;
  prefix: string;
}

type Kind = 'remove' | 'dm' | 'warn';
type Status = 'pending' | 'done' | 'not_allowed' | 'failed' | 'skipped';

/**
 * Why a guard action was not done, or was skipped, as a code clients translate (`detailCode`; the English sentence
 * stays in `detail`): a connector error's kind (connectors/errors.ts, the platform's words in `detail`) or one of
 * these.
 */
export const GUARD_DETAIL_CODES = [
  ...CONNECTOR_ERROR_KINDS,
  /** The platform has no way for a bot to remove posts. */
  'cannot_remove',
  /** The bot lacks the right to delete messages in this chat or channel. */
  'no_delete_right',
  /** X hides only replies under the account's own posts. */
  'not_own_reply',
  /** The platform has no way for a bot to write privately, or the author is unknown. */
  'cannot_dm',
  /** Another post of the same incident holds this step. */
  'other_post',
  'unconfirmed',
] as const;
export type GuardDetailCode = (typeof GUARD_DETAIL_CODES)[number];

/** Why `removePublic` said not_allowed, in each platform's terms (X hides replies; the others delete). */
const NOT_REMOVABLE: Record<Platform, { detail: string; detailCode: GuardDetailCode }> = {
  telegram: { detail: 'The bot lacks the right to delete messages in this chat.', detailCode: 'no_delete_right' },
  discord: { detail: 'The bot lacks the right to delete messages in this channel.', detailCode: 'no_delete_right' },
  x: { detail: 'X lets the account hide only replies under its own posts; this post is not one, so it stays visible.', detailCode: 'not_own_reply' },
};

/** `trigger` is absent in jobs queued before rounds were named: they act on the message's current findings. */
export async function protect(deps: ActionsDeps, job: Job<{ messageId: string; trigger?: string }>): Promise<void> {
  const { db, redis, pool, events, prefix } = deps;
  const message = await db.message.findUnique({
    where: { id: job.data.messageId },
    include: { conversation: { include: { contact: true } }, findings: true, guardActions: true },
  });
  if (!message || message.direction !== 'inbound' || message.conversation.visibility !== 'public' || !message.externalId) return;
  const policy = await loadGuardPolicy(db);
  const actionable = message.findings.filter((f) => policy.types[f.type as FindingType].publicAction !== 'none');
  const types = [...new Set(actionable.map((f) => f.type as FindingType))];
  if (!types.length) return;
  const trigger = job.data.trigger ?? guardTrigger(actionable);
  const round = `${message.id}:${trigger}`;
  const pooled = await pool.get(message.connectorId);
  if (!pooled || pooled.record.deletedAt) return;
  const { connector } = pooled;
  const full = types.some((t) => policy.types[t].publicAction === 'remove_warn_dm');
  const language = message.language === 'zh' ? 'zh' : 'en';
  const ours = message.guardActions.filter((a) => a.id.startsWith(`${round}:`));
  const previous = new Map(ours.map((a) => [a.kind as Kind, a.status as Status]));
  /** How a finished removal went: 'deleted', or 'hidden' (X hides replies; anyone can still open them). */
  let removal = ours.find((a) => a.kind === 'remove')?.detail ?? undefined;
  const finished = (kind: Kind) => {
    const s = previous.get(kind);
    return s !== undefined && s !== 'pending' && s !== 'failed';
  };

  /** Records a step's outcome; `why` is the English detail and its code for clients (GUARD_DETAIL_CODES). */
  const record = async (kind: Kind, status: Status, why: { detail?: string; detailCode?: GuardDetailCode } = {}, externalId?: string) => {
    previous.set(kind, status);
    const id = `${round}:${kind}`;
    const { detail } = why;
    const detailCode = why.detailCode ?? null;
    await db.guardAction.upsert({
      where: { id },
      create: { id, messageId: message.id, kind, status, detail, detailCode, externalId },
      update: { status, detail, detailCode, externalId },
    });
    if (status !== 'pending') {
      await audit(db, { actorId: null, action: `guard.${kind}`, targetType: 'message', targetId: message.id, data: { status, detail, types } });
      await events.publish([{ type: 'guard.action', conversationId: message.conversationId, messageId: message.id, kind, status }]);
    }
  };

  const ref = { externalId: message.externalId, externalThreadId: message.conversation.externalThreadId, channelId: message.conversation.channelId };
  const chat = { connectorId: message.connectorId, channelId: ref.channelId, visibility: message.conversation.visibility };
  const pacer = new ChatPacer(redis, prefix);

  /** Runs one platform step: retryable failures retry the job, others are recorded. */
  const attempt = async (kind: Kind, work: () => Promise<{ status: Status; detail?: string; detailCode?: GuardDetailCode; externalId?: string }>) => {
    try {
      const r = await work();
      await record(kind, r.status, r, r.externalId);
    } catch (err) {
      const error = err instanceof ConnectorError ? err : new NetworkError(safeErrorMessage(err), true);
      if (error instanceof RateLimitedError) await pacer.hold(chat, error.retryAfterMs);
      if (error.retryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        // Known not to have arrived (a 429, a refused connection): the retry may post it. Left `pending`, the
        // retry would take it for possibly public and give up on it as unconfirmed.
        if (kind === 'warn' && !(error instanceof NetworkError && error.maybeDelivered)) {
          await db.guardAction.update({ where: { id: `${round}:warn` }, data: { status: 'failed', detail: error.message, detailCode: error.kind } });
        }
        throw error;
      }
      const status = error.kind === 'permission' || error.kind === 'invalid' || error.kind === 'not_found' ? 'not_allowed' : 'failed';
      await record(kind, status, { detail: error.message, detailCode: error.kind });
    }
  };


  // Removing the post and writing privately do not depend on each other: do both at once, then warn.
  const remove = async () => {
    if (!full || finished('remove')) return;
    await attempt('remove', async () => {
      if (!connector.removePublic) return { status: 'not_allowed', detail: 'This platform does not let bots remove posts.', detailCode: 'cannot_remove' };
      const outcome = await connector.removePublic(ref);
      removal = outcome;
      return outcome === 'not_allowed'
        ? { status: 'not_allowed', ...NOT_REMOVABLE[connector.platform] }
        : { status: 'done', detail: outcome };
    });
  };
  // One incident's scope, as the split-phrase window reads parts (pipeline/split-window.ts): in public, all the
  // customer's public posts on the connector (X makes a conversation of every standalone mention); in private, the
  // conversation.
  const scope = message.conversation.visibility === 'public' ? `${message.connectorId}:public` : message.conversationId;
  /** The window keys of this round's types for `what` (see WARN_WINDOW_MS); one hash slot per customer. */
  const windowKeys = (what: 'advised' | 'warned') => types.map((t) => `${prefix}:${what}:{${scope}:${message.authorId}}:${t}`);
  /** Claims the window for the types no other round holds: true when this round holds any (so it goes ahead). */
  const claim = async (what: 'advised' | 'warned') => {
    const held = (await redis.eval(CLAIM_SCRIPT, types.length, ...windowKeys(what), round, WARN_WINDOW_MS)) as string[];
    return held.length > 0;
  };
  /** Gives back what this round claimed, so that a later part of the incident may still act. */
  const release = async (what: 'advised' | 'warned') => {
    await redis.eval(RELEASE_SCRIPT, types.length, ...windowKeys(what), round);
  };
  /** Whether every other round holding this round's advice window did send its advice (the skipped one's stand-in). */
  const adviceSentByOthers = async () => {
    const owners = new Set((await redis.mget(...windowKeys('advised'))).filter((o): o is string => o !== null && o !== round));
    if (!owners.size) return false;
    const done = await db.guardAction.count({ where: { id: { in: [...owners].map((o) => `${o}:dm`) }, status: 'done' } });
    return done === owners.size;
  };

  const advise = async () => {
    if (!full || finished('dm')) return;
    // One advice per incident: the round that claims the window advises, the others skip (see WARN_WINDOW_MS).
    // A round whose advice did not go out gives the claim back, so a later part may still advise.
    if (!(await claim('advised'))) {
      await record('dm', 'skipped', {
        detail: 'The private advice for this kind of secret belongs to another post of the same incident (less than 10 minutes ago); see its outcome there.',
        detailCode: 'other_post',
      });
      return;
    }
    await attempt('dm', async () => {
      if (!connector.openDirect || !message.authorId) return { status: 'not_allowed', detail: 'This platform does not let bots message customers privately.', detailCode: 'cannot_dm' };
      const text = privateAdvice(policy, language, types, { handle: message.conversation.contact.handle });
      const sent = await connector.openDirect({ id: message.authorId }, text);
      // The advice went out: failing to file it must not send it a second time on a retry.
      await recordAdvice(db, events, { connectorId: message.connectorId, contactId: message.conversation.contactId, language, text, ...sent }).catch((err: unknown) =>
        deps.log.warn({ err: safeErrorMessage(err), messageId: message.id }, 'the guard’s private advice was sent but could not be filed in the inbox'),
      );
      return { status: 'done', externalId: sent.externalId };
    });
    const status = previous.get('dm');
    if (status === 'not_allowed' || status === 'failed') await release('advised');
  };
  await Promise.all([remove(), advise()]);

  if (!finished('warn')) {
    // A warning that was pending when an earlier attempt died may already be public: never post it twice.
    if (previous.get('warn') === 'pending' && !connector.idempotentSend) {
      await record('warn', 'failed', { detail: UNCONFIRMED, detailCode: 'unconfirmed' });
      return;
    }
    if (!(await claim('warned'))) {
      await record('warn', 'skipped', {
        detail: 'The public warning for this kind of secret belongs to another post of the same incident (less than 10 minutes ago); see its outcome there.',
        detailCode: 'other_post',
      });
      return;
    }
    // The warning shares the chat's pace with agents' replies (pace.ts); guard warnings are rare, so waiting in
    // place is fine (the job's lock is renewed meanwhile, and nothing is marked pending yet).
    for (let wait = await pacer.claim(chat, connector.chatPace, message.id); wait > 0; wait = await pacer.claim(chat, connector.chatPace, message.id)) {
      await new Promise((r) => setTimeout(r, wait));
    }
    await record('warn', 'pending');
    const dm = previous.get('dm');
    const text = publicWarning(policy, language, types, {
      handle: message.conversation.contact.handle,
      // Said only when true: a hidden X reply can still be opened (the customer is asked to delete it), and a
      // skipped advice counts as sent only when the part of the incident that took it over did send it.
      ...(full ? { removed: previous.get('remove') === 'done' && removal === 'deleted', dmSent: dm === 'done' || (dm === 'skipped' && (await adviceSentByOthers())) } : {}),
    });
    await attempt('warn', async () => {
      const sent = await connector.send({
        connectorId: message.connectorId,
        externalThreadId: ref.externalThreadId,
        channelId: ref.channelId,
        text,
        // Threaded to the leaked post even when it was removed: platforms then show the reply without a quote.
        replyToExternalId: message.externalId!,
        idempotencyKey: `${round}:warn`,
      });
      // The warning is part of the conversation: agents see exactly what the customer saw.
      const stored = await db.message.create({
        data: {
          conversationId: message.conversationId,
          connectorId: message.connectorId,
          direction: 'outbound',
          kind: 'guard_warning',
          externalId: sent.externalId,
          authorName: 'Guard',
          text,
          language,
          deliveryStatus: 'sent',
          sentAt: sent.sentAt,
        },
      });
      await events.publish([{ type: 'message.created', conversationId: message.conversationId, messageId: stored.id }]);
      return { status: 'done', externalId: sent.externalId };
    });
  }
}

/**
 * Files the guard's private advice in the customer's private conversation (creating it when the customer never
 * wrote privately), so the agent who picks that conversation up sees what was already said. Safe to repeat: the
 * message's platform id is unique per connector (an echo of the DM stored first becomes this message).
 */
async function recordAdvice(
  db: Db,
  events: EventBus,
  advice: { connectorId: string; contactId: string; externalThreadId: string; channelId: string; externalId: string; language: string; text: string },
): Promise<void> {
  const now = new Date();
  const conversation = await db.conversation.upsert({
    where: { connectorId_externalThreadId: { connectorId: advice.connectorId, externalThreadId: advice.externalThreadId } },
    create: { connectorId: advice.connectorId, contactId: advice.contactId, visibility: 'private', externalThreadId: advice.externalThreadId, channelId: advice.channelId, lastMessageAt: now },
    update: { lastMessageAt: now },
  });
  const stored = await db.message.upsert({
    where: { connectorId_externalId: { connectorId: advice.connectorId, externalId: advice.externalId } },
    create: {
      conversationId: conversation.id,
      connectorId: advice.connectorId,
      direction: 'outbound',
      kind: 'guard_advice',
      externalId: advice.externalId,
      authorName: 'Guard',
      text: advice.text,
      language: advice.language,
      deliveryStatus: 'sent',
      sentAt: now,
    },
    // The platform's echo of this DM (X's dm.sent) may have been stored first as the account's message: it is
    // the guard's advice.
    update: { kind: 'guard_advice', authorId: null, authorName: 'Guard', language: advice.language },
  });
  await events.publish([
    { type: 'message.created', conversationId: conversation.id, messageId: stored.id },
    { type: 'conversation.updated', conversationId: conversation.id },
  ]);
}

export function startActionsWorker(options: Omit<ActionsDeps, 'redis' | 'prefix'> & { redisUrl: string; prefix: string }): Worker {
  const redis = createRedis(options.redisUrl, (err) => options.log.warn({ err: safeErrorMessage(err) }, 'redis connection trouble'));
  const deps = { ...options, redis };
  const worker = new Worker(QUEUE_NAMES.actions, (job) => protect(deps, job), {
    ...workerOptions(options.redisUrl, options.prefix),
    concurrency: 16,
  });
  worker.on('closed', () => redis.disconnect());
  return worker;
}
