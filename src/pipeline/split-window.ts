// Stage between guard and persist: recovery phrases split across a customer's messages ("my seed is w1 … w6",
// then "w7 … w12"). Each incoming message that may be a part (see mayBePhrasePart) is read together with the
// same customer's other messages in the same window (in private its conversation; in public all their public
// conversations on the connector, see groupKey) from the minutes around it, stored or in the batch, in the order
// they were written. When the parts form a phrase (guard/split.ts):
//   - the incoming message is masked before it is stored, like any other finding;
//   - the other, already stored parts are masked in storage in the same transaction (text and findings), flag
//     their conversation, and every public part is handed to the guard's actions queue, so each is removed; the
//     actions' per-customer warning window makes it one public warning for all of them.
// The stored text of a part is what the guard left visible, so it still holds its piece of the phrase; a part that
// was a phrase on its own (a framed half, a shorter phrase with a valid checksum) is masked already, and its masked
// phrase is read as list words, so the parts that continue it are found and masked too.
//
// Concurrency. Several pipeline workers run, each storing batches concurrently, so the halves can be in two
// batches at the same moment: each would read the window before the other's half is stored, and the phrase would
// stay in clear. So the stage runs in the batch's transaction, and first takes a PostgreSQL advisory lock per
// window of the batch (groupKey) (pg_advisory_xact_lock, in key order so that batches never wait for each
// other in a cycle), held until the batch commits or rolls back. One customer's batches then read, decide and
// write one after the other, and the later one reads what the earlier one committed. Every customer message takes
// the lock, not only the likely parts, so that a short part ("w11 w12") stored at the same moment is read too.
// Why this lock: it lives with the data and ends with the transaction, so a worker that dies mid-batch releases
// it at once (its connection closes) and leaves nothing half-written (its delivery is retried whole); a Redis
// lease would need a TTL to outlive a dead holder and a fencing token against a paused one, and ordering jobs per
// customer would not hold across deliveries and processes. Either half may take the lock first, so the window
// reaches both ways in time; platforms stamp messages to the second, so a message that ties with stored parts is
// also read as written before them.
// A delivery retried after its batch committed but before its actions were queued (Redis gone, the worker killed)
// finds its message stored already: the stored version stands, and the actions of the parts around it are handed
// out again (they are idempotent).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Finding } from '../domain/types.ts';
import { maskText } from '../guard/mask.ts';
import { mustMask, type GuardPolicy } from '../guard/policy.ts';
import { findSplitPhrases, mayBePhrasePart, type MessagePart } from '../guard/split.ts';
import type { GuardActionRequest } from '../queues/index.ts';
import { guardTrigger } from '../queues/names.ts';
import type { GuardedMessage, StoredFinding } from './guard.ts';
import type { InboxEvent } from './notify.ts';

/** How far before or after a new message a customer's other messages are read with it. */
export const SPLIT_WINDOW_MS = 10 * 60_000;
/** At most this many stored messages per window (see groupKey; the newest in the time window). */
const MAX_STORED = 8;

/** A stored message of the window, as read. */
interface StoredRow {
  id: string;
  externalId: string | null;
  conversationId: string;
  visibility: 'public' | 'private';
  text: string;
  createdAt: Date;
  editedAt: Date | null;
  groupKey: string;
  findings: StoredFinding[] | null;
}

/** A stored message whose text and findings change because it is part of a phrase, or whose actions are due. */
interface StoredPart {
  id: string;
  conversationId: string;
  visibility: 'public' | 'private';
  text: string;
  findings: StoredFinding[];
}

export interface SplitResult {
  /** The batch, with phrase parts masked. */
  guarded: GuardedMessage[];
  /**
   * Writes the stored parts' new text and findings, in the batch's transaction once the batch is stored; returns
   * the events to publish and the actions to queue after the commit.
   */
  storeEarlier(client: pg.ClientBase): Promise<{ events: InboxEvent[]; requests: GuardActionRequest[] }>;
}

/**
 * Adds `added` spans to a text that already carries `existing` findings (offsets into `text`), masking the added
 * ones the policy masks; returns the new text and every finding with offsets into it. Added spans that overlap an
 * existing finding are dropped: that region is already accounted for.
 */
