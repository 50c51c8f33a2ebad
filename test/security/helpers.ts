// Shared steps of the security tests: people, sign-in from a chosen client address, audit reads.
import { randomBytes } from 'node:crypto';
import type { TestInbox } from '../support/inbox.ts';

/** Creates a person through the admin API; returns their id, email and password. */
export async function createPerson(inbox: TestInbox, role: 'agent' | 'admin' = 'agent', password = 'correct horse 42') {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const res = await inbox.api('/api/users', { token: inbox.adminToken, body: { email, password, role, name: `Person ${email.slice(0, 6)}` } });
  if (res.status !== 201) throw new Error(`could not create a user: ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, email, password };
}

/**
 * POST /api/session as if from `ip` (the test client is on loopback, which the default TRUST_PROXY trusts to
 * name the client in X-Forwarded-For).
 */
export function signIn(inbox: TestInbox, body: { email: string; password: string; otp?: string }, ip = '203.0.113.10', headers: Record<string, string> = {}) {
  return inbox.api('/api/session', { token: null, body, headers: { 'x-forwarded-for': ip, ...headers } });
}

/** Signs in and returns the `name=value` cookie pair. */
export async function sessionCookie(inbox: TestInbox, body: { email: string; password: string; otp?: string }, ip?: string): Promise<string> {
  const res = await signIn(inbox, body, ip);
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** The audit entries with `action` (newest first). */
export async function auditEntries(inbox: TestInbox, action: string): Promise<any[]> {
  const res = await inbox.api(`/api/audit?action=${encodeURIComponent(action)}&limit=500`, { token: inbox.adminToken });
  return res.body.items;
}
