// Stage 4: store a batch of guarded messages in one transaction: contacts and their platform identities,
// conversations, messages and findings, new versions of edited messages and deletions. Writing a batch at once
// (group commit) is what lets the pipeline keep up with thousands of messages a second, and this hot path speaks
// SQL to pg directly: Prisma's per-query overhead on batch statements cost more than the database work itself.
// Every write is idempotent (upserts on the unique keys; an edit replaces the stored version only when it is at
// least as new; a deletion only marks), so a batch can be replayed safely.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { checkOut } from '../db/client.ts';
import type { InboundDeletion, Visibility } from '../domain/types.ts';
import type { GuardedMessage, StoredFinding } from './guard.ts';

export interface StoredMessage {
  id: string;
  conversationId: string;
  connectorId: string;
  contactId: string;
  externalId: string;
  externalThreadId: string;
  channelId: string;
  visibility: Visibility;
  authorId: string;
  /** `outbound`: the account's own message (see InboundMessage.direction), stored as sent. */
  direction: 'inbound' | 'outbound';
  findings: StoredFinding[];
  language: 'zh' | 'en';
  createdAt: Date;
  /**
   * What this batch did to it: `created` (a new row), `edited` (a newer version replaced the stored text and
   * findings) or `repeated` (nothing: already stored at least as new; listed only when it has findings, so that
   * actions lost after an earlier commit can be handed out again).
   */
  change: 'created' | 'edited' | 'repeated';
}

/** A stored message that this batch marked deleted. */
export interface DeletedMessage {
  id: string;
  conversationId: string;
}

export interface PersistResult {
  messages: StoredMessage[];
  deleted: DeletedMessage[];
}

type Message = GuardedMessage['message'];
const key = (a: string, b: string) => `${a}\n${b}`;
/** The customer of a message's conversation: its author, or for the account's own messages their recipient. */
const customerOf = (m: Message) => (m.direction === 'outbound' && m.recipient ? m.recipient : m.author);
const isOutbound = (m: Message) => m.direction === 'outbound';
const column = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);

