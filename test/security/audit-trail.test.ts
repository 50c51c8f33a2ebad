// Issue 10, item 12's other half: changes to users and the guard policy leave a trace of what changed (before
// and after, no secrets); the start-up banner prints a password only when it generated it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminLoginLine, ensureAdmin } from '../../src/auth/bootstrap-admin.ts';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { auditEntries, createPerson } from './helpers.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api' });
});
afterAll(async () => {
  await inbox?.stop();
});

describe('audit trail', () => {
  it('records user changes with before and after, and never a password or its hash', async () => {
    const person = await createPerson(inbox, 'agent', 'first password 1');
    await inbox.api(`/api/users/${person.id}`, { method: 'PATCH', token: inbox.adminToken, body: { role: 'admin', name: 'Renamed', password: 'second password 2' } });
    const entry = (await auditEntries(inbox, 'user.update')).find((e) => e.targetId === person.id);
    expect(entry.data.before).toMatchObject({ role: 'agent', active: true });
    expect(entry.data.after).toMatchObject({ role: 'admin', name: 'Renamed', active: true });
    expect(entry.data.passwordChanged).toBe(true);
    const created = (await auditEntries(inbox, 'user.create')).find((e) => e.targetId === person.id);
    expect(created.data.after).toMatchObject({ email: person.email, role: 'agent' });
    const all = JSON.stringify(await auditEntries(inbox, 'user'));
    expect(all).not.toContain('first password 1');
    expect(all).not.toContain('second password 2');
    expect(all).not.toContain('scrypt$');
  });

  it('records a guard policy change with the policy before and after', async () => {
    const before = (await inbox.api('/api/guard/policy', { token: inbox.adminToken })).body;
    const after = structuredClone(before);
    const type = Object.keys(after.types)[0]!;
    after.types[type].publicAction = after.types[type].publicAction === 'warn' ? 'remove_warn_dm' : 'warn';
    expect((await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: after })).status).toBe(200);
    const [entry] = await auditEntries(inbox, 'guard.policy.update');
    expect(entry.data.before.types[type].publicAction).toBe(before.types[type].publicAction);
    expect(entry.data.after.types[type].publicAction).toBe(after.types[type].publicAction);
  });
});

describe('start-up banner', () => {
  it('prints a generated admin password, never one given in ADMIN_PASSWORD', async () => {
    const given = await ensureAdmin(inbox.app.db, 'given-admin@example.com', 'chosen by the operator');
    expect(adminLoginLine(given)).toContain('given-admin@example.com');
    expect(adminLoginLine(given)).not.toContain('chosen by the operator');

    const generated = await ensureAdmin(inbox.app.db, 'generated-admin@example.com');
    expect(generated.generated).toBe(true);
    expect(adminLoginLine(generated)).toContain(generated.password!);
    // A later start knows no password to print.
    const again = await ensureAdmin(inbox.app.db, 'generated-admin@example.com');
    expect(adminLoginLine(again)).not.toContain(generated.password!);
  });
});
