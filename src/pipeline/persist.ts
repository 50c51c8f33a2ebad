// Stage 4: store a batch of guarded messages in one transaction: contacts and their platform identities,
// conversations, messages and findings. Writing a batch at once (group commit) is what lets the pipeline keep
// up with thousands of messages a second; the unique keys make every step safe to repeat.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/client.ts';
import type { Visibility } from '../domain/types.ts';
import type { GuardedMessage, StoredFinding } from './guard.ts';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

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

const key = (a: string, b: string) => `${a}\n${b}`;

/** Finds or creates the contact behind each (connector, platform user); returns identity key → contact id. */
async function contactsFor(tx: Tx, batch: GuardedMessage[]): Promise<Map<string, string>> {
  const authors = new Map<string, GuardedMessage['message']>();
  for (const { message } of batch) authors.set(key(message.connectorId, message.author.id), message);
  const existing = await tx.contactIdentity.findMany({
    where: { OR: [...authors.values()].map((m) => ({ connectorId: m.connectorId, platformUserId: m.author.id })) },
    select: { connectorId: true, platformUserId: true, contactId: true },
  });
  const result = new Map(existing.map((i) => [key(i.connectorId, i.platformUserId), i.contactId]));
  for (const [k, m] of authors) {
    if (result.has(k)) continue;
    const name = m.author.displayName || m.author.handle || m.author.id;
    const contact = await tx.contact.create({
      data: {
        displayName: name,
        handle: m.author.handle ?? null,
        language: m.author.languageHint ?? null,
        identities: {
          create: { connectorId: m.connectorId, platformUserId: m.author.id, handle: m.author.handle ?? null, displayName: m.author.displayName ?? null },
        },
      },
      select: { id: true },
    });
    result.set(k, contact.id);
  }
  return result;
}

/** Finds or creates one conversation per (connector, external thread); returns thread key → conversation. */
async function conversationsFor(tx: Tx, batch: GuardedMessage[], contacts: Map<string, string>) {
  const threads = new Map<string, GuardedMessage['message']>();
  for (const { message } of batch) if (!threads.has(key(message.connectorId, message.externalThreadId))) threads.set(key(message.connectorId, message.externalThreadId), message);
  const existing = await tx.conversation.findMany({
    where: { OR: [...threads.values()].map((m) => ({ connectorId: m.connectorId, externalThreadId: m.externalThreadId })) },
    select: { id: true, connectorId: true, externalThreadId: true, contactId: true },
  });
  const result = new Map(existing.map((c) => [key(c.connectorId, c.externalThreadId), c]));
  for (const [k, m] of threads) {
    if (result.has(k)) continue;
    const created = await tx.conversation.create({
      data: {
        connectorId: m.connectorId,
        contactId: contacts.get(key(m.connectorId, m.author.id))!,
        visibility: m.visibility,
        externalThreadId: m.externalThreadId,
        channelId: m.channelId,
        lastMessageAt: m.createdAt,
      },
      select: { id: true, connectorId: true, externalThreadId: true, contactId: true },
    });
    result.set(k, created);
  }
  return result;
}

async function persistOnce(db: Db, batch: GuardedMessage[]): Promise<StoredMessage[]> {
  return db.$transaction(async (tx) => {
    const contacts = await contactsFor(tx, batch);
    const conversations = await conversationsFor(tx, batch, contacts);
    const rows = batch.map((g) => ({ g, id: randomUUID(), conversation: conversations.get(key(g.message.connectorId, g.message.externalThreadId))! }));
    const created = await tx.message.createManyAndReturn({
      data: rows.map(({ g, id, conversation }) => ({
        id,
        conversationId: conversation.id,
        connectorId: g.message.connectorId,
        direction: 'inbound' as const,
        externalId: g.message.externalId,
        replyToExternalId: g.message.replyTo ?? null,
        authorId: g.message.author.id,
        authorName: g.message.author.displayName || g.message.author.handle || g.message.author.id,
        text: g.text,
        language: g.language,
        createdAt: g.message.createdAt,
      })),
      skipDuplicates: true,
      select: { id: true },
    });
    const createdIds = new Set(created.map((c) => c.id));
    const fresh = rows.filter((r) => createdIds.has(r.id));
    const findings = fresh.flatMap(({ g, id }) => g.findings.map((f) => ({ messageId: id, type: f.type, start: f.start, end: f.end, masked: f.masked })));
    if (findings.length) await tx.finding.createMany({ data: findings });

    // New inbound traffic reopens a resolved conversation and flags it when it carried sensitive data.
    const touched = new Map<string, { at: Date; flagged: boolean }>();
    for (const { g, conversation } of fresh) {
      const prev = touched.get(conversation.id);
      const at = prev && prev.at > g.message.createdAt ? prev.at : g.message.createdAt;
      touched.set(conversation.id, { at, flagged: (prev?.flagged ?? false) || g.findings.some((f) => f.masked) });
    }
    if (touched.size) {
      const ids = [...touched.keys()];
      await tx.$executeRawUnsafe(
        `update "Conversation" c
            set "lastMessageAt" = greatest(c."lastMessageAt", v.at),
                flagged = c.flagged or v.flagged,
                status = case when c.status = 'resolved' then 'open'::"ConversationStatus" else c.status end
           from unnest($1::text[], $2::timestamptz[], $3::boolean[]) as v(id, at, flagged)
          where c.id = v.id`,
        ids,
        ids.map((id) => touched.get(id)!.at),
        ids.map((id) => touched.get(id)!.flagged),
      );
    }
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
  });
}

/** Stores the batch; returns only the messages that were new. Safe to call again with the same batch. */
export async function persist(db: Db, batch: GuardedMessage[]): Promise<StoredMessage[]> {
  if (!batch.length) return [];
  try {
    return await persistOnce(db, batch);
  } catch (err) {
    // Another writer created the same contact or conversation between our read and our insert: the
    // transaction rolled back whole, and a second pass finds their rows.
    if (isUniqueViolation(err)) return persistOnce(db, batch);
    throw err;
  }
}