/** Finds or creates the contact behind each (connector, platform user); returns identity key → contact id. */
async function contactsFor(client: pg.PoolClient, authors: Message[]): Promise<Map<string, string>> {
  const lookup = async () => {
    const { rows } = await client.query<{ connectorId: string; platformUserId: string; contactId: string }>(
      `select i."connectorId", i."platformUserId", i."contactId"
         from "ContactIdentity" i
         join unnest($1::text[], $2::text[]) as k(c, u) on i."connectorId" = k.c and i."platformUserId" = k.u`,
      [column(authors, (m) => m.connectorId), column(authors, (m) => customerOf(m).id)],
    );
    return new Map(rows.map((r) => [key(r.connectorId, r.platformUserId), r.contactId]));
  };
  const found = await lookup();
  const missing = authors.filter((m) => !found.has(key(m.connectorId, customerOf(m).id))).map((m) => ({ m, contactId: randomUUID() }));
  if (!missing.length) return found;
  await client.query(
    `insert into "Contact" (id, "displayName", handle, language)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [
      column(missing, (x) => x.contactId),
      column(missing, (x) => customerOf(x.m).displayName || customerOf(x.m).handle || customerOf(x.m).id),
      column(missing, (x) => customerOf(x.m).handle ?? null),
      column(missing, (x) => customerOf(x.m).languageHint ?? null),
    ],
  );
  const { rows: linked } = await client.query<{ contactId: string }>(
    `insert into "ContactIdentity" (id, "connectorId", "platformUserId", handle, "displayName", "contactId")
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     on conflict ("connectorId", "platformUserId") do nothing
     returning "contactId"`,
    [
      column(missing, () => randomUUID()),
      column(missing, (x) => x.m.connectorId),
      column(missing, (x) => customerOf(x.m).id),
      column(missing, (x) => customerOf(x.m).handle ?? null),
      column(missing, (x) => customerOf(x.m).displayName ?? null),
      column(missing, (x) => x.contactId),
    ],
  );
  if (linked.length < missing.length) {
    // Another writer linked some of these users first: drop the contacts we made for them.
    const kept = new Set(linked.map((r) => r.contactId));
    await client.query(`delete from "Contact" where id = any($1::text[])`, [missing.map((x) => x.contactId).filter((id) => !kept.has(id))]);
  }
  return lookup();
}

interface ConversationRef {
  id: string;
  contactId: string;
}

/** The stored conversations of these threads: thread key → conversation. */
async function findConversations(client: pg.PoolClient, threads: Message[]): Promise<Map<string, ConversationRef>> {
  const { rows } = await client.query<{ id: string; connectorId: string; externalThreadId: string; contactId: string }>(
    `select c.id, c."connectorId", c."externalThreadId", c."contactId"
       from "Conversation" c
       join unnest($1::text[], $2::text[]) as k(c, t) on c."connectorId" = k.c and c."externalThreadId" = k.t`,
    [column(threads, (m) => m.connectorId), column(threads, (m) => m.externalThreadId)],
  );
  return new Map(rows.map((r) => [key(r.connectorId, r.externalThreadId), { id: r.id, contactId: r.contactId }]));
}

/**
 * Finds or creates one conversation per (connector, external thread); returns thread key → conversation. Most
 * batches only continue existing conversations: one lookup serves them, and contacts are looked up (or created)
 * only for the threads that are new.
 */
async function conversationsFor(client: pg.PoolClient, threads: Message[]): Promise<Map<string, ConversationRef>> {
  const found = await findConversations(client, threads);
  const missing = threads.filter((m) => !found.has(key(m.connectorId, m.externalThreadId)));
  if (!missing.length) return found;
  const contacts = await contactsFor(client, distinctBy(missing, (m) => key(m.connectorId, customerOf(m).id)));
  await client.query(
    `insert into "Conversation" (id, "connectorId", "contactId", visibility, "externalThreadId", "channelId", "lastMessageAt")
     select id, c, contact, v::"Visibility", t, ch, at from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       as x(id, c, contact, v, t, ch, at)
     on conflict ("connectorId", "externalThreadId") do nothing`,
    [
      column(missing, () => randomUUID()),
      column(missing, (m) => m.connectorId),
      column(missing, (m) => contacts.get(key(m.connectorId, customerOf(m).id))!),
      column(missing, (m) => m.visibility),
      column(missing, (m) => m.externalThreadId),
      column(missing, (m) => m.channelId),
      column(missing, (m) => m.createdAt),
    ],
  );
  for (const [k, conversation] of await findConversations(client, missing)) found.set(k, conversation);
  return found;
}

/**
 * The distinct items by key, in key order. Concurrent batches then take the unique-index locks of new rows in
 * the same order, so they wait for each other instead of deadlocking.
 */
function distinctBy<T>(items: T[], by: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(by(item))) seen.set(by(item), item);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/** The newest version of each message in the batch (an edit beats the post, a later edit an earlier one), in key order. */
function newestVersions(batch: GuardedMessage[]): GuardedMessage[] {
  const version = (g: GuardedMessage) => (g.message.kind === 'edited' ? (g.message.editedAt?.getTime() ?? 0) : -1);
  const best = new Map<string, GuardedMessage>();
  for (const g of batch) {
    const k = key(g.message.connectorId, g.message.externalId);
    const current = best.get(k);
    if (!current || version(g) > version(current)) best.set(k, g);
  }
  return [...best.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

async function storeMessages(client: pg.PoolClient, batch: GuardedMessage[]): Promise<StoredMessage[]> {
  if (!batch.length) return [];
  const messages = batch.map((g) => g.message);
  const conversations = await conversationsFor(client, distinctBy(messages, (m) => key(m.connectorId, m.externalThreadId)));
  const rows = newestVersions(batch).map((g) => ({
    g,
    id: randomUUID(),
    conversation: conversations.get(key(g.message.connectorId, g.message.externalThreadId))!,
  }));

  // New rows are inserted (the account's own messages as sent replies); an edit of a customer's message replaces the stored version when it is newer (or as new with other text: a
  // platform stamping edits to the second may edit twice within one). Returned: what was inserted or replaced.
  const { rows: written } = await client.query<{ id: string; connectorId: string; externalId: string; conversationId: string }>(
    `insert into "Message" (id, "conversationId", "connectorId", direction, "externalId", "replyToExternalId", "authorId", "authorName", text, language, "createdAt", "editedAt", "deliveryStatus", "sentAt")
     select id, conv, c, dir::"Direction", ext, reply, author, name, body, lang, at, edited,
            case when dir = 'outbound' then 'sent'::"DeliveryStatus" end, case when dir = 'outbound' then at end
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[])
         as x(id, conv, c, ext, reply, author, name, body, lang, at, edited, dir)
     on conflict ("connectorId", "externalId") do update
        set text = excluded.text, language = excluded.language, "editedAt" = excluded."editedAt"
      where excluded."editedAt" is not null
        and "Message".direction = 'inbound'
        and ("Message"."editedAt" is null
             or "Message"."editedAt" < excluded."editedAt"
             or ("Message"."editedAt" = excluded."editedAt" and "Message".text <> excluded.text))
     returning id, "connectorId", "externalId", "conversationId"`,
    [
      column(rows, (r) => r.id),
      column(rows, (r) => r.conversation.id),
      column(rows, (r) => r.g.message.connectorId),
      column(rows, (r) => r.g.message.externalId),
      column(rows, (r) => r.g.message.replyTo ?? null),
      column(rows, (r) => r.g.message.author.id),
      column(rows, (r) => r.g.message.author.displayName || r.g.message.author.handle || r.g.message.author.id),
      column(rows, (r) => r.g.text),
      column(rows, (r) => r.g.language),
      column(rows, (r) => r.g.message.createdAt),
      column(rows, (r) => (r.g.message.kind === 'edited' ? (r.g.message.editedAt ?? null) : null)),
      column(rows, (r) => (isOutbound(r.g.message) ? 'outbound' : 'inbound')),
    ],
  );
  const writtenByKey = new Map(written.map((w) => [key(w.connectorId, w.externalId), w]));
  const stored: Array<{ g: GuardedMessage; id: string; conversationId: string; contactId: string; change: StoredMessage['change'] }> = [];
  const repeats: typeof rows = [];
  for (const r of rows) {
    const w = writtenByKey.get(key(r.g.message.connectorId, r.g.message.externalId));
    if (w) stored.push({ g: r.g, id: w.id, conversationId: w.conversationId, contactId: r.conversation.contactId, change: w.id === r.id ? 'created' : 'edited' });
    else if (r.g.findings.length && !isOutbound(r.g.message)) repeats.push(r);
  }

  const edited = stored.filter((s) => s.change === 'edited').map((s) => s.id);
  if (edited.length) await client.query(`delete from "Finding" where "messageId" = any($1::text[])`, [edited]);
  const findings = stored.flatMap(({ g, id }) => g.findings.map((f) => ({ messageId: id, ...f })));
  if (findings.length) {
    await client.query(
      `insert into "Finding" (id, "messageId", type, start, "end", masked)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::boolean[])`,
      [
        column(findings, () => randomUUID()),
        column(findings, (f) => f.messageId),
        column(findings, (f) => f.type),
        column(findings, (f) => f.start),
        column(findings, (f) => f.end),
        column(findings, (f) => f.masked),
      ],
    );
  }

  // New messages move a conversation's last activity. New customer messages reopen a resolved conversation, and
  // their masked secrets, new or edited in, flag it; the account's own messages (an agent answering in the
  // platform's app) answer it: they stop the first-response timer, as a reply from the inbox does.
  const touched = new Map<string, { at: Date | null; reopen: boolean; flagged: boolean; answeredAt: Date | null }>();
  const earliest = (a: Date | null | undefined, b: Date | null) => (a && (!b || a < b) ? a : b);
  for (const { g, conversationId, change } of stored) {
    const prev = touched.get(conversationId);
    const at = change !== 'created' ? null : g.message.createdAt;
    const own = isOutbound(g.message);
    touched.set(conversationId, {
      at: prev?.at && (!at || prev.at > at) ? prev.at : at,
      reopen: (prev?.reopen ?? false) || (!own && at !== null),
      flagged: (prev?.flagged ?? false) || (!own && g.findings.some((f) => f.masked)),
      answeredAt: own ? earliest(prev?.answeredAt, at) : (prev?.answeredAt ?? null),
    });
  }
  if (touched.size) {
    const ids = [...touched.keys()].sort();
    const t = ids.map((id) => touched.get(id)!);
    await client.query(
      `update "Conversation" c
          set "lastMessageAt" = greatest(c."lastMessageAt", v.at),
              flagged = c.flagged or v.flagged,
              status = case when c.status = 'resolved' and v.reopen then 'open'::"ConversationStatus" else c.status end,
              "firstRespondedAt" = case when c."firstResponseDueAt" is not null then coalesce(c."firstRespondedAt", v.answered) else c."firstRespondedAt" end
         from unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::boolean[], $5::timestamptz[]) as v(id, at, flagged, reopen, answered)
        where c.id = v.id`,
      [ids, t.map((x) => x.at), t.map((x) => x.flagged), t.map((x) => x.reopen), t.map((x) => x.answeredAt)],
    );
  }

  // Repeats with findings: their ids, so the guard's actions can be handed out again (they are idempotent).
  const repeated = new Map<string, { id: string; conversationId: string }>();
  if (repeats.length) {
    const { rows: found } = await client.query<{ id: string; connectorId: string; externalId: string; conversationId: string }>(
      `select m.id, m."connectorId", m."externalId", m."conversationId"
         from "Message" m join unnest($1::text[], $2::text[]) as k(c, e) on m."connectorId" = k.c and m."externalId" = k.e`,
      [column(repeats, (r) => r.g.message.connectorId), column(repeats, (r) => r.g.message.externalId)],
    );
    for (const f of found) repeated.set(key(f.connectorId, f.externalId), f);
  }
  for (const r of repeats) {
    const f = repeated.get(key(r.g.message.connectorId, r.g.message.externalId));
    if (f) stored.push({ g: r.g, id: f.id, conversationId: f.conversationId, contactId: r.conversation.contactId, change: 'repeated' });
  }

  return stored.map(({ g, id, conversationId, contactId, change }) => ({
    id,
    conversationId,
    connectorId: g.message.connectorId,
    contactId,
    externalId: g.message.externalId,
    externalThreadId: g.message.externalThreadId,
    channelId: g.message.channelId,
    visibility: g.message.visibility,
    authorId: g.message.author.id,
    direction: isOutbound(g.message) ? ('outbound' as const) : ('inbound' as const),
    findings: g.findings,
    language: g.language,
    createdAt: g.message.createdAt,
    change,
  }));
}

/** Marks stored messages deleted (once: the first deletion's time is kept); unknown ones are skipped. */
async function markDeleted(client: pg.PoolClient, deletions: InboundDeletion[]): Promise<DeletedMessage[]> {
  const rows = distinctBy(deletions, (d) => key(d.connectorId, d.externalId));
  if (!rows.length) return [];
  const { rows: deleted } = await client.query<DeletedMessage>(
    `update "Message" m
        set "deletedAt" = v.at
       from unnest($1::text[], $2::text[], $3::timestamptz[]) as v(c, ext, at)
      where m."connectorId" = v.c and m."externalId" = v.ext and m."deletedAt" is null
      returning m.id, m."conversationId"`,
    [column(rows, (d) => d.connectorId), column(rows, (d) => d.externalId), column(rows, (d) => d.deletedAt)],
  );
  return deleted;
}

/**
 * Stores the batch's posts and edits and marks its deletions, on `client` inside the batch's transaction (see
 * inBatchTransaction). Returns what changed (and repeats that carry findings). Safe to run again with the same batch.
 */
export async function storeBatch(client: pg.PoolClient, batch: GuardedMessage[], deletions: InboundDeletion[] = []): Promise<PersistResult> {
  // Posts and edits first: a message posted and deleted within one batch ends up stored and marked deleted.
  const messages = await storeMessages(client, batch);
  const deleted = await markDeleted(client, deletions);
  return { messages, deleted };
}

async function transactionOnce<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await checkOut(pool);
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs `work` (what a batch writes: storeBatch and the stages around it) in one transaction, and once more if a
 * concurrent writer made it fail. `work` must be safe to run again: it starts from the same input.
 */
export async function inBatchTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await transactionOnce(pool, work);
  } catch (err) {
    // Two writers inserting the same new contact, conversation or message at once: one waits for the other
    // and then fails on the unique key (or deadlocks). The transaction rolled back whole; a second pass finds
    // the other writer's rows.
    const code = (err as { code?: string }).code;
    if (code === '23505' || code === '40P01') return transactionOnce(pool, work);
    throw err;
  }
}
