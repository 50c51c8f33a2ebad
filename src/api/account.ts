// A signed-in person's own account: two-factor sign-in and their password.
import { Router } from 'express';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { revokeAccess } from '../auth/revoke.ts';
import { loadSecuritySettings } from '../auth/security-settings.ts';
import type { SignInThrottle } from '../auth/throttle.ts';
import { checkTotp, hashRecoveryCode, newRecoveryCodes, newTotpSecret } from '../auth/two-factor.ts';
import { audit } from '../db/audit.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import type { Request, Response } from 'express';
import { requireRole } from './auth.ts';
import { HttpError, notFound, parse } from './errors.ts';
import { clientAddress, reserveAttempt } from './session.ts';
import { PasswordSchema } from './users.ts';

const Enable = z.object({ otp: z.string().trim().min(1, 'must not be empty').max(20) });
const Disable = z.object({ password: z.string().min(1, 'must not be empty').max(1000) });
const ChangePassword = z.object({ currentPassword: z.string().min(1, 'must not be empty').max(1000), newPassword: PasswordSchema });

const wrongPassword = (field: string) => new HttpError(400, 'invalid_password', `${field}: not your current password`, { [field]: 'not your current password' });

/** /api/account: 2fa/setup, 2fa/enable, DELETE 2fa, password. Any signed-in person, for themselves. */
export function accountRouter(deps: { db: Db; cipher: CredentialCipher; throttle: SignInThrottle }): Router {
  const { db, cipher, throttle } = deps;
  const router = Router();
  router.use(requireRole('agent'));

  /**
   * Checks the person's current password through the sign-in throttle: a stolen session must not become a way
   * to guess the password (and with it, the account) at full speed.
   */
  const passwordMatches = async (req: Request, res: Response, user: { email: string; passwordHash: string }, password: string) => {
    const attempt = await reserveAttempt(throttle, user.email, req, res);
    const ok = await verifyPassword(password, user.passwordHash);
    if (ok) await throttle.refund(attempt);
    return ok;
  };

  const me = async (id: string) => {
    const user = await db.user.findUnique({ where: { id } });
    if (!user) throw notFound('No such user.');
    return user;
  };

  /** Step 1: a new secret to scan; two-factor sign-in is not on until step 2 confirms a code from it. */
  router.post('/2fa/setup', async (req, res) => {
    const user = await me(req.user!.id);
    if (user.totpSecret) throw new HttpError(409, 'two_factor_enabled', 'Two-factor sign-in is on already; turn it off first to move it to another device.');
    const { secret, otpauthUrl } = newTotpSecret(user.email);
    await db.user.update({ where: { id: user.id }, data: { totpPending: cipher.encrypt(secret) } });
    res.json({ secret, otpauthUrl });
  });

  /** Step 2: a code from the app proves it is set up; returns the recovery codes, shown this once. */
  router.post('/2fa/enable', async (req, res) => {
    const { otp } = parse(Enable, req.body);
    const user = await me(req.user!.id);
    if (user.totpSecret) throw new HttpError(409, 'two_factor_enabled', 'Two-factor sign-in is on already.');
    if (!user.totpPending) throw new HttpError(409, 'two_factor_not_set_up', 'Start with POST /api/account/2fa/setup.');
    const secret = String(cipher.decrypt(user.totpPending));
    const step = checkTotp(secret, otp, null);
    if (step === null) throw new HttpError(400, 'invalid_otp', 'otp: that code is not right; check the time on your phone and try the newest code', { otp: 'not the current code' });
    const recoveryCodes = newRecoveryCodes();
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { totpSecret: user.totpPending, totpPending: null, totpLastStep: step } });
      await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
      await tx.recoveryCode.createMany({ data: recoveryCodes.map((code) => ({ userId: user.id, codeHash: hashRecoveryCode(code) })) });
      await audit(tx, { actorId: user.id, action: 'user.2fa.enable', targetType: 'user', targetId: user.id, data: { ip: clientAddress(req) } });
    });
    res.json({ recoveryCodes });
  });

  router.delete('/2fa', async (req, res) => {
    const { password } = parse(Disable, req.body);
    const user = await me(req.user!.id);
    if (!(await passwordMatches(req, res, user, password))) throw wrongPassword('password');
    if ((await loadSecuritySettings(db, true)).requireTwoFactor) {
      throw new HttpError(409, 'two_factor_required', 'Your admins require two-factor sign-in, so it cannot be turned off.');
    }
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { totpSecret: null, totpPending: null, totpLastStep: null } });
      await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
      await audit(tx, { actorId: user.id, action: 'user.2fa.disable', targetType: 'user', targetId: user.id, data: { ip: clientAddress(req) } });
    });
    res.status(204).end();
  });

  /** A new password ends every other session and revokes every API token of this person. */
  router.post('/password', async (req, res) => {
    const { currentPassword, newPassword } = parse(ChangePassword, req.body);
    const user = await me(req.user!.id);
    if (!(await passwordMatches(req, res, user, currentPassword))) throw wrongPassword('currentPassword');
    const passwordHash = await hashPassword(newPassword);
    const keep = req.credential?.kind === 'session' ? req.credential.id : undefined;
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
      const revoked = await revokeAccess(tx, user.id, keep);
      await audit(tx, {
        actorId: user.id,
        action: 'user.password.change',
        targetType: 'user',
        targetId: user.id,
        data: { ip: clientAddress(req), sessionsEnded: revoked.sessions, tokensRevoked: revoked.tokens },
      });
    });
    res.status(204).end();
  });

  return router;
}
