// Admins manage the people who work the inbox.
import { Router } from 'express';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.ts';
import { audit } from '../db/audit.ts';
import { isUniqueViolation, type Db } from '../db/client.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';

const Password = z.string().min(8, 'at least 8 characters').max(200);
const NewUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: Password,
  role: z.enum(['admin', 'agent']),
  name: z.string().trim().min(1).max(100).optional(),
});
const UserPatch = z
  .object({ role: z.enum(['admin', 'agent']).optional(), active: z.boolean().optional(), password: Password.optional(), name: z.string().trim().min(1).max(100).optional() })
  .strict();

const view = (u: { id: string; email: string; name: string; role: string; active: boolean; createdAt: Date }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  createdAt: u.createdAt,
});

export function usersRouter(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const users = await db.user.findMany({ orderBy: { createdAt: 'asc' } });
    res.json({ items: users.map(view) });
  });

  router.post('/', async (req, res) => {
    const body = parse(NewUser, req.body);
    try {
      const user = await db.user.create({
        data: { email: body.email, name: body.name ?? body.email.split('@')[0]!, role: body.role, passwordHash: await hashPassword(body.password) },
      });
      await audit(db, { actorId: req.user!.id, action: 'user.create', targetType: 'user', targetId: user.id, data: { email: user.email, role: user.role } });
      res.status(201).json(view(user));
    } catch (err) {
      if (isUniqueViolation(err)) throw new HttpError(409, 'conflict', 'A user with this email exists.', { email: 'already in use' });
      throw err;
    }
  });

  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(UserPatch, req.body);
    const user = await db.user.findUnique({ where: { id } });
    if (!user) throw notFound('No such user.');
    const losesAdmin = user.role === 'admin' && user.active && (patch.role === 'agent' || patch.active === false);
    if (losesAdmin && (await db.user.count({ where: { role: 'admin', active: true } })) <= 1) {
      throw new HttpError(409, 'last_admin', 'This is the last active admin; make another admin first.');
    }
    const updated = await db.$transaction(async (tx) => {
      const u = await tx.user.update({
        where: { id },
        data: { role: patch.role, active: patch.active, name: patch.name, ...(patch.password ? { passwordHash: await hashPassword(patch.password) } : {}) },
      });
      // A deactivated user is signed out everywhere at once; a new password ends other sessions too.
      if (patch.active === false) {
        await tx.session.deleteMany({ where: { userId: id } });
        await tx.apiToken.deleteMany({ where: { userId: id } });
      } else if (patch.password) {
        await tx.session.deleteMany({ where: { userId: id } });
      }
      await audit(tx, {
        actorId: req.user!.id,
        action: 'user.update',
        targetType: 'user',
        targetId: id,
        data: { role: patch.role, active: patch.active, passwordChanged: Boolean(patch.password) },
      });
      return u;
    });
    res.json(view(updated));
  });

  return router;
}
