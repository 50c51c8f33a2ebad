// Conversations and messages as the API shows them (shapes in contract.ts), and the inbox's list query: filters,
// search and the triage sort (urgent first, then flagged, then newest) with a keyset cursor.
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import type { Db, Prisma } from '../db/client.ts';
import type { Platform, Visibility } from '../domain/types.ts';
import type { Conversation, ConversationDetail, ConversationListQuerySchema, FindingType, Language, Message, Priority } from './contract.ts';
import { HttpError } from './errors.ts';
import type { z } from 'zod';

const PREVIEW_LENGTH = 140;

export const conversationInclude = {
  contact: { select: { id: true, displayName: true, handle: true } },
  connector: { select: { platform: true, name: true, enabled: true, deletedAt: true } },
  assignee: { select: { id: true, name: true } },
} satisfies Prisma.ConversationInclude;

type Latest = { text: string; language: string | null };

/**
 * Each conversation's latest customer words (masked), for previews: never the bot's warning or an agent's
 * reply. One index probe per conversation (Prisma's `take: 1` per relation read whole threads).
 */
async function latestCustomerWords(db: Db, conversationIds: string[]): Promise<Map<string, Latest>> {
  if (!conversationIds.length) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ id: string } & Latest>>(
    `select c.id, m.text, m.language
       from unnest($1::text[]) as c(id)
       cross join lateral (select text, language from "Message"
                            where "conversationId" = c.id and direction = 'inbound'
                            order by "createdAt" desc, seq desc limit 1) m`,
    conversationIds,
  );
  return new Map(rows.map((r) => [r.id, { text: r.text, language: r.language }]));
}

type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

/** The kinds of sensitive data found in each conversation, for the list's flags. */
export async function findingTypesOf(db: Db, conversationIds: string[]): Promise<Map<string, FindingType[]>> {
  if (!conversationIds.length) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ conversationId: string; types: FindingType[] }>>(
    `select m."conversationId", array_agg(distinct f.type order by f.type) as types
       from "Finding" f join "Message" m on m.id = f."messageId"
      where m."conversationId" = any($1::text[])
      group by m."conversationId"`,
    conversationIds,
  );
  return new Map(rows.map((r) => [r.conversationId, r.types]));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const asLanguage = (l: string | null | undefined): Language | null => (l === 'zh' || l === 'en' ? l : null);

export function conversationView(c: ConversationRow, latest: Latest | undefined, findingTypes: FindingType[] = [], now = new Date()): Conversation {
  return {
    id: c.id,
    platform: c.connector.platform,
    connectorId: c.connectorId,
    connectorName: c.connector.name,
    connectorEnabled: c.connector.enabled && !c.connector.deletedAt,
    visibility: c.visibility,
    status: c.status,
    priority: c.priority,
    intent: c.intent,
    language: asLanguage(latest?.language),
    contact: c.contact,
    lastMessageAt: c.lastMessageAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    flagged: c.flagged,
    findingTypes,
    assigneeId: c.assigneeId,
    assignee: c.assignee,
    preview: latest?.text.slice(0, PREVIEW_LENGTH) ?? '',
    firstResponseDueAt: iso(c.firstResponseDueAt),
    firstRespondedAt: iso(c.firstRespondedAt),
    overdue: Boolean(c.firstResponseDueAt && !c.firstRespondedAt && c.status !== 'resolved' && c.firstResponseDueAt < now),
  };
}

/** Loads conversations by id, in the order given, as list items. */
export async function loadConversations(db: Db, ids: string[]): Promise<Conversation[]> {
  if (!ids.length) return [];
  const [rows, latest, types] = await Promise.all([
    db.conversation.findMany({ where: { id: { in: ids } }, include: conversationInclude }),
    latestCustomerWords(db, ids),
    findingTypesOf(db, ids),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = new Date();
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [conversationView(row, latest.get(id), types.get(id), now)] : [];
  });
}

/** The longest reply the platform takes in this conversation (X: 280 in public, 10,000 in DMs). */
function replyMaxLength(registry: ConnectorRegistry, platform: Platform, visibility: Visibility): number {
  const definition = registry.get(platform);
  return definition?.replyLength?.('', visibility).max ?? definition?.maxReplyLength ?? 2000;
}

