// Signing in (password, then a one-time code for people with two-factor sign-in) and out.
import type { Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { needsRehash, hashPassword, verifyDummyPassword, verifyPassword } from '../auth/passwords.ts';
import { loadSecuritySettings } from '../auth/security-settings.ts';
import { ThrottledError, ThrottleUnavailableError, type Reservation, type SignInThrottle } from '../auth/throttle.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { checkTotp, hashRecoveryCode, looksLikeRecoveryCode } from '../auth/two-factor.ts';
import { audit } from '../db/audit.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import { readCookie, requireRole, SESSION_COOKIE, type AuthUser } from './auth.ts';
import { HttpError, parse } from './errors.ts';

const SESSION_DAYS = 7;

const Login = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  password: z.string().min(1, 'must not be empty').max(1000),
  otp: z.string().trim().max(40).optional(),
});

export interface SessionDeps {
  db: Db;
  cipher: CredentialCipher;
  throttle: SignInThrottle;
}

/** GET /api/session's body. */
export async function sessionView(db: Db, user: AuthUser) {
  const { requireTwoFactor } = await loadSecuritySettings(db);
  return { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled: user.twoFactorEnabled, twoFactorRequired: requireTwoFactor };
}

/** Starts a session for `userId` and sets its cookie: httpOnly, SameSite=Lax, Secure when the request came over TLS. */
export async function startSession(db: Db, req: Request, res: Response, userId: string): Promise<void> {
  const token = newToken('ses');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.session.create({ data: { id: hashToken(token), userId, expiresAt } });
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: expiresAt });
}

/** Where a request came from, for the audit log (proxy-aware through Express's `trust proxy`). */
export const clientAddress = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * Counts a password attempt by `email` from this request's address; a used-up window is a 429
 * `too_many_attempts` with Retry-After (seconds), Redis not answering a 503.
 */
export async function reserveAttempt(throttle: SignInThrottle, email: string, req: Request, res: Response): Promise<Reservation> {
  try {
    return await throttle.reserve(email, clientAddress(req));
  } catch (err) {
    if (err instanceof ThrottledError) {
      res.setHeader('retry-after', String(err.retryAfterSec));
      throw new HttpError(429, 'too_many_attempts', err.message);
    }
    if (err instanceof ThrottleUnavailableError) throw new HttpError(503, 'unavailable', err.message);
    throw err;
  }
}

/** POST/GET/DELETE /api/session. */
export function sessionRouter({ db, cipher, throttle }: SessionDeps): Router {
  const router = Router();

  router.post('/session', async (req, res) => {
    const { email, password, otp } = parse(Login, req.body);
    const ip = clientAddress(req);
    const failed = async (code: string, message: string, userId: string | null) => {
      await audit(db, { actorId: userId, action: 'session.failed', targetType: 'user', targetId: userId ?? undefined, data: { email, ip, reason: code } });
      return new HttpError(401, code, message);
    };

    const attempt = await reserveAttempt(throttle, email, req, res);

    const user = await db.user.findUnique({ where: { email } });
    if (!user || !user.active) {
      await verifyDummyPassword(password);
      throw await failed('invalid_credentials', 'Wrong email or password.', null);
    }
    if (!(await verifyPassword(password, user.passwordHash))) throw await failed('invalid_credentials', 'Wrong email or password.', user.id);
    if (needsRehash(user.passwordHash)) {
      await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    }

    if (user.totpSecret) {
      if (!otp) {
        // The password was right: asking for the code costs the person no attempt.
        await throttle.refund(attempt);
        throw new HttpError(401, 'otp_required', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
      }
      if (looksLikeRecoveryCode(otp)) {
        const used = await db.recoveryCode.deleteMany({ where: { userId: user.id, codeHash: hashRecoveryCode(otp) } });
        if (used.count === 0) throw await failed('invalid_otp', 'That code is not right, or was used already.', user.id);
        const left = await db.recoveryCode.count({ where: { userId: user.id } });
        await audit(db, { actorId: user.id, action: 'user.2fa.recovery_code_used', targetType: 'user', targetId: user.id, data: { ip, left } });
      } else {
        const step = checkTotp(String(cipher.decrypt(user.totpSecret)), otp, user.totpLastStep);
        // Conditional update: two requests racing with the same code cannot both win.
        const won =
          step !== null &&
          (await db.user.updateMany({ where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } })).count === 1;
        if (!won) throw await failed('invalid_otp', 'That code is not right, or was used already.', user.id);
      }
    }

    await throttle.succeeded(attempt);
    await startSession(db, req, res, user.id);
    await audit(db, { actorId: user.id, action: 'session.create', targetType: 'user', targetId: user.id, data: { ip } });
    res.json(await sessionView(db, { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled: user.totpSecret !== null }));
  });

  router.get('/session', requireRole('agent'), async (req, res) => {
    res.json(await sessionView(db, req.user!));
  });

  router.delete('/session', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await db.session.deleteMany({ where: { id: hashToken(token) } });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return router;
}
