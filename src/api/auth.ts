// Who is calling: a session cookie (browsers) or `Authorization: Bearer <api token>` (scripts). Both are looked
// up by their SHA-256 on every request, so deactivating a user, revoking a token or deleting a session takes
// effect at once.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { loadSecuritySettings } from '../auth/security-settings.ts';
import { hashToken } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'inbox_session';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  twoFactorEnabled: boolean;
}

/** The credential a request came with: a session (its stored id, the token's hash) or an API token (its row id). */
export type AuthCredential = { kind: 'session'; id: string } | { kind: 'token'; id: string };

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
    credential?: AuthCredential;
  }
}

/** The value of cookie `name`, or undefined when absent or not decodable (a malformed cookie is no cookie). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

type UserRow = { id: string; email: string; name: string; role: 'admin' | 'agent'; active: boolean; totpSecret: string | null };
const authUser = (u: UserRow): AuthUser => ({ id: u.id, email: u.email, name: u.name, role: u.role, twoFactorEnabled: u.totpSecret !== null });

/** Looks up a credential; null when it is unknown, expired, or its user is deactivated. */
export async function resolveCredential(db: Db, credential: AuthCredential): Promise<AuthUser | null> {
  const now = new Date();
  if (credential.kind === 'token') {
    const token = await db.apiToken.findUnique({ where: { id: credential.id }, include: { user: true } });
    return token && token.user.active && (!token.expiresAt || token.expiresAt > now) ? authUser(token.user) : null;
  }
  const row = await db.session.findUnique({ where: { id: credential.id }, include: { user: true } });
  return row && row.expiresAt > now && row.user.active ? authUser(row.user) : null;
}

/** Sets req.user and req.credential from a Bearer token or the session cookie; anonymous requests pass on. */
export function authenticate(db: Db): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = readCookie(req, SESSION_COOKIE);
    if (bearer) {
      const token = await db.apiToken.findUnique({ where: { tokenHash: hashToken(bearer) }, include: { user: true } });
      if (token?.user.active && (!token.expiresAt || token.expiresAt > new Date())) {
        req.user = authUser(token.user);
        req.credential = { kind: 'token', id: token.id };
        // Best effort: a lost update of lastUsedAt is harmless.
        void db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
      }
    } else if (session) {
      const id = hashToken(session);
      const user = await resolveCredential(db, { kind: 'session', id });
      if (user) {
        req.user = user;
        req.credential = { kind: 'session', id };
      }
    }
    next();
  };
}

/** Agents and admins may work the inbox; only admins configure it. */
export function requireRole(role: 'agent' | 'admin'): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new HttpError(401, 'unauthenticated', 'Sign in first (POST /api/session) or send a Bearer API token.'));
    if (role === 'admin' && req.user.role !== 'admin') return next(new HttpError(403, 'forbidden', 'This needs the admin role.'));
    next();
  };
}

/**
 * When admins made two-factor sign-in mandatory, a signed-in person without it may only reach /api/session and
 * /api/account (to enrol); everything else answers 403 `two_factor_setup_required`. API tokens are not held up:
 * an admin issued them for a script, and can list and revoke them.
 */
export function requireTwoFactorSetup(db: Db): RequestHandler {
  return async (req, _res, next) => {
    if (!req.user || req.credential?.kind !== 'session' || req.user.twoFactorEnabled) return next();
    if (/^\/(session|account)(\/|$)/.test(req.path)) return next();
    if (!(await loadSecuritySettings(db)).requireTwoFactor) return next();
    next(new HttpError(403, 'two_factor_setup_required', 'Your admins require two-factor sign-in: set it up under your account first.'));
  };
}
