// Stage 4: store a batch of guarded messages in one transaction: contacts and their platform identities,
// conversations, messages and findings. Writing a batch at once (group commit) is what lets the pipeline keep
// up with thousands of messages a second, and this hot path speaks SQL to pg directly: Prisma's per-query
// overhead on batch statements cost more than the database work itself. Every insert is idempotent
// (ON CONFLICT DO NOTHING on the unique keys), so a batch can be replayed safely.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { checkOut } from '../db/client.ts';
import type { Visibility } from '../domain/types.ts';
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
  findings: StoredFinding[];
  language: 'zh' | 'en';
  createdAt: Date;
}

type Message = GuardedMessage['message'];
const key = (a: string, b: string) => `${a}\n${b}`;
const column = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);

/** Finds or creates the contact behind each (connector, platform user); returns identity key → contact id. */
async function contactsFor(client: pg.PoolClient, authors: Message[]): Promise<Map<string, string>> {
  const lookup = async () => {
    const { rows } = await client.query<{ connectorId: string; platformUserId: string; contactId: string }>(
      `select i."connectorId", i."platformUserId", i."contactId"
         from "ContactIdentity" i
         join unnest($1::text[], $2::text[]) as k(c, u) on i."connectorId" = k.c and i."platformUserId" = k.u`,
      [column(authors, (m) => m.connectorId), column(authors, (m) => m.author.id)],
    );
    return new Map(rows.map((r) => [key(r.connectorId, r.platformUserId), r.contactId]));
  };
  const found = await lookup();
  const missing = authors.filter((m) => !found.has(key(m.connectorId, m.author.id))).map((m) => ({ m, contactId: randomUUID() }));
  if (!missing.length) return found;
  await client.query(
    `insert into "Contact" (id, "displayName", handle, language)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [
      column(missing, (x) => x.contactId),
      column(missing, (x) => x.m.author.displayName || x.m.author.handle || x.m.author.id),
      column(missing, (x) => x.m.author.handle ?? null),
      column(missing, (x) => x.m.author.languageHint ?? null),
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
      column(missing, (x) => x.m.author.id),
      column(missing, (x) => x.m.author.handle ?? null),
      column(missing, (x) => x.m.author.displayName ?? null),
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

/** Finds or creates one conversation per (connector, external thread); returns thread key → conversation. */
async function conversationsFor(client: pg.PoolClient, threads: Message[], contacts: Map<string, string>): Promise<Map<string, ConversationRef>> {
  await client.query(
    `insert into "Conversation" (id, "connectorId", "contactId", visibility, "externalThreadId", "channelId", "lastMessageAt")
     select id, c, contact, v::"Visibility", t, ch, at from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       as x(id, c, contact, v, t, ch, at)
     on conflict ("connectorId", "externalThreadId") do nothing`,
    [
      column(threads, () => randomUUID()),
      column(threads, (m) => m.connectorId),
      column(threads, (m) => contacts.get(key(m.connectorId, m.author.id))!),
      column(threads, (m) => m.visibility),
      column(threads, (m) => m.externalThreadId),
      column(threads, (m) => m.channelId),
      column(threads, (m) => m.createdAt),
    ],
  );
  const { rows } = await client.query<{ id: string; connectorId: string; externalThreadId: string; contactId: string }>(
    `select c.id, c."connectorId", c."externalThreadId", c."contactId"
       from "Conversation" c
       join unnest($1::text[], $2::text[]) as k(c, t) on c."connectorId" = k.c and c."externalThreadId" = k.t`,
    [column(threads, (m) => m.connectorId), column(threads, (m) => m.externalThreadId)],
  );
  return new Map(rows.map((r) => [key(r.connectorId, r.externalThreadId), { id: r.id, contactId: r.contactId }]));
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

async function persistOnce(pool: pg.Pool, batch: GuardedMessage[]): Promise<StoredMessage[]> {
  const client = await checkOut(pool);
  try {
    await client.query('begin');
    const messages = batch.map((g) => g.message);
    const contacts = await contactsFor(client, distinctBy(messages, (m) => key(m.connectorId, m.author.id)));
    const conversations = await conversationsFor(client, distinctBy(messages, (m) => key(m.connectorId, m.externalThreadId)), contacts);
    const rows = distinctBy(batch, (g) => key(g.message.connectorId, g.message.externalId)).map((g) => ({
      g,
      id: randomUUID(),
      conversation: conversations.get(key(g.message.connectorId, g.message.externalThreadId))!,
    }));

    const { rows: created } = await client.query<{ id: string }>(
      `insert into "Message" (id, "conversationId", "connectorId", direction, "externalId", "replyToExternalId", "authorId", "authorName", text, language, "createdAt")
       select id, conv, c, 'inbound'::"Direction", ext, reply, author, name, body, lang, at
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
           as x(id, conv, c, ext, reply, author, name, body, lang, at)
       on conflict ("connectorId", "externalId") do nothing
       returning id`,
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
      ],
    );
    const createdIds = new Set(created.map((c) => c.id));
    const fresh = rows.filter((r) => createdIds.has(r.id));

    const findings = fresh.flatMap(({ g, id }) => g.findings.map((f) => ({ messageId: id, ...f })));
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

    // New inbound traffic reopens a resolved conversation and flags it when it carried masked secrets.
    const touched = new Map<string, { at: Date; flagged: boolean }>();
    for (const { g, conversation } of fresh) {
      const prev = touched.get(conversation.id);
      const at = prev && prev.at > g.message.createdAt ? prev.at : g.message.createdAt;
      touched.set(conversation.id, { at, flagged: (prev?.flagged ?? false) || g.findings.some((f) => f.masked) });
    }
    if (touched.size) {
      const ids = [...touched.keys()];
      await client.query(
        `update "Conversation" c
            set "lastMessageAt" = greatest(c."lastMessageAt", v.at),
                flagged = c.flagged or v.flagged,
                status = case when c.status = 'resolved' then 'open'::"ConversationStatus" else c.status end
           from unnest($1::text[], $2::timestamptz[], $3::boolean[]) as v(id, at, flagged)
          where c.id = v.id`,
        [ids, ids.map((id) => touched.get(id)!.at), ids.map((id) => touched.get(id)!.flagged)],
      );
    }
    await client.query('commit');
    return fresh.map(({ g, id, conversation }) => ({
      id,
      conversationId: conversation.id,
      connectorId: g.message.connectorId,
      contactId: conversation.contactId,
      externalId: g.message.externalId,
      externalThreadId: g.message.externalThreadId,
      channelId: g.message.channelId,
      visibility: g.message.visibility,
      authorId: g.message.author.id,
      findings: g.findings,
      language: g.language,
      createdAt: g.message.createdAt,
    }));
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Stores the batch; returns only the messages that were new. Safe to call again with the same batch. */
export async function persist(pool: pg.Pool, batch: GuardedMessage[]): Promise<StoredMessage[]> {
  if (!batch.length) return [];
  try {
    return await persistOnce(pool, batch);
  } catch (err) {
    // Two writers inserting the same new contact, conversation or message at once: one waits for the other
    // and then fails on the unique key (or deadlocks). The transaction rolled back whole; a second pass finds
    // the other writer's rows.
    const code = (err as { code?: string }).code;
    if (code === '23505' || code === '40P01') return persistOnce(pool, batch);
    throw err;
  }
}
