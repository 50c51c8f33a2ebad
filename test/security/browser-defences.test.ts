// Issue 10, item 9: browser defences. Strict CSP, nosniff, Referrer-Policy, no-store on API answers, a Secure
// session cookie whenever the request arrived over TLS (through a trusted proxy), cross-site state changes with
// the cookie refused, and a malformed cookie answered 401 rather than 500.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { createPerson, sessionCookie, signIn } from './helpers.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api' });
});
afterAll(async () => {
  await inbox?.stop();
});

describe('browser defences', () => {
  it('sends a strict Content-Security-Policy and the other security headers with the app and the API', async () => {
    for (const path of ['/', '/api/session', '/healthz']) {
      const res = await inbox.api(path, { token: null });
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    const api = await inbox.api('/api/conversations');
    expect(api.headers.get('cache-control')).toBe('no-store');
    const failed = await inbox.api('/api/conversations', { token: null });
    expect(failed.status).toBe(401);
    expect(failed.headers.get('cache-control')).toBe('no-store');
  });

  it('marks the session cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const person = await createPerson(inbox);
    const plain = await signIn(inbox, person, '192.0.2.1');
    expect(plain.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(plain.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    const tls = await signIn(inbox, person, '192.0.2.1', { 'x-forwarded-proto': 'https' });
    expect(tls.status).toBe(200);
    expect(tls.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('refuses state changes made with the cookie from another site, and allows them from the app itself', async () => {
    const person = await createPerson(inbox);
    const cookie = await sessionCookie(inbox, person);
    const own = new URL(inbox.url).origin;
    const post = (headers: Record<string, string>) => inbox.api('/api/account/2fa/setup', { method: 'POST', token: null, headers: { cookie, ...headers } });

    const forged = await post({ origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('cross_site_request');
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'same-site', origin: own })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    // Signing someone in to an attacker's account from another site is refused too.
    expect((await inbox.api('/api/session', { token: null, body: person, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // Reading is not a state change, and the app's own requests pass.
    expect((await inbox.api('/api/session', { token: null, headers: { cookie, origin: 'https://evil.example' } })).status).toBe(200);
    expect((await post({ origin: own, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // A cookie-driven change that names no origin at all is no page of ours either; a Bearer token needs none.
    const bare = await fetch(`${inbox.url}/api/account/2fa/setup`, { method: 'POST', headers: { cookie } });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as any).error.code).toBe('cross_site_request');
    expect((await fetch(`${inbox.url}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${inbox.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${inbox.adminToken}`, 'content-type': 'application/json' }, body: '{"name":"script"}' })).status).toBe(201);
    // Nothing was changed by the refused ones: the one accepted setup is still pending, 2FA off.
    expect((await inbox.api('/api/session', { token: null, headers: { cookie } })).body.twoFactorEnabled).toBe(false);
  });

  it('answers a malformed session cookie with 401, not 500', async () => {
    for (const cookie of ['inbox_session=%E0%A4%A', 'inbox_session=', 'inbox_session', `inbox_session=${'%'.repeat(50)}`, 'inbox_session=ses_x; inbox_session=%']) {
      const res = await inbox.api('/api/conversations', { token: null, headers: { cookie } });
      expect(res.status, cookie).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect((await inbox.api('/api/session', { method: 'DELETE', token: null, headers: { cookie: 'inbox_session=%E0%A4%A' } })).status).toBe(204);
  });
});
