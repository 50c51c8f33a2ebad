// First-response targets per platform, set by admins (GET/PUT /api/settings/sla). A conversation's timer starts
// when a customer writes and no timer runs (see pipeline/triage.ts) and stops at the first agent reply.
import { SlaSettingsSchema, type SlaSettings } from '../api/contract.ts';
import type { Db } from '../db/client.ts';

const KEY = 'sla';

/** Chat and social platforms: minutes, not the FAQ's business days (which are for email). */
export const DEFAULT_SLA: SlaSettings = { targetsMinutes: { telegram: 30, discord: 30, x: 60 } };

export async function loadSla(db: Db): Promise<SlaSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = row ? SlaSettingsSchema.safeParse(row.value) : undefined;
  return parsed?.success ? parsed.data : DEFAULT_SLA;
}

export async function saveSla(db: Db, sla: SlaSettings): Promise<void> {
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: sla }, update: { value: sla } });
}
