// Issue 10, item 6: two-factor sign-in (TOTP and recovery codes) that admins can make mandatory; failed
// sign-ins and 2FA changes are audited with the client address.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { currentTotp } from '../../src/auth/two-factor.ts';
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

const as = (cookie: string) => ({ token: null, headers: { cookie, 'x-forwarded-for': '203.0.113.20' } });

/** Enrols `person` in 2FA; returns the secret and the recovery codes. */
async function enrol(cookie: string) {
  const setup = await inbox.api('/api/account/2fa/setup', { method: 'POST', ...as(cookie) });
  expect(setup.status).toBe(200);
  expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+secret=/);
  const enabled = await inbox.api('/api/account/2fa/enable', { ...as(cookie), body: { otp: currentTotp(setup.body.secret) } });
  expect(enabled.status).toBe(200);
  return { secret: setup.body.secret as string, recoveryCodes: enabled.body.recoveryCodes as string[] };
}

describe('two-factor sign-in', () => {
  it('asks for a code after the right password, accepts each code once, and takes recovery codes once', async () => {
    const person = await createPerson(inbox);
    const cookie = await sessionCookie(inbox, person);
    expect((await inbox.api('/api/session', as(cookie))).body).toMatchObject({ twoFactorEnabled: false, twoFactorRequired: false });

    // Not on until a code confirms it.
    const setup = await inbox.api('/api/account/2fa/setup', { method: 'POST', ...as(cookie) });
    expect((await signIn(inbox, person, '203.0.113.21')).status).toBe(200);
    const wrong = await inbox.api('/api/account/2fa/enable', { ...as(cookie), body: { otp: '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('invalid_otp');
    const enabled = await inbox.api('/api/account/2fa/enable', { ...as(cookie), body: { otp: currentTotp(setup.body.secret) } });
    expect(enabled.status).toBe(200);
    const codes: string[] = enabled.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await inbox.api('/api/session', as(cookie))).body.twoFactorEnabled).toBe(true);
    // Stored hashed: neither the codes nor the secret appear in the database as given.
    const dump = await inbox.dumpDatabase();
    expect(dump).not.toContain(codes[0]);
    expect(dump).not.toContain(setup.body.secret);

    const ip = '203.0.113.22';
    const noCode = await signIn(inbox, person, ip);
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('otp_required');
    expect(noCode.headers.get('set-cookie')).toBeNull();
    const badCode = await signIn(inbox, { ...person, otp: '123456' }, ip);
    expect(badCode.status).toBe(401);
    expect(badCode.body.error.code).toBe('invalid_otp');

    // The code used to enable is spent; the next one works, once.
    const next = currentTotp(setup.body.secret, Date.now() + 30_000);
    expect((await signIn(inbox, { ...person, otp: next }, ip)).status).toBe(200);
    const replay = await signIn(inbox, { ...person, otp: next }, '203.0.113.23');
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_otp');

    // A recovery code, typed loosely, works once.
    expect((await signIn(inbox, { ...person, otp: ` ${codes[3]!.toUpperCase()} ` }, '203.0.113.24')).status).toBe(200);
    expect((await signIn(inbox, { ...person, otp: codes[3]! }, '203.0.113.25')).body.error.code).toBe('invalid_otp');

    // Failed codes and 2FA changes are in the audit log with the address; no code or secret is.
    const failed = (await auditEntries(inbox, 'session.failed')).filter((e) => e.targetId === person.id);
    expect(failed.map((e) => [e.data.reason, e.data.ip])).toEqual(
      expect.arrayContaining([
        ['invalid_otp', ip],
        ['invalid_otp', '203.0.113.23'],
        ['invalid_otp', '203.0.113.25'],
      ]),
    );
    const enabledEntry = (await auditEntries(inbox, 'user.2fa.enable')).find((e) => e.targetId === person.id);
    expect(enabledEntry.data.ip).toBe('203.0.113.20');
    expect((await auditEntries(inbox, 'user.2fa.recovery_code_used')).find((e) => e.targetId === person.id).data).toMatchObject({ left: 9 });
    const audit = JSON.stringify(await auditEntries(inbox, 'user'));
    expect(audit).not.toContain(setup.body.secret);
    expect(audit).not.toContain(codes[0]);

    // Turning it off needs the password.
    expect((await inbox.api('/api/account/2fa', { method: 'DELETE', ...as(cookie), body: { password: 'nope nope' } })).status).toBe(400);
    expect((await inbox.api('/api/account/2fa', { method: 'DELETE', ...as(cookie), body: { password: person.password } })).status).toBe(204);
    expect((await signIn(inbox, person, '203.0.113.26')).status).toBe(200);
    expect((await auditEntries(inbox, 'user.2fa.disable')).some((e) => e.targetId === person.id && e.data.ip === '203.0.113.20')).toBe(true);
  });

  it('when admins make it mandatory, people without it can only set it up; an admin can reset someone', async () => {
    const enrolled = await createPerson(inbox);
    const enrolledCookie = await sessionCookie(inbox, enrolled);
    await enrol(enrolledCookie);
    const newcomer = await createPerson(inbox);

    expect((await inbox.api('/api/settings/security', { method: 'PUT', token: inbox.agentToken, body: { requireTwoFactor: true } })).status).toBe(403);
    const on = await inbox.api('/api/settings/security', { method: 'PUT', token: inbox.adminToken, body: { requireTwoFactor: true } });
    expect(on.status).toBe(200);
    try {
      expect((await inbox.api('/api/settings/security', { token: inbox.adminToken })).body).toEqual({ requireTwoFactor: true });
      const cookie = await sessionCookie(inbox, newcomer, '203.0.113.30');
      expect((await inbox.api('/api/session', as(cookie))).body).toMatchObject({ twoFactorEnabled: false, twoFactorRequired: true });
      const blocked = await inbox.api('/api/conversations', as(cookie));
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('two_factor_setup_required');
      await enrol(cookie);
      expect((await inbox.api('/api/conversations', as(cookie))).status).toBe(200);

      // Mandatory means it cannot be turned off.
      const off = await inbox.api('/api/account/2fa', { method: 'DELETE', ...as(enrolledCookie), body: { password: enrolled.password } });
      expect(off.status).toBe(409);
      expect(off.body.error.code).toBe('two_factor_required');

      // Lost phone: an admin resets it, and the person signs in with the password alone (then must enrol again).
      expect((await signIn(inbox, enrolled, '203.0.113.31')).body.error.code).toBe('otp_required');
      const reset = await inbox.api(`/api/users/${enrolled.id}`, { method: 'PATCH', token: inbox.adminToken, body: { resetTwoFactor: true } });
      expect(reset.status).toBe(200);
      expect(reset.body.twoFactorEnabled).toBe(false);
      const again = await sessionCookie(inbox, enrolled, '203.0.113.31');
      expect((await inbox.api('/api/conversations', as(again))).body.error.code).toBe('two_factor_setup_required');
      const audit = await auditEntries(inbox, 'settings.security.update');
      expect(audit[0].data).toMatchObject({ before: { requireTwoFactor: false }, after: { requireTwoFactor: true } });
      expect((await auditEntries(inbox, 'user.update')).find((e) => e.targetId === enrolled.id).data).toMatchObject({
        twoFactorReset: true,
        before: { twoFactorEnabled: true },
        after: { twoFactorEnabled: false },
      });
    } finally {
      await inbox.api('/api/settings/security', { method: 'PUT', token: inbox.adminToken, body: { requireTwoFactor: false } });
    }
  });
});