export function addFindings(
  text: string,
  existing: StoredFinding[],
  added: Finding[],
  shouldMask: (f: Finding) => boolean,
): { text: string; findings: StoredFinding[] } {
  const fresh = added.filter((a) => !existing.some((e) => a.start < e.end && e.start < a.end));
  const all: Finding[] = [...existing, ...fresh];
  const masks = new Set<Finding>(fresh.filter(shouldMask));
  const result = maskText(text, all, (f) => masks.has(f));
  return {
    text: result.text,
    findings: result.findings.map((f, i) => ({ ...f, masked: i < existing.length ? existing[i]!.masked : masks.has(all[i]!) })),
  };
}

/**
 * The window a customer message is read in: in private, its conversation (a DM chat); in public, all the customer's
 * public conversations on the connector. X makes every standalone mention a conversation of its own, and a
 * customer who posts half a phrase in one mention and the rest in the next has leaked it all the same; the same
 * holds for two Telegram groups or forum topics or two Discord channels of one connector (anyone who reads both
 * reads the phrase), so the rule is one for every platform. Never across private and public (a phrase sent in a
 * DM is no public leak, nor is a DM the place to remove a public post), never across customers or connectors.
 */
const groupKey = (g: GuardedMessage) =>
  g.message.visibility === 'public'
    ? `${g.message.connectorId}\npublic\n${g.message.author.id}`
    : `${g.message.connectorId}\nprivate:${g.message.externalThreadId}\n${g.message.author.id}`;

/**
 * Runs the stage over one batch of guarded customer messages (see the header). `client` is in the batch's
 * transaction, before the batch is stored: the locks taken here are held until it ends.
 */
