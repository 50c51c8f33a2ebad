// The inbox: conversations, their messages, and agents' replies.
import { Router } from 'express';
import { z } from 'zod';
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import { audit } from '../db/audit.ts';
import type { Db, Prisma } from '../db/client.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { enqueueOutbound, type Queues } from '../queues/index.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';

const PAGE_SIZE = 50;
const MESSAGE_LIMIT = 1000;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const ListQuery = z.object({
  status: z.enum(['open', 'pending', 'resolved']).optional(),
  platform: z.enum(['telegram', 'discord', 'x']).optional(),
  visibility: z.enum(['public', 'private']).optional(),
  flagged: bool.optional(),
  assigneeId: z.string().uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(PAGE_SIZE),
});
const Patch = z
  .object({ status: z.enum(['open', 'pending', 'resolved']).optional(), assigneeId: z.string().uuid().nullable().optional() })
  .strict();
const Reply = z.object({ text: z.string().trim().min(1, 'must not be empty') });

/** Sort key of the list: flagged first, then newest first. The cursor is the last item's key. */
interface CursorKey {
  flagged: boolean;
  at: string;
  id: string;
}
const encodeCursor = (k: CursorKey) => Buffer.from(JSON.stringify(k)).toString('base64url');
function decodeCursor(cursor: string): CursorKey {
  try {
    const k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof k.flagged === 'boolean' && typeof k.id === 'string' && !Number.isNaN(Date.parse(k.at))) return k;
  } catch {}
  throw new HttpError(400, 'invalid_request', 'cursor: not a cursor this API returned', { cursor: 'invalid' });
}

const conversationInclude = {
  contact: { select: { id: true, displayName: true, handle: true } },
  connector: { select: { platform: true, name: true } },
  assignee: { select: { id: true, name: true, email: true } },
  messages: { orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }], take: 1, select: { text: true, direction: true } },
} satisfies Prisma.ConversationInclude;

type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

/** The kinds of sensitive data found in each conversation, for the list's flags. */
async function findingTypesOf(db: Db, conversationIds: string[]): Promise<Map<string, string[]>> {
  if (!conversationIds.length) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ conversationId: string; types: string[] }>>(
    `select m."conversationId", array_agg(distinct f.type order by f.type) as types
       from "Finding" f join "Message" m on m.id = f."messageId"
      where m."conversationId" = any($1::text[])
      group by m."conversationId"`,
    conversationIds,
  );
  return new Map(rows.map((r) => [r.conversationId, r.types]));
}

function conversationView(c: ConversationRow, findingTypes: string[] = []) {
  return {
    id: c.id,
    platform: c.connector.platform,
    connectorId: c.connectorId,
    connectorName: c.connector.name,
    visibility: c.visibility,
    status: c.status,
    contact: c.contact,
    lastMessageAt: c.lastMessageAt,
    flagged: c.flagged,
    findingTypes,
    assigneeId: c.assigneeId,
    preview: c.messages[0]?.text.slice(0, 140) ?? '',
    createdAt: c.createdAt,
  };
}

