// The admins' security settings ({requireTwoFactor}), one document in the Setting table.
import { z } from 'zod';
import type { Db } from '../db/client.ts';

const KEY = 'security';

export const SecuritySettingsSchema = z.object({ requireTwoFactor: z.boolean() }).strict();
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;

const DEFAULTS: SecuritySettings = { requireTwoFactor: false };
/** Read on every API request; a change reaches every process within this long. */
const CACHE_MS = 2000;
let cached: { at: number; db: Db; value: SecuritySettings } | undefined;

/** The settings, at most CACHE_MS old unless `fresh`; defaults when none were saved. */
export async function loadSecuritySettings(db: Db, fresh = false): Promise<SecuritySettings> {
  if (!fresh && cached && cached.db === db && Date.now() - cached.at < CACHE_MS) return cached.value;
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = SecuritySettingsSchema.safeParse(row?.value);
  const value = parsed.success ? parsed.data : DEFAULTS;
  cached = { at: Date.now(), db, value };
  return value;
}

/** Saves the settings; this process sees them at once, others within CACHE_MS. */
export async function saveSecuritySettings(db: Db, value: SecuritySettings): Promise<void> {
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  cached = { at: Date.now(), db, value };
}