export async function maskSplitPhrases(client: pg.ClientBase, batch: GuardedMessage[], policy: GuardPolicy): Promise<SplitResult> {
  await lockCustomers(client, batch);
  const none: SplitResult = { guarded: batch, storeEarlier: async () => ({ events: [], requests: [] }) };
  const candidates = batch.filter((g) => mayBePart(g.text, g.findings));
  if (!candidates.length) return none;

  const times = candidates.map((g) => g.message.createdAt.getTime());
  const groups = [...new Map(candidates.map((g) => [groupKey(g), g])).values()];
  // A group's conversations: its private one by thread, or its customer's public ones on the connector (through
  // the identity's contact: both indexed; only those active in the time window, as a customer on X can have a
  // conversation per post); the newest messages of the customer in each, then per group below. Deleted messages
  // count: a part the guard removed (a framed half is a phrase on its own) or the customer deleted was public all
  // the same, and the new message may be its continuation.
  const { rows } = await client.query<StoredRow>(
    `select m.id, m."externalId", m."conversationId", c.visibility::text as visibility, m.text, m."createdAt", m."editedAt",
            k.key as "groupKey",
            (select json_agg(json_build_object('type', f.type, 'start', f.start, 'end', f."end", 'masked', f.masked))
               from "Finding" f where f."messageId" = m.id) as findings
       from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[]) as k(c, t, a, pub, key)
       join lateral (
         select c.id, c.visibility from "Conversation" c
          where not k.pub and c."connectorId" = k.c and c."externalThreadId" = k.t
         union all
         select c.id, c.visibility from "ContactIdentity" i join "Conversation" c on c."contactId" = i."contactId"
          where k.pub and i."connectorId" = k.c and i."platformUserId" = k.a and c."connectorId" = k.c and c.visibility = 'public'
            and c."lastMessageAt" >= $6::timestamptz
       ) c on true
       join lateral (
         select * from "Message" m
          where m."conversationId" = c.id and m."authorId" = k.a and m.direction = 'inbound'
            and m."createdAt" between $6::timestamptz and $7::timestamptz
          order by m."createdAt" desc, m.seq desc
          limit ${MAX_STORED}
       ) m on true
      order by m."createdAt" desc, m.seq desc`,
    [
      groups.map((g) => g.message.connectorId),
      groups.map((g) => g.message.externalThreadId),
      groups.map((g) => g.message.author.id),
      groups.map((g) => g.message.visibility === 'public'),
      groups.map((g) => groupKey(g)),
      new Date(Math.min(...times) - SPLIT_WINDOW_MS),
      new Date(Math.max(...times) + SPLIT_WINDOW_MS),
    ],
  );

  // The newest MAX_STORED of each group, oldest first.
  const storedByGroup = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const list = storedByGroup.get(row.groupKey) ?? [];
    if (list.length < MAX_STORED) list.unshift(row);
    storedByGroup.set(row.groupKey, list);
  }
  const out = [...batch];
  const inBatch = new Map<string, number[]>();
  out.forEach((g, i) => {
    const list = inBatch.get(groupKey(g)) ?? [];
    list.push(i);
    inBatch.set(groupKey(g), list);
  });
  /** Stored parts whose text and findings change, by message id. */
  const changed = new Map<string, StoredPart>();
  /** Stored messages around a redelivered one, whose actions are handed out again, by message id. */
  const again = new Map<string, StoredPart>();
  const partOf = (row: StoredRow): StoredPart =>
    changed.get(row.id) ?? { id: row.id, conversationId: row.conversationId, visibility: row.visibility, text: row.text, findings: row.findings ?? [] };

  for (const [key, indices] of inBatch) {
    const groupRows = storedByGroup.get(key) ?? [];
    // A message in the batch stands in for its stored version.
    const inThisBatch = new Set(indices.map((i) => out[i]!.message.externalId));
    const others = groupRows.filter((row) => row.externalId === null || !inThisBatch.has(row.externalId));
    for (const index of indices) {
      let current = out[index]!;
      const at = current.message.createdAt.getTime();
      const near = (t: number) => Math.abs(t - at) <= SPLIT_WINDOW_MS;
      const stored = groupRows.find((row) => row.externalId === current.message.externalId);
      if (stored?.findings && isStoredVersion(stored, current)) {
        // Delivered again (a retry after its batch committed, a platform's redelivery): a phrase it is part of no
        // longer shows, the other parts being masked. So the stored version, masked more, stands (persist would
        // take an edit stamped with the same second and another text for a newer one: of two such versions, the
        // one masked more is kept), and the actions of the parts around it are handed out again.
        const masked = (findings: StoredFinding[]) => findings.filter((f) => f.masked).length;
        if (masked(stored.findings) > masked(current.findings)) out[index] = current = { ...current, text: stored.text, findings: stored.findings };
        for (const row of groupRows) if (near(row.createdAt.getTime())) again.set(row.id, partOf(row));
      }
      if (!mayBePart(current.text, current.findings)) continue;
      // As written: by time, then stored parts in arrival order, then the batch's in order (the sort is stable).
      const parts: (MessagePart & { at: number })[] = [
        ...others
          .filter((row) => near(row.createdAt.getTime()))
          .map((row) => ({ id: `db:${row.id}`, ...partText(partOf(row)), at: row.createdAt.getTime() })),
        ...indices
          .filter((j) => near(out[j]!.message.createdAt.getTime()))
          .map((j) => ({ id: `batch:${j}`, ...partText(out[j]!), at: out[j]!.message.createdAt.getTime() })),
      ].sort((a, b) => a.at - b.at);
      let found = findSplitPhrases(parts);
      const self = parts.findIndex((p) => p.id === `batch:${index}`);
      const firstTie = parts.findIndex((p) => p.at === at);
      if (!found.size && firstTie < self) {
        // Stamped with the same second as parts stored before it: it may have been written before them.
        found = findSplitPhrases([...parts.slice(0, firstTie), parts[self]!, ...parts.slice(firstTie, self), ...parts.slice(self + 1)]);
      }
      for (const [id, spans] of found) {
        if (id.startsWith('batch:')) {
          const j = Number(id.slice(6));
          const g = out[j]!;
          const next = addFindings(g.text, g.findings, spans, (f) => mustMask(policy, f.type, g.message.visibility));
          out[j] = { ...g, text: next.text, findings: next.findings };
        } else {
          const row = others.find((r) => r.id === id.slice(3))!;
          const prev = partOf(row);
          const next = addFindings(prev.text, prev.findings, spans, (f) => mustMask(policy, f.type, row.visibility));
          changed.set(row.id, { ...prev, text: next.text, findings: next.findings });
        }
      }
    }
  }

  if (!changed.size && !again.size) return { ...none, guarded: out };
  return {
    guarded: out,
    storeEarlier: async (tx) => {
      const parts = [...changed.values()];
      if (parts.length) await storeParts(tx, parts);
      const events: InboxEvent[] = parts.map((p) => ({ type: 'message.updated', conversationId: p.conversationId, messageId: p.id }));
      for (const id of new Set(parts.map((p) => p.conversationId))) events.push({ type: 'conversation.updated', conversationId: id });
      const requests = [...parts, ...[...again.values()].filter((p) => !changed.has(p.id))].flatMap((p) => actionsFor(p, policy));
      return { events, requests };
    },
  };
}

