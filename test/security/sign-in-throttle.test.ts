// Issue 10, item 5: sign-in throttling that holds under parallel requests and cannot lock people out; the same
// work for unknown emails; scrypt at OWASP's minimum cost, with old hashes upgraded at sign-in.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { auditEntries, createPerson, sessionCookie, signIn } from './helpers.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api' });
});
afterAll(async () => {
  await inbox?.stop();
});

describe('sign-in throttling', () => {
  it('answers 100 parallel wrong passwords with at most 5 password checks, the rest 429 with Retry-After', async () => {
    const person = await createPerson(inbox);
    const attacker = '198.51.100.7';
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(inbox, { email: person.email, password: `guess-${i}` }, attacker)));
    const checked = answers.filter((a) => a.status === 401);
    const throttled = answers.filter((a) => a.status === 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length + throttled.length).toBe(100);
    expect(throttled[0]!.body.error.code).toBe('too_many_attempts');
    const retryAfter = Number(throttled[0]!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Only the checked ones were failed sign-ins, each audited with the address it came from.
    const failed = (await auditEntries(inbox, 'session.failed')).filter((e) => e.data.email === person.email);
    expect(failed).toHaveLength(checked.length);
    expect(failed.every((e) => e.data.ip === attacker && e.data.reason === 'invalid_credentials')).toBe(true);

    // Even the right password waits from the attacker's address...
    expect((await signIn(inbox, person, attacker)).status).toBe(429);
    // ...but the real person, elsewhere, is not locked out.
    expect((await signIn(inbox, person, '203.0.113.50')).status).toBe(200);
  });

  it('backs off guesses spread over many addresses, yet its owner still gets in from an address they used before', async () => {
    const person = await createPerson(inbox);
    const home = '203.0.113.99';
    expect((await signIn(inbox, person, home)).status).toBe(200);
    const answers = [];
    for (let round = 0; round < 8; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(inbox, { email: person.email, password: 'nope' }, `10.9.${round}.${i + 1}`)))));
    }
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(30);
    const throttled = answers.find((a) => a.status === 429);
    expect(throttled).toBeDefined();
    expect(Number(throttled!.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect((await signIn(inbox, person, '10.9.200.1')).status).toBe(429);
    expect((await signIn(inbox, person, home)).status).toBe(200);
  });

  it('an admin resetting the password lifts the throttle at once', async () => {
    const person = await createPerson(inbox);
    const ip = '192.0.2.77';
    await Promise.all(Array.from({ length: 8 }, () => signIn(inbox, { email: person.email, password: 'wrong wrong' }, ip)));
    expect((await signIn(inbox, person, ip)).status).toBe(429);
    const reset = await inbox.api(`/api/users/${person.id}`, { method: 'PATCH', token: inbox.adminToken, body: { password: 'a brand new one' } });
    expect(reset.status).toBe(200);
    expect((await signIn(inbox, { email: person.email, password: 'a brand new one' }, ip)).status).toBe(200);
  });
});

describe('password checks behind a session', () => {
  it('throttles password guesses through the account routes too (a stolen session is no fast lane)', async () => {
    const person = await createPerson(inbox);
    const cookie = await sessionCookie(inbox, person, '198.51.100.60');
    const guess = (i: number) =>
      inbox.api('/api/account/password', { token: null, headers: { cookie, 'x-forwarded-for': '198.51.100.60' }, body: { currentPassword: `guess ${i}`, newPassword: 'taken over 123' } });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(i)));
    expect(answers.filter((a) => a.status === 400).length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(15);
  });
});

describe('password hashing', () => {
  it('takes as long for an unknown email as for a wrong password (a dummy hash), so timing tells nothing', async () => {
    const person = await createPerson(inbox);
    const time = async (email: string, ip: string) => {
      const started = performance.now();
      const res = await signIn(inbox, { email, password: 'definitely wrong' }, ip);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(person.email, `172.16.1.${i + 1}`));
      unknown.push(await time(`nobody-${i}@example.com`, `172.16.2.${i + 1}`));
    }
    // Without the dummy hash an unknown email answers in a millisecond or two, a real check in hundreds.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.4);
  });

  it('hashes with scrypt N=2^17, r=8, p=1 and upgrades an older, cheaper hash at sign-in', async () => {
    const person = await createPerson(inbox);
    const fresh = await inbox.app.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(fresh.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);

    const salt = randomBytes(16);
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(person.password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    await inbox.app.db.user.update({ where: { id: person.id }, data: { passwordHash: old } });
    expect((await signIn(inbox, person, '172.16.3.1')).status).toBe(200);
    const upgraded = await inbox.app.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(upgraded.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await signIn(inbox, person, '172.16.3.2')).status).toBe(200);
  });
});
