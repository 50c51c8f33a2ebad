// Signing in and out, and API tokens.
import { Router } from 'express';
import { z } from 'zod';
import { verifyPassword } from '../auth/passwords.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { readCookie, requireRole, SESSION_COOKIE } from './auth.ts';
import { HttpError, parse } from './errors.ts';

const SESSION_DAYS = 7;
const LOGIN_WINDOW_MS = 15 * 60_000;
const LOGIN_MAX_FAILURES = 10;

const Login = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()), password: z.string().min(1).max(1000) });
const NewToken = z.object({ name: z.string().trim().min(1).max(100).default('API token'), userId: z.string().uuid().optional() });

export function sessionRouter(db: Db, options: { secureCookies: boolean }): Router {
  const router = Router();
  // Failed sign-ins per email, to slow down password guessing. In memory: per process, reset on restart.
  const failures = new Map<string, { count: number; since: number }>();

  router.post('/session', async (req, res) => {
    const { email, password } = parse(Login, req.body);
    const record = failures.get(email);
    if (record && Date.now() - record.since < LOGIN_WINDOW_MS && record.count >= LOGIN_MAX_FAILURES) {
      throw new HttpError(429, 'too_many_attempts', 'Too many failed sign-ins for this account; try again in 15 minutes.');
    }
    const user = await db.user.findUnique({ where: { email } });
    if (!user || !user.active || !(await verifyPassword(password, user.passwordHash))) {
      const fresh = !record || Date.now() - record.since >= LOGIN_WINDOW_MS;
      failures.set(email, { count: fresh ? 1 : record.count + 1, since: fresh ? Date.now() : record.since });
      throw new HttpError(401, 'invalid_credentials', 'Wrong email or password.');
    }
    failures.delete(email);
    const token = newToken('ses');
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await db.session.create({ data: { id: hashToken(token), userId: user.id, expiresAt } });
    await audit(db, { actorId: user.id, action: 'session.create', targetType: 'user', targetId: user.id });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', expires: expiresAt });
    res.json({ id: user.id, email: user.email, name: user.name, role: user.role });
  });

  router.get('/session', requireRole('agent'), (req, res) => {
    const { id, email, name, role } = req.user!;
    res.json({ id, email, name, role });
  });

  router.delete('/session', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await db.session.deleteMany({ where: { id: hashToken(token) } });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.post('/tokens', requireRole('admin'), async (req, res) => {
    const { name, userId = req.user!.id } = parse(NewToken, req.body);
    const owner = await db.user.findUnique({ where: { id: userId } });
    if (!owner || !owner.active) throw new HttpError(400, 'invalid_request', 'userId: no active user with this id', { userId: 'no active user with this id' });
    const token = newToken('inbox');
    const row = await db.apiToken.create({ data: { name, userId, tokenHash: hashToken(token) } });
    await audit(db, { actorId: req.user!.id, action: 'token.create', targetType: 'user', targetId: userId, data: { tokenId: row.id, name } });
    // The only time the token is ever shown.
    res.status(201).json({ id: row.id, name, userId, token, createdAt: row.createdAt });
  });

  return router;
}
