// The inbox: conversations, their messages, agents' replies (checked by the guard before they go out) and
// triage changes.
import { Router } from 'express';
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import { audit } from '../db/audit.ts';
import type { Db, Prisma } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { enqueueOutbound, type Queues } from '../queues/index.ts';
import { checkReply, secretInReply } from '../workspace/reply-guard.ts';
import { ConversationListQuerySchema, ConversationPatchSchema, MessageListQuerySchema, ReplyRequestSchema, type MessageList } from './contract.ts';
import { listConversations, loadConversationDetail, messageInclude, messageView } from './conversation-views.ts';
import { HttpError, Id, notFound, parse, parseQuery } from './errors.ts';

const MESSAGE_LIMIT = 1000;

export function conversationsRouter(deps: { db: Db; queues: Queues; events: EventBus; registry: ConnectorRegistry }): Router {
  const { db, queues, events, registry } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    res.json(await listConversations(db, parseQuery(ConversationListQuerySchema, req.query)));
  });

  router.get('/:id', async (req, res) => {
    const detail = await loadConversationDetail(db, registry, parse(Id, req.params.id, 'id'));
    if (!detail) throw notFound('No such conversation.');
    res.json(detail);
  });

  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(ConversationPatchSchema, req.body);
    if (patch.assigneeId) {
      const assignee = await db.user.findUnique({ where: { id: patch.assigneeId } });
      if (!assignee?.active) throw new HttpError(400, 'invalid_request', 'assigneeId: no active user has this id.', { assigneeId: 'no active user has this id' });
    }
    const exists = await db.conversation.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw notFound('No such conversation.');
    // Resolving clears the flag (flagged conversations sort first until someone has dealt with them) and the
    // first-response timer: the customer's next message starts a new one.
    const resolving = patch.status === 'resolved' ? { flagged: false, firstResponseDueAt: null, firstRespondedAt: null } : {};
    await db.conversation.update({
      where: { id },
      data: { status: patch.status, assigneeId: patch.assigneeId, priority: patch.priority, intent: patch.intent, ...resolving },
    });
    await audit(db, { actorId: req.user!.id, action: 'conversation.update', targetType: 'conversation', targetId: id, data: patch });
    await events.publish([{ type: 'conversation.updated', conversationId: id }]);
    res.json(await loadConversationDetail(db, registry, id));
  });

  router.get('/:id/messages', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const { limit = MESSAGE_LIMIT, before } = parseQuery(MessageListQuerySchema, req.query);
    const exists = await db.conversation.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw notFound('No such conversation.');
    let older: Prisma.MessageWhereInput = {};
    if (before) {
      const anchor = await db.message.findFirst({ where: { id: before, conversationId: id }, select: { createdAt: true, seq: true } });
      if (!anchor) throw new HttpError(400, 'invalid_request', 'before: must be the id of a message in this conversation.', { before: 'must be the id of a message in this conversation' });
      older = { OR: [{ createdAt: { lt: anchor.createdAt } }, { createdAt: anchor.createdAt, seq: { lt: anchor.seq } }] };
    }
    const rows = await db.message.findMany({
      where: { conversationId: id, ...older },
      orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
      take: limit + 1,
      include: messageInclude,
    });
    const body: MessageList = { items: rows.slice(0, limit).reverse().map(messageView), hasMore: rows.length > limit };
    res.json(body);
  });

  router.post('/:id/messages', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const { text } = parse(ReplyRequestSchema, req.body);
    const conversation = await db.conversation.findUnique({ where: { id }, include: { connector: true } });
    if (!conversation) throw notFound('No such conversation.');
    const definition = registry.get(conversation.connector.platform);
    const { length, max } = definition?.replyLength?.(text, conversation.visibility) ?? { length: text.length, max: definition?.maxReplyLength ?? 2000 };
    if (length > max) {
      const counted = length !== text.length ? ` (this one counts ${length}: ${conversation.connector.platform} counts some characters twice)` : '';
      throw new HttpError(400, 'invalid_request', `text: must have at most ${max} characters on ${conversation.connector.platform}${counted}.`, { text: `must have at most ${max} characters` });
    }
    // Support never sends secrets: the reply is refused before anything is stored or queued.
    const check = checkReply(text, conversation.visibility, await loadGuardPolicy(db));
    if (check.blocked.length) throw secretInReply(check.blocked);
    if (conversation.connector.deletedAt) throw new HttpError(409, 'connector_deleted', 'The connector this conversation came from was deleted; replies cannot be sent.');
    if (!conversation.connector.enabled) {
      throw new HttpError(409, 'connector_disabled', `The connector "${conversation.connector.name}" is disabled; an admin must enable it before replies can be sent.`, undefined, {
        connector: conversation.connector.name,
      });
    }
    // Thread the reply to the customer's latest message.
    const lastInbound = await db.message.findFirst({
      where: { conversationId: id, direction: 'inbound' },
      orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
      select: { externalId: true },
    });
    const message = await db.$transaction(async (tx) => {
      const m = await tx.message.create({
        data: {
          conversationId: id,
          connectorId: conversation.connectorId,
          direction: 'outbound',
          // Masked by the same policy as customers' messages (a no-op for a reply the guard let through,
          // kept so that stored text never depends on the refusal above alone).
          text: check.masked.text,
          authorId: req.user!.id,
          authorName: req.user!.name,
          sentById: req.user!.id,
          replyToExternalId: lastInbound?.externalId ?? null,
          deliveryStatus: 'queued',
          findings: { create: check.masked.findings },
        },
        include: messageInclude,
      });
      await tx.conversation.update({ where: { id }, data: { lastMessageAt: m.createdAt } });
      // The first-response timer stops at the first agent reply.
      await tx.conversation.updateMany({ where: { id, firstResponseDueAt: { not: null }, firstRespondedAt: null }, data: { firstRespondedAt: m.createdAt } });
      await audit(tx, { actorId: req.user!.id, action: 'message.reply', targetType: 'conversation', targetId: id, data: { messageId: m.id } });
      return m;
    });
    await enqueueOutbound(queues.outbound, message.id);
    await events.publish([
      { type: 'message.created', conversationId: id, messageId: message.id },
      { type: 'conversation.updated', conversationId: id },
    ]);
    res.status(202).json(messageView(message));
  });

  return router;
}
