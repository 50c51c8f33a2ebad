// Admins read and change the guard's policy: what is masked where, what happens to public leaks, and the
// warning texts in each language.
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy, saveGuardPolicy } from '../db/settings.ts';
import { GuardPolicySchema } from '../guard/policy.ts';
import { parse } from './errors.ts';

export function guardRouter(db: Db): Router {
  const router = Router();
  router.get('/policy', async (_req, res) => {
    res.json(await loadGuardPolicy(db));
  });
  router.put('/policy', async (req, res) => {
    const policy = parse(GuardPolicySchema, req.body);
    const before = await loadGuardPolicy(db);
    await saveGuardPolicy(db, policy);
    // The policy holds actions and warning texts, no secrets: the whole of it before and after.
    await audit(db, { actorId: req.user!.id, action: 'guard.policy.update', targetType: 'setting', targetId: 'guard.policy', data: { before, after: policy, ip: req.ip } });
    res.json(policy);
  });
  return router;
}
