// Who is calling: a session cookie (browsers) or `Authorization: Bearer <api token>` (scripts). Both are looked
// up by their SHA-256 on every request, so deactivating a user or deleting a session takes effect at once.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hashToken } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'inbox_session';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

export function authenticate(db: Db): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = readCookie(req, SESSION_COOKIE);
    if (bearer) {
      const token = await db.apiToken.findUnique({ where: { tokenHash: hashToken(bearer) }, include: { user: true } });
      if (token?.user.active) {
        req.user = { id: token.user.id, email: token.user.email, name: token.user.name, role: token.user.role };
        // Best effort: a lost update of lastUsedAt is harmless.
        void db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
      }
    } else if (session) {
      const row = await db.session.findUnique({ where: { id: hashToken(session) }, include: { user: true } });
      if (row && row.expiresAt > new Date() && row.user.active) {
        req.user = { id: row.user.id, email: row.user.email, name: row.user.name, role: row.user.role };
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
