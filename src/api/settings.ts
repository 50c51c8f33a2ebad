// GET/PUT /api/settings/sla: first-response targets per platform (GET for agents, PUT for admins).
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadSla, saveSla } from '../workspace/sla.ts';
import { requireRole } from './auth.ts';
import { SlaSettingsSchema } from './contract.ts';
import { parse } from './errors.ts';

export function settingsRouter(db: Db): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await loadSla(db));
  });
  router.put('/', requireRole('admin'), async (req, res) => {
    const sla = parse(SlaSettingsSchema, req.body);
    await saveSla(db, sla);
    await audit(db, { actorId: req.user!.id, action: 'settings.sla.update', targetType: 'setting', targetId: 'sla', data: sla });
    res.json(sla);
  });
  return router;
}
