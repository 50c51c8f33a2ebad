// The first admin: ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password printed once at start-up.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { audit } from '../db/audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface AdminLogin {
  email: string;
  /** Set when the password is known to this process (given in the environment, or just generated). */
  password?: string;
  generated: boolean;
}

export async function ensureAdmin(db: Db, email: string, password?: string): Promise<AdminLogin> {
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    // The environment is the way back in: a changed ADMIN_PASSWORD resets that admin's password.
    if (password && !(await verifyPassword(password, existing.passwordHash))) {
      await db.user.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(password), active: true, role: 'admin' } });
      await audit(db, { actorId: null, action: 'user.update', targetType: 'user', targetId: existing.id, data: { passwordChanged: true, by: 'ADMIN_PASSWORD' } });
    }
    return { email, password, generated: false };
  }
  const chosen = password ?? randomBytes(12).toString('base64url');
  const user = await db.user.create({ data: { email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(chosen) } });
  await audit(db, { actorId: null, action: 'user.create', targetType: 'user', targetId: user.id, data: { email, role: 'admin', by: 'start-up' } });
  return { email, password: chosen, generated: !password };
}

/**
 * The start-up banner's admin line. A password appears only when it was generated just now (nobody else knows
 * it); one given in ADMIN_PASSWORD is never printed, where logs or a shared terminal would keep it.
 */
export function adminLoginLine(admin: AdminLogin): string {
  if (admin.generated && admin.password) return `  Admin login: ${admin.email} / ${admin.password}   (generated; set ADMIN_PASSWORD to choose your own)`;
  return `  Admin login: ${admin.email} (password from ADMIN_PASSWORD, or as set at first start; lost it? start once with ADMIN_PASSWORD=... to reset it)`;
}