/** One conversation with what its detail view adds; null when there is none with this id. */
export async function loadConversationDetail(db: Db, registry: ConnectorRegistry, id: string): Promise<ConversationDetail | null> {
  const row = await db.conversation.findUnique({ where: { id }, include: conversationInclude });
  if (!row) return null;
  const [latest, types] = await Promise.all([latestCustomerWords(db, [id]), findingTypesOf(db, [id])]);
  return {
    ...conversationView(row, latest.get(id), types.get(id)),
    externalThreadId: row.externalThreadId,
    replyMaxLength: replyMaxLength(registry, row.connector.platform, row.visibility),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The list query

/** Sort key of the list (priority, flagged, lastMessageAt, id); the cursor is the last item's key. */
interface CursorKey {
  p: Priority;
  f: boolean;
  at: string;
  id: string;
}
const PRIORITY_VALUES = new Set<string>(['urgent', 'high', 'normal', 'low']);
const encodeCursor = (k: CursorKey) => Buffer.from(JSON.stringify(k)).toString('base64url');
function decodeCursor(cursor: string): CursorKey {
  try {
    const k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (PRIORITY_VALUES.has(k.p) && typeof k.f === 'boolean' && typeof k.id === 'string' && !Number.isNaN(Date.parse(k.at))) return k;
  } catch {}
  throw new HttpError(400, 'invalid_request', 'cursor: must be a nextCursor this API returned.', { cursor: 'must be a nextCursor this API returned' });
}

/** `q` as an ILIKE pattern matching it anywhere, with LIKE's wildcards taken literally. */
const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const HAN = /[\u4e00-\u9fff]/;
/** Adjacent pairs of CJK characters, as the SQL function inbox_han_bigrams indexes them. */
function hanBigrams(text: string): string[] {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) if (HAN.test(text[i]!) && HAN.test(text[i + 1]!)) pairs.add(text.slice(i, i + 2));
  return [...pairs];
}

/** Above this many matching messages, the list walks conversations in sort order and checks each one. */
const MANY_HITS = 500;

/**
 * The WHERE condition for a search. Message text is matched through the trigram index, or, when the query has
 * two adjacent Chinese characters, through the CJK bigram index (trigrams cannot serve 到账); contacts by name
 * and handle the same way. Two plans, chosen by a capped count of matching messages: few matches are joined
 * directly; many (a common word) are found by walking the list in sort order and checking each conversation,
 * which stops after one page instead of collecting every match.
 */
async function searchCondition(db: Db, q: string, p: (value: unknown, cast?: string) => string): Promise<string> {
  const pattern = p(containsPattern(q));
  const pairs = hanBigrams(q);
  const bigrams = pairs.length ? p(pairs, '::text[]') : null;
  const textMatches = (column: string) => (bigrams ? `inbox_han_bigrams(${column}) @> ${bigrams} and ${column} ilike ${pattern}` : `${column} ilike ${pattern}`);
  // Handles are ASCII on every platform we serve: a query with Chinese characters only looks at names.
  const contacts = bigrams
    ? `select id from "Contact" where ${textMatches('"displayName"')}`
    : `select id from "Contact" where "displayName" ilike ${pattern} union select id from "Contact" where handle ilike ${pattern}`;
  const countParams = [containsPattern(q), ...(pairs.length ? [pairs] : [])];
  const countSql = `select count(*)::int as n from (select 1 from "Message" m where ${
    pairs.length ? 'inbox_han_bigrams(m.text) @> $2::text[] and m.text ilike $1' : 'm.text ilike $1'
  } limit ${MANY_HITS}) s`;
  const [count] = await db.$queryRawUnsafe<Array<{ n: number }>>(countSql, ...countParams);
  if ((count?.n ?? 0) >= MANY_HITS) {
    // A scalar subquery with LIMIT stays a per-row check: PostgreSQL cannot turn it into a join that would
    // collect every match first.
    return `((select true from "Message" m where m."conversationId" = c.id and ${textMatches('m.text')} limit 1) or c."contactId" in (${contacts}))`;
  }
  return `c.id in (select m."conversationId" from "Message" m where ${textMatches('m.text')}
                   union select x.id from "Conversation" x where x."contactId" in (${contacts}))`;
}

type ListQuery = z.output<typeof ConversationListQuerySchema>;

/**
 * One page of the inbox. `q` matches contact names and handles and the (masked) text of any message of the
 * conversation, as a case-insensitive substring in any script (see searchCondition). Raw SQL because Prisma
 * cannot express the mixed-direction keyset or the search.
 */
export async function listConversations(db: Db, q: ListQuery): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const p = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const where: string[] = [];
  if (q.status) where.push(`c.status = ${p(q.status, '::"ConversationStatus"')}`);
  if (q.visibility) where.push(`c.visibility = ${p(q.visibility, '::"Visibility"')}`);
  if (q.flagged !== undefined) where.push(`c.flagged = ${p(q.flagged, '::boolean')}`);
  if (q.priority) where.push(`c.priority = ${p(q.priority, '::"Priority"')}`);
  if (q.intent) where.push(`c.intent = ${p(q.intent, '::"Intent"')}`);
  if (q.assigneeId) where.push(`c."assigneeId" = ${p(q.assigneeId)}`);
  if (q.contactId) where.push(`c."contactId" = ${p(q.contactId)}`);
  if (q.platform) where.push(`c."connectorId" in (select id from "Connector" where platform = ${p(q.platform, '::"Platform"')})`);
  if (q.overdue !== undefined) {
    const overdue = `(c."firstRespondedAt" is null and c.status <> 'resolved' and c."firstResponseDueAt" < ${p(new Date().toISOString(), '::timestamp')})`;
    where.push(q.overdue ? overdue : `not coalesce(${overdue}, false)`);
  }
  if (q.q) where.push(await searchCondition(db, q.q, p));
  if (q.cursor) {
    const k = decodeCursor(q.cursor);
    const [pr, f, at, id] = [p(k.p, '::"Priority"'), p(k.f, '::boolean'), p(k.at, '::timestamp'), p(k.id)];
    where.push(`(c.priority > ${pr} or (c.priority = ${pr} and (c.flagged < ${f} or (c.flagged = ${f} and
                 (c."lastMessageAt" < ${at} or (c."lastMessageAt" = ${at} and c.id < ${id}))))))`);
  }
  const rows = await db.$queryRawUnsafe<Array<{ id: string; priority: Priority; flagged: boolean; lastMessageAt: Date }>>(
    `select c.id, c.priority, c.flagged, c."lastMessageAt" from "Conversation" c
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by c.priority, c.flagged desc, c."lastMessageAt" desc, c.id desc
      limit ${p(q.limit + 1, '::int')}`,
    ...params,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await loadConversations(db, page.map((r) => r.id)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ p: last.priority, f: last.flagged, at: new Date(last.lastMessageAt).toISOString(), id: last.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Messages

export const messageInclude = {
  findings: { orderBy: { start: 'asc' } },
  guardActions: { orderBy: { createdAt: 'asc' } },
  sentBy: { select: { id: true, name: true } },
} satisfies Prisma.MessageInclude;

type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

function authorOf(m: MessageRow): Message['author'] {
  if (m.kind !== 'message') return { kind: 'guard', id: null, name: m.authorName ?? 'Guard' };
  if (m.direction === 'inbound') return { kind: 'customer', id: m.authorId, name: m.authorName };
  if (m.sentById || m.sentBy) return { kind: 'agent', id: m.sentBy?.id ?? m.sentById, name: m.sentBy?.name ?? m.authorName };
  return { kind: 'bot', id: m.authorId, name: m.authorName };
}

export function messageView(m: MessageRow): Message {
  const delivery: Message['delivery'] =
    m.direction === 'inbound'
      ? { status: 'sent', ...(m.externalId ? { externalId: m.externalId } : {}) }
      : {
          // `sending` is internal: to a reader the reply is still on its way.
          status: m.deliveryStatus === 'sending' || !m.deliveryStatus ? 'queued' : m.deliveryStatus,
          ...(m.externalId ? { externalId: m.externalId } : {}),
          ...(m.deliveryStatus !== 'sent' && m.deliveryError ? { error: m.deliveryError } : {}),
          ...(m.deliveryStatus !== 'sent' && m.deliveryErrorCode ? { errorCode: m.deliveryErrorCode } : {}),
        };
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    kind: m.kind,
    author: authorOf(m),
    text: m.text,
    language: asLanguage(m.language),
    findings: m.findings.map((f) => ({ type: f.type as FindingType, start: f.start, end: f.end, masked: f.masked })),
    guardActions: m.guardActions.map((a) => ({ kind: a.kind, status: a.status, detail: a.detail, detailCode: a.detailCode, at: a.updatedAt.toISOString() })),
    createdAt: m.createdAt.toISOString(),
    editedAt: iso(m.editedAt),
    deletedAt: iso(m.deletedAt),
    delivery,
  };
}
