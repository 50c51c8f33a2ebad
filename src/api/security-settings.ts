// GET/PUT /api/settings/security (admin): {requireTwoFactor}. With it on, people without two-factor sign-in can
// only reach their session and account until they set it up (src/api/auth.ts).
import { Router } from 'express';
import { loadSecuritySettings, saveSecuritySettings, SecuritySettingsSchema } from '../auth/security-settings.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { parse } from './errors.ts';
import { clientAddress } from './session.ts';

/** GET and PUT of {requireTwoFactor}; mount behind requireRole('admin'). */
export function securitySettingsRouter(db: Db): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await loadSecuritySettings(db, true));
  });
  router.put('/', async (req, res) => {
    const next = parse(SecuritySettingsSchema, req.body);
    const before = await loadSecuritySettings(db, true);
    await saveSecuritySettings(db, next);
    await audit(db, { actorId: req.user!.id, action: 'settings.security.update', targetType: 'setting', targetId: 'security', data: { before, after: next, ip: clientAddress(req) } });
    res.json(next);
  });
  return router;
}