export function conversationsRouter(deps: { db: Db; queues: Queues; events: EventBus; registry: ConnectorRegistry }): Router {
  const { db, queues, events, registry } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parse(ListQuery, req.query, 'query');
    const where: Prisma.ConversationWhereInput = {
      status: q.status,
      visibility: q.visibility,
      flagged: q.flagged,
      assigneeId: q.assigneeId,
      connector: q.platform ? { platform: q.platform } : undefined,
    };
    if (q.cursor) {
      const k = decodeCursor(q.cursor);
      const at = new Date(k.at);
      where.OR = [
        ...(k.flagged ? [{ flagged: false }] : []),
        { flagged: k.flagged, lastMessageAt: { lt: at } },
        { flagged: k.flagged, lastMessageAt: at, id: { lt: k.id } },
      ];
    }
    const rows = await db.conversation.findMany({
      where,
      include: conversationInclude,
      orderBy: [{ flagged: 'desc' }, { lastMessageAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const types = await findingTypesOf(db, page.map((c) => c.id));
    res.json({
      items: page.map((c) => conversationView(c, types.get(c.id))),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ flagged: last.flagged, at: last.lastMessageAt.toISOString(), id: last.id }) : null,
    });
  });

  router.get('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const c = await db.conversation.findUnique({ where: { id }, include: conversationInclude });
    if (!c) throw notFound('No such conversation.');
    const types = await findingTypesOf(db, [c.id]);
    res.json({ ...conversationView(c, types.get(c.id)), assignee: c.assignee, externalThreadId: c.externalThreadId });
  });

  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(Patch, req.body);
    if (patch.assigneeId) {
      const assignee = await db.user.findUnique({ where: { id: patch.assigneeId } });
      if (!assignee?.active) throw new HttpError(400, 'invalid_request', 'assigneeId: no active user with this id', { assigneeId: 'no active user with this id' });
    }
    const exists = await db.conversation.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw notFound('No such conversation.');
    // Resolving clears the flag: flagged conversations sort first until someone has dealt with them.
    const c = await db.conversation.update({
      where: { id },
      data: { status: patch.status, assigneeId: patch.assigneeId, ...(patch.status === 'resolved' ? { flagged: false } : {}) },
      include: conversationInclude,
    });
    await audit(db, { actorId: req.user!.id, action: 'conversation.update', targetType: 'conversation', targetId: id, data: patch });
    await events.publish([{ type: 'conversation.updated', conversationId: id }]);
    const types = await findingTypesOf(db, [c.id]);
    res.json({ ...conversationView(c, types.get(c.id)), assignee: c.assignee });
  });

  router.get('/:id/messages', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const exists = await db.conversation.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw notFound('No such conversation.');
    const rows = await db.message.findMany({
      where: { conversationId: id },
      orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
      take: MESSAGE_LIMIT,
      include: {
        findings: { orderBy: { start: 'asc' } },
        guardActions: { orderBy: { createdAt: 'asc' } },
        sentBy: { select: { id: true, name: true } },
      },
    });
    res.json({ items: rows.reverse().map(messageView) });
  });

  router.post('/:id/messages', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const { text } = parse(Reply, req.body);
    const conversation = await db.conversation.findUnique({ where: { id }, include: { connector: true } });
    if (!conversation) throw notFound('No such conversation.');
    const max = registry.get(conversation.connector.platform)?.maxReplyLength ?? 2000;
    if (text.length > max) throw new HttpError(400, 'invalid_request', `text: at most ${max} characters on ${conversation.connector.platform}`, { text: `at most ${max} characters` });
    if (conversation.connector.deletedAt) throw new HttpError(409, 'connector_deleted', 'The connector this conversation came from was deleted; replies cannot be sent.');
    if (!conversation.connector.enabled) {
      throw new HttpError(409, 'connector_disabled', `The connector "${conversation.connector.name}" is disabled; an admin must enable it before replies can be sent.`);
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
          text,
          authorId: req.user!.id,
          authorName: req.user!.name,
          sentById: req.user!.id,
          replyToExternalId: lastInbound?.externalId ?? null,
          deliveryStatus: 'queued',
        },
        include: { findings: true, guardActions: true, sentBy: { select: { id: true, name: true } } },
      });
      await tx.conversation.update({ where: { id }, data: { lastMessageAt: m.createdAt } });
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

type MessageRow = Prisma.MessageGetPayload<{
  include: { findings: true; guardActions: true; sentBy: { select: { id: true; name: true } } };
}>;

export function messageView(m: MessageRow) {
  const delivery =
    m.direction === 'inbound'
      ? { status: 'sent' as const, externalId: m.externalId ?? undefined }
      : {
          // `sending` is internal: to a reader the reply is still on its way.
          status: m.deliveryStatus === 'sending' || !m.deliveryStatus ? ('queued' as const) : m.deliveryStatus,
          ...(m.externalId ? { externalId: m.externalId } : {}),
          ...(m.deliveryStatus !== 'sent' && m.deliveryError ? { error: m.deliveryError } : {}),
        };
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    author: m.direction === 'outbound' ? { id: m.sentBy?.id ?? m.authorId, name: m.sentBy?.name ?? m.authorName } : { id: m.authorId, name: m.authorName },
    text: m.text,
    findings: m.findings.map((f) => ({ type: f.type, start: f.start, end: f.end, masked: f.masked })),
    guardActions: m.guardActions.map((a) => ({ kind: a.kind, status: a.status, detail: a.detail, at: a.updatedAt })),
    createdAt: m.createdAt,
    /** Set when the customer edited the message on the platform: `text` is then its latest version. */
    editedAt: m.editedAt,
    /** Set when the message was deleted on the platform; agents still see its masked text. */
    deletedAt: m.deletedAt,
    delivery,
  };
}
