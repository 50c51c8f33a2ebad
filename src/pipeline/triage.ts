// After a batch is stored: each conversation that received customer messages gets its FAQ intent and priority
// raised to what the new messages call for (never lowered: an agent's choice stands until new evidence), and a
// first-response timer when none runs. One UPDATE per batch, inside the batch's transaction (persist.ts).
import type pg from 'pg';
import type { Intent, Platform, Priority } from '../api/contract.ts';
import type { Db } from '../db/client.ts';
import type { GuardPolicy } from '../guard/policy.ts';
import { loadSla } from '../workspace/sla.ts';
import { classifyIntent, priorityFor } from '../workspace/triage.ts';
import type { GuardedMessage } from './guard.ts';
import type { StoredMessage } from './persist.ts';

const SLA_TTL_MS = 2000;
/** Declaration order of the enums in schema.prisma: lower is more serious / more pressing. */
const INTENT_RANK: Intent[] = ['account_compromised', 'payment_failed', 'forgot_password', 'security_question', 'other'];
const PRIORITY_RANK: Priority[] = ['urgent', 'high', 'normal', 'low'];

interface Update {
  intent: Intent;
  priority: Priority;
  /** The earliest new message's time, or null when the batch only edited messages. */
  at: Date | null;
  minutes: number;
}

export class Triage {
  private sla?: { targets: Record<Platform, number>; at: number };

  constructor(private readonly db: Db) {}

  private async targets(): Promise<Record<Platform, number>> {
    if (!this.sla || Date.now() - this.sla.at > SLA_TTL_MS) this.sla = { targets: (await loadSla(this.db)).targetsMinutes, at: Date.now() };
    return this.sla.targets;
  }

  /** Applies triage for the `stored` messages of `batch` (the guarded messages they came from). */
  async apply(sql: pg.ClientBase, batch: GuardedMessage[], stored: StoredMessage[], policy: GuardPolicy): Promise<void> {
    // New and edited messages count (an edit can add what makes a conversation urgent); repeats do not.
    // Only customers' messages are triaged: the account's own replies say nothing about what the customer needs.
    stored = stored.filter((m) => m.change !== 'repeated' && m.direction === 'inbound');
    if (!stored.length) return;
    const targets = await this.targets();
    const byKey = new Map(batch.map((g) => [`${g.message.connectorId}\n${g.message.externalId}`, g]));
    const updates = new Map<string, Update>();
    for (const m of stored) {
      const g = byKey.get(`${m.connectorId}\n${m.externalId}`);
      if (!g) continue;
      const intent = classifyIntent(g.text);
      const publicLeak = m.visibility === 'public' && m.findings.some((f) => policy.types[f.type].publicAction !== 'none');
      const priority = priorityFor(intent, publicLeak);
      const prev = updates.get(m.conversationId);
      updates.set(m.conversationId, {
        intent: prev && INTENT_RANK.indexOf(prev.intent) < INTENT_RANK.indexOf(intent) ? prev.intent : intent,
        priority: prev && PRIORITY_RANK.indexOf(prev.priority) < PRIORITY_RANK.indexOf(priority) ? prev.priority : priority,
        // Only a new message starts the first-response timer.
        at: m.change !== 'created' ? (prev?.at ?? null) : prev?.at && prev.at < m.createdAt ? prev.at : m.createdAt,
        minutes: targets[g.message.platform],
      });
    }
    const ids = [...updates.keys()].sort();
    const rows = ids.map((id) => updates.get(id)!);
    await sql.query(
      `update "Conversation" c
          set intent = least(c.intent, v.intent::"Intent"),
              -- Only a message that calls for more than normal moves the priority (an agent's "low" stands).
              priority = case when v.priority::"Priority" < 'normal' then least(c.priority, v.priority::"Priority") else c.priority end,
              "firstResponseDueAt" = coalesce(c."firstResponseDueAt", v.at + make_interval(mins => v.minutes))
         from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[]) as v(id, intent, priority, at, minutes)
        where c.id = v.id`,
      [ids, rows.map((r) => r.intent), rows.map((r) => r.priority), rows.map((r) => r.at), rows.map((r) => r.minutes)],
    );
  }
}
