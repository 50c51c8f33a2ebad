// Admins manage the people who work the inbox.
import { Router } from 'express';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.ts';
import { revokeAccess } from '../auth/revoke.ts';
import type { SignInThrottle } from '../auth/throttle.ts';
import { audit } from '../db/audit.ts';
import { isUniqueViolation, type Db } from '../db/client.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';
import { clientAddress } from './session.ts';

/** A new password: 8 to 200 characters. */
export const PasswordSchema = z.string().min(8, 'at least 8 characters').max(200, 'at most 200 characters');
const Password = PasswordSchema;
const NewUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: Password,
  role: z.enum(['admin', 'agent']),
  name: z.string().trim().min(1).max(100).optional(),
});
const UserPatch = z
  .object({
    role: z.enum(['admin', 'agent']).optional(),
    active: z.boolean().optional(),
    password: Password.optional(),
    name: z.string().trim().min(1).max(100).optional(),
    resetTwoFactor: z.literal(true, 'only true (turns the user\'s two-factor sign-in off)').optional(),
  })
  .strict();

type UserRow = { id: string; email: string; name: string; role: string; active: boolean; createdAt: Date; totpSecret: string | null };
const view = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  twoFactorEnabled: u.totpSecret !== null,
  createdAt: u.createdAt,
});

/** What the audit log keeps of a user: no password hash, no 2FA secret. */
const auditView = (u: UserRow) => ({ email: u.email, name: u.name, role: u.role, active: u.active, twoFactorEnabled: u.totpSecret !== null });

export function usersRouter(deps: { db: Db; throttle: SignInThrottle }): Router {
  const { db, throttle } = deps;
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
      await audit(db, { actorId: req.user!.id, action: 'user.create', targetType: 'user', targetId: user.id, data: { after: auditView(user), ip: clientAddress(req) } });
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
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    const updated = await db.$transaction(async (tx) => {
      const u = await tx.user.update({
        where: { id },
        data: {
          role: patch.role,
          active: patch.active,
          name: patch.name,
          passwordHash,
          ...(patch.resetTwoFactor ? { totpSecret: null, totpPending: null, totpLastStep: null } : {}),
        },
      });
      if (patch.resetTwoFactor) await tx.recoveryCode.deleteMany({ where: { userId: id } });
      // A deactivated user, or one whose password an admin reset, is signed out everywhere at once and their
      // API tokens stop working.
      const revoked = patch.active === false || patch.password ? await revokeAccess(tx, id) : undefined;
      await audit(tx, {
        actorId: req.user!.id,
        action: 'user.update',
        targetType: 'user',
        targetId: id,
        data: {
          before: auditView(user),
          after: auditView(u),
          passwordChanged: Boolean(patch.password),
          ...(patch.resetTwoFactor ? { twoFactorReset: true } : {}),
          ...(revoked ? { sessionsEnded: revoked.sessions, tokensRevoked: revoked.tokens } : {}),
          ip: clientAddress(req),
        },
      });
      return u;
    });
    // An admin's reset is how a locked-out person gets back in: lift their sign-in throttle too.
    if (patch.password || patch.resetTwoFactor) await throttle.lift(updated.email);
    res.json(view(updated));
  });

  return router;
}
