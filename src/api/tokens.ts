// API tokens for scripts: admins create them (for themselves or another user), anyone lists and revokes their
// own, admins everyone's. The secret is shown once, at creation; only its SHA-256 is stored.
import { Router } from 'express';
import { z } from 'zod';
import { hashToken, newToken } from '../auth/tokens.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { requireRole } from './auth.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';
import { clientAddress } from './session.ts';

const NewToken = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100).default('API token'),
  userId: z.string().uuid('not a valid id').optional(),
  expiresAt: z.coerce
    .date({ error: 'must be a date, for example 2027-01-31T00:00:00Z' })
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .optional(),
});

const view = (t: { id: string; name: string; userId: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null }) => ({
  id: t.id,
  name: t.name,
  userId: t.userId,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

/** /api/tokens: GET (own; admins all), POST (admin), DELETE /:id. */
export function tokensRouter(db: Db): Router {
  const router = Router();

  router.get('/', requireRole('agent'), async (req, res) => {
    const mine = req.user!.role === 'admin' ? {} : { userId: req.user!.id };
    const rows = await db.apiToken.findMany({ where: { ...mine, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, orderBy: { createdAt: 'desc' } });
    res.json({ items: rows.map(view) });
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const { name, userId = req.user!.id, expiresAt } = parse(NewToken, req.body);
    const owner = await db.user.findUnique({ where: { id: userId } });
    if (!owner || !owner.active) throw new HttpError(400, 'invalid_request', 'userId: no active user with this id', { userId: 'no active user with this id' });
    const token = newToken('inbox');
    const row = await db.apiToken.create({ data: { name, userId, tokenHash: hashToken(token), expiresAt } });
    await audit(db, { actorId: req.user!.id, action: 'token.create', targetType: 'user', targetId: userId, data: { tokenId: row.id, name, expiresAt, ip: clientAddress(req) } });
    // The only time the token is ever shown.
    res.status(201).json({ ...view(row), token });
  });

  router.delete('/:id', requireRole('agent'), async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const row = await db.apiToken.findUnique({ where: { id } });
    // Someone else's token is none of an agent's business: the same 404 as a missing one.
    if (!row || (req.user!.role !== 'admin' && row.userId !== req.user!.id)) throw notFound('No such token.');
    await db.apiToken.deleteMany({ where: { id } });
    await audit(db, { actorId: req.user!.id, action: 'token.revoke', targetType: 'user', targetId: row.userId, data: { tokenId: id, name: row.name, ip: clientAddress(req) } });
    res.status(204).end();
  });

  return router;
}
