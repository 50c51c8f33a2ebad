// Named settings documents kept in the Setting table.
import type { Db } from './client.ts';
import { DEFAULT_GUARD_POLICY, GuardPolicySchema, type GuardPolicy } from '../guard/policy.ts';

const GUARD_POLICY = 'guard.policy';

export async function loadGuardPolicy(db: Db): Promise<GuardPolicy> {
  const row = await db.setting.findUnique({ where: { key: GUARD_POLICY } });
  if (!row) return DEFAULT_GUARD_POLICY;
  const parsed = GuardPolicySchema.safeParse(row.value);
  // A policy saved by an older version that no longer validates falls back to the defaults rather than
  // leaving messages unguarded.
  return parsed.success ? parsed.data : DEFAULT_GUARD_POLICY;
}

export async function saveGuardPolicy(db: Db, policy: GuardPolicy): Promise<void> {
  await db.setting.upsert({
    where: { key: GUARD_POLICY },
    create: { key: GUARD_POLICY, value: policy as object },
    update: { value: policy as object },
  });
}
