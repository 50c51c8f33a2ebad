// The guard over HTTP. Admins read and change its policy: what is masked where, what happens to public leaks,
// and the warning texts in each language. Agents ask it about a reply before sending (the composer's check).
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy, saveGuardPolicy } from '../db/settings.ts';
import { GuardPolicySchema, type GuardPolicy } from '../guard/policy.ts';
import { checkReply, findingNames, secretInReply } from '../workspace/reply-guard.ts';
import { requireRole } from './auth.ts';
import { hasVisibleText } from '../domain/visible-text.ts';
import { GuardCheckRequestSchema, type FindingType, type GuardCheckResult, type Visibility } from './contract.ts';
import { HttpError, notFound, parse } from './errors.ts';

/** Every template of a policy as [dotted path, text, where it is posted]: `dm.*` privately, the rest in public. */
function templatesOf(policy: GuardPolicy): Array<[string, string, Visibility]> {
  const out: Array<[string, string, Visibility]> = [];
  for (const [language, fields] of Object.entries(policy.templates)) {
    for (const [field, value] of Object.entries(fields)) {
      const visibility: Visibility = field === 'dm' ? 'private' : 'public';
      if (typeof value === 'string') out.push([`templates.${language}.${field}`, value, visibility]);
      else for (const [key, text] of Object.entries(value)) out.push([`templates.${language}.${field}.${key}`, text as string, visibility]);
    }
  }
  return out;
}

/**
 * The bot posts these templates itself, so they meet the reply guard as an agent's reply would (as canned
 * responses do): a template holding what support never sends, or what this policy masks where the template is
 * posted, is refused with 422 `secret_in_reply` (`fields.types`, plus each template's path with what it holds).
 * One showing nothing (only invisible characters) is a 400 naming it, as an empty one is.
 */
function refuseBadTemplates(policy: GuardPolicy): void {
  const templates = templatesOf(policy);
  const empty = templates.filter(([, text]) => !hasVisibleText(text));
  if (empty.length) {
    const fields = Object.fromEntries(empty.map(([path]) => [path, 'must not be empty']));
    const more = empty.length > 1 ? ` (and ${empty.length - 1} more problem${empty.length > 2 ? 's' : ''})` : '';
    throw new HttpError(400, 'invalid_request', `${empty[0]![0]}: must not be empty${more}.`, fields);
  }
  const types = new Set<FindingType>();
  const fields: Record<string, string> = {};
  const held: Record<string, FindingType[]> = {};
  for (const [path, text, visibility] of templates) {
    const { blocked } = checkReply(text, visibility, policy);
    if (!blocked.length) continue;
    for (const t of blocked) types.add(t);
    fields[path] = `contains ${findingNames(blocked)}`;
    held[path] = blocked;
  }
  if (!Object.keys(held).length) return;
  const refused = secretInReply([...types], { kind: 'template', templates: held });
  throw new HttpError(refused.status, refused.code, refused.message, { ...fields, ...refused.fields }, refused.details);
}

export function guardRouter(db: Db): Router {
  const router = Router();
  router.get('/policy', requireRole('admin'), async (_req, res) => {
    res.json(await loadGuardPolicy(db));
  });
  router.put('/policy', requireRole('admin'), async (req, res) => {
    const policy = parse(GuardPolicySchema, req.body);
    refuseBadTemplates(policy);
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
