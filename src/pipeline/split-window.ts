// Stage between guard and persist: recovery phrases split across a customer's messages ("my seed is w1 … w6",
// then "w7 … w12"). Each incoming message that may be a part (see mayBePhrasePart) is read together with the
// same customer's earlier messages in the same conversation from the last few minutes, oldest first, and with
// the parts before it in the same batch. When the parts form a phrase (guard/split.ts):
//   - the incoming message is masked before it is stored, like any other finding;
//   - the earlier, already stored parts are masked in storage after the batch is stored (text and findings),
//     flag their conversation, and every public part is handed to the guard's actions queue, so each is
//     removed; the actions' per-customer warning window makes it one public warning for all of them.
// The stored text of earlier parts is what the guard left visible, so it still holds their half of the phrase.
import type pg from 'pg';
import type { Finding } from '../domain/types.ts';
import { maskText } from '../guard/mask.ts';
import { mustMask, type GuardPolicy } from '../guard/policy.ts';
import { findSplitPhrases, mayBePhrasePart, type MessagePart } from '../guard/split.ts';
import type { GuardActionRequest } from '../queues/index.ts';
import { guardTrigger } from '../queues/names.ts';
import type { GuardedMessage, StoredFinding } from './guard.ts';
import type { InboxEvent } from './notify.ts';

/** How far back a customer's earlier messages are read with a new one. */
export const SPLIT_WINDOW_MS = 10 * 60_000;
/** At most this many earlier messages per customer and conversation. */
const MAX_EARLIER = 8;

/** An earlier, stored message whose text and findings must change because it is part of a phrase. */
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
  /** Writes the earlier parts' new text and findings; returns the events to publish and the actions to queue. */
  storeEarlier(sql: pg.Pool): Promise<{ events: InboxEvent[]; requests: GuardActionRequest[] }>;
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

const groupKey = (g: GuardedMessage) => `${g.message.connectorId}\n${g.message.externalThreadId}\n${g.message.author.id}`;

/** Runs the stage over one batch of guarded messages (see the header). */
export async function maskSplitPhrases(sql: pg.Pool, batch: GuardedMessage[], policy: GuardPolicy): Promise<SplitResult> {
  const none: SplitResult = { guarded: batch, storeEarlier: async () => ({ events: [], requests: [] }) };
  const candidates = batch.filter((g) => mayBePhrasePart(g.text));
  if (!candidates.length) return none;

  const earliest = Math.min(...candidates.map((g) => g.message.createdAt.getTime())) - SPLIT_WINDOW_MS;
  const groups = [...new Map(candidates.map((g) => [groupKey(g), g])).values()];
  const { rows } = await sql.query<{
    id: string;
    externalId: string | null;
    conversationId: string;
    visibility: 'public' | 'private';
    text: string;
    createdAt: Date;
    groupKey: string;
    findings: StoredFinding[] | null;
  }>(
    `select m.id, m."externalId", m."conversationId", c.visibility::text as visibility, m.text, m."createdAt",
            k.c || chr(10) || k.t || chr(10) || k.a as "groupKey",
            (select json_agg(json_build_object('type', f.type, 'start', f.start, 'end', f."end", 'masked', f.masked))
               from "Finding" f where f."messageId" = m.id) as findings
       from unnest($1::text[], $2::text[], $3::text[]) as k(c, t, a)
       join "Conversation" c on c."connectorId" = k.c and c."externalThreadId" = k.t
       join lateral (
         select * from "Message" m
          where m."conversationId" = c.id and m."authorId" = k.a and m.direction = 'inbound'
            and m."deletedAt" is null and m."createdAt" >= $4::timestamptz
          order by m."createdAt" desc, m.seq desc
          limit ${MAX_EARLIER}
       ) m on true
      order by m."createdAt", m.seq`,
    [groups.map((g) => g.message.connectorId), groups.map((g) => g.message.externalThreadId), groups.map((g) => g.message.author.id), new Date(earliest)],
  );

  // Per customer and conversation: the stored parts, then the batch's parts in order.
  const stored = new Map<string, StoredPart>();
  const storedByGroup = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = storedByGroup.get(row.groupKey) ?? [];
    list.push(row);
    storedByGroup.set(row.groupKey, list);
  }
  const out = [...batch];
  const inBatch = new Map<string, number[]>();
  out.forEach((g, i) => {
    const list = inBatch.get(groupKey(g)) ?? [];
    list.push(i);
    inBatch.set(groupKey(g), list);
  });

  for (const [key, indices] of inBatch) {
    const earlierRows = storedByGroup.get(key) ?? [];
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k]!;
      const current = out[index]!;
      if (!mayBePhrasePart(current.text)) continue;
      const at = current.message.createdAt.getTime();
      const parts: MessagePart[] = [];
      for (const row of earlierRows) {
        const t = row.createdAt.getTime();
        if (t < at - SPLIT_WINDOW_MS || t > at || row.externalId === current.message.externalId) continue;
        parts.push({ id: `db:${row.id}`, text: stored.get(row.id)?.text ?? row.text });
      }
      for (const j of indices.slice(0, k)) parts.push({ id: `batch:${j}`, text: out[j]!.text });
      parts.push({ id: `batch:${index}`, text: current.text });
      const found = findSplitPhrases(parts);
      for (const [id, spans] of found) {
        if (id.startsWith('batch:')) {
          const j = Number(id.slice(6));
          const g = out[j]!;
          const next = addFindings(g.text, g.findings, spans, (f) => mustMask(policy, f.type, g.message.visibility));
          out[j] = { ...g, text: next.text, findings: next.findings };
        } else {
          const rowId = id.slice(3);
          const row = earlierRows.find((r) => r.id === rowId)!;
          const prev = stored.get(rowId) ?? { id: rowId, conversationId: row.conversationId, visibility: row.visibility, text: row.text, findings: row.findings ?? [] };
          const next = addFindings(prev.text, prev.findings, spans, (f) => mustMask(policy, f.type, row.visibility));
          stored.set(rowId, { ...prev, text: next.text, findings: next.findings });
        }
      }
    }
  }

  if (!stored.size) return { ...none, guarded: out };
  return {
    guarded: out,
    storeEarlier: (pool) => storeEarlierParts(pool, [...stored.values()], policy),
  };
}

/** Writes the re-masked earlier parts in one transaction; returns events and the public parts' guard actions. */
async function storeEarlierParts(pool: pg.Pool, parts: StoredPart[], policy: GuardPolicy): Promise<{ events: InboxEvent[]; requests: GuardActionRequest[] }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
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
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const events: InboxEvent[] = parts.map((p) => ({ type: 'message.updated', conversationId: p.conversationId, messageId: p.id }));
  for (const id of new Set(parts.map((p) => p.conversationId))) events.push({ type: 'conversation.updated', conversationId: id });
  const requests = parts.flatMap((p) => {
    const actionable = p.visibility === 'public' ? p.findings.filter((f) => policy.types[f.type].publicAction !== 'none') : [];
    return actionable.length ? [{ messageId: p.id, trigger: guardTrigger(actionable) }] : [];
  });
  return { events, requests };
}
