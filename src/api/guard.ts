// The guard over HTTP. Admins read and change its policy: what is masked where, what happens to public leaks,
// and the warning texts in each language. Agents ask it about a reply before sending (the composer's check).
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy, saveGuardPolicy } from '../db/settings.ts';
import { GuardPolicySchema } from '../guard/policy.ts';
import { checkReply } from '../workspace/reply-guard.ts';
import { requireRole } from './auth.ts';
import { GuardCheckRequestSchema, type GuardCheckResult } from './contract.ts';
import { notFound, parse } from './errors.ts';

export function guardRouter(db: Db): Router {
  const router = Router();
  router.get('/policy', requireRole('admin'), async (_req, res) => {
    res.json(await loadGuardPolicy(db));
  });
  router.put('/policy', requireRole('admin'), async (req, res) => {
    const policy = parse(GuardPolicySchema, req.body);
    const before = await loadGuardPolicy(db);
    await saveGuardPolicy(db, policy);
    // The policy holds actions and warning texts, no secrets: the whole of it before and after.
    await audit(db, { actorId: req.user!.id, action: 'guard.policy.update', targetType: 'setting', targetId: 'guard.policy', data: { before, after: policy, ip: req.ip } });
    res.json(policy);
  });

  /** What a reply would meet: the same check POST /api/conversations/:id/messages applies. Nothing is stored. */
  router.post('/check', async (req, res) => {
    const { text, conversationId } = parse(GuardCheckRequestSchema, req.body);
    const conversation = await db.conversation.findUnique({ where: { id: conversationId }, select: { visibility: true } });
    if (!conversation) throw notFound('No such conversation.');
    const check = checkReply(text, conversation.visibility, await loadGuardPolicy(db));
    const result: GuardCheckResult = { findings: check.findings.map(({ type, start, end }) => ({ type, start, end })), blocked: check.blocked };
    res.json(result);
  });
  return router;
}