const maskedPhrases = (findings: StoredFinding[]) => findings.filter((f) => f.type === 'seed_phrase' && f.masked);

/**
 * Whether a message may be part of a split phrase: list words in a row, or a phrase masked on its own (a framed
 * half, or a shorter phrase whose checksum holds), which the customer's other messages may continue.
 */
const mayBePart = (text: string, findings: StoredFinding[]) => mayBePhrasePart(text) || maskedPhrases(findings).length > 0;

/** A message's text as a part of the window, with its masked phrases marked (see MessagePart.masked). */
const partText = (m: { text: string; findings: StoredFinding[] }) => ({ text: m.text, masked: maskedPhrases(m.findings) });

/** Whether `row` already holds this version of the message: a post delivered again, or an edit stored already. */
function isStoredVersion(row: StoredRow, g: GuardedMessage): boolean {
  if (g.message.kind !== 'edited') return true;
  return row.editedAt !== null && g.message.editedAt !== undefined && row.editedAt.getTime() >= g.message.editedAt.getTime();
}

/**
 * Takes the transaction-scoped advisory lock of each window (groupKey) in the batch (see the header), in
 * key order. A key is 64 bits of a hash: two customers that share one merely wait for each other.
 */
async function lockCustomers(client: pg.ClientBase, batch: GuardedMessage[]): Promise<void> {
  if (!batch.length) return;
  const keys = [...new Set(batch.map((g) => lockKeyOf(groupKey(g))))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // unnest yields the keys in array order, and each row's lock is taken as the row is produced.
  await client.query(`select pg_advisory_xact_lock(k) from unnest($1::bigint[]) as k`, [keys.map(String)]);
}
const lockKeyOf = (key: string) => createHash('sha256').update(`split-window\n${key}`).digest().readBigInt64BE(0);

/** The guard's actions for a stored message: when public, for its findings whose policy calls for action. */
function actionsFor(part: StoredPart, policy: GuardPolicy): GuardActionRequest[] {
  const actionable = part.visibility === 'public' ? part.findings.filter((f) => policy.types[f.type].publicAction !== 'none') : [];
  return actionable.length ? [{ messageId: part.id, trigger: guardTrigger(actionable) }] : [];
}

/** Writes the parts' new text and findings and flags their conversations, in the batch's transaction. */
async function storeParts(client: pg.ClientBase, parts: StoredPart[]): Promise<void> {
  await client.query(`update "Message" m set text = v.text from unnest($1::text[], $2::text[]) as v(id, text) where m.id = v.id`, [
    parts.map((p) => p.id),
    parts.map((p) => p.text),
  ]);
  await client.query(`delete from "Finding" where "messageId" = any($1::text[])`, [parts.map((p) => p.id)]);
  const findings = parts.flatMap((p) => p.findings.map((f) => ({ messageId: p.id, ...f })));
  await client.query(
    `insert into "Finding" (id, "messageId", type, start, "end", masked)
     select gen_random_uuid()::text, * from unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::boolean[])`,
    [findings.map((f) => f.messageId), findings.map((f) => f.type), findings.map((f) => f.start), findings.map((f) => f.end), findings.map((f) => f.masked)],
  );
  const flagged = [...new Set(parts.filter((p) => p.findings.some((f) => f.masked)).map((p) => p.conversationId))];
  if (flagged.length) await client.query(`update "Conversation" set flagged = true where id = any($1::text[])`, [flagged]);
}
