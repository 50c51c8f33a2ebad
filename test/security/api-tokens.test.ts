// Issue 10, item 8: API tokens have a lifecycle (list without the secret, revoke at once, expiry); a password
// change or deactivation revokes a person's tokens and sessions; an open event stream closes when its session or
// token stops being valid.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { createPerson, sessionCookie } from './helpers.ts';
import { openEvents } from './sse-client.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api' });
});
afterAll(async () => {
  await inbox?.stop();
});

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p.then(() => 'closed' as const), new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);

describe('API tokens', () => {
  it('lists tokens without their secret, revokes one at once, and honours an expiry', async () => {
    const person = await createPerson(inbox);
    const made = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'nightly export', userId: person.id } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'nightly export', userId: person.id, expiresAt: null, lastUsedAt: null });
    const secret: string = made.body.token;
    expect((await inbox.api('/api/conversations', { token: secret })).status).toBe(200);

    // Its owner sees it (never the secret); an agent sees no one else's; an admin sees all.
    const mine = await inbox.api('/api/tokens', { token: secret });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: any) => t.id)).toEqual([made.body.id]);
    expect(mine.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(mine.body)).not.toContain(secret);
    expect(Object.keys(mine.body.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'userId']);
    const all = await inbox.api('/api/tokens', { token: inbox.adminToken });
    expect(all.body.items.map((t: any) => t.id)).toContain(made.body.id);
    expect((await inbox.api(`/api/tokens/${all.body.items.find((t: any) => t.userId !== person.id).id}`, { method: 'DELETE', token: secret })).status).toBe(404);

    expect((await inbox.api(`/api/tokens/${made.body.id}`, { method: 'DELETE', token: inbox.adminToken })).status).toBe(204);
    expect((await inbox.api('/api/conversations', { token: secret })).status).toBe(401);
    expect((await inbox.api('/api/tokens', { token: inbox.adminToken })).body.items.map((t: any) => t.id)).not.toContain(made.body.id);
    expect((await inbox.api('/api/audit?action=token.revoke', { token: inbox.adminToken })).body.items[0]).toMatchObject({ targetId: person.id, data: { tokenId: made.body.id } });

    // Expiry: works until then, not after.
    const past = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'x', expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toHaveProperty('expiresAt');
    const brief = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'brief', userId: person.id, expiresAt: new Date(Date.now() + 1500).toISOString() } });
    expect(brief.status).toBe(201);
    expect((await inbox.api('/api/conversations', { token: brief.body.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await inbox.api('/api/conversations', { token: brief.body.token })).status).toBe(401);
  });

  it('a password change ends the other sessions and revokes the tokens, keeping the session that made it', async () => {
    const person = await createPerson(inbox);
    const here = await sessionCookie(inbox, person, '198.51.100.1');
    const elsewhere = await sessionCookie(inbox, person, '198.51.100.2');
    const token = (await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'script', userId: person.id } })).body.token;

    const wrong = await inbox.api('/api/account/password', { token: null, headers: { cookie: here }, body: { currentPassword: 'not it at all', newPassword: 'another long one' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty('currentPassword');
    const changed = await inbox.api('/api/account/password', { token: null, headers: { cookie: here }, body: { currentPassword: person.password, newPassword: 'another long one' } });
    expect(changed.status).toBe(204);
    expect((await inbox.api('/api/session', { token: null, headers: { cookie: here } })).status).toBe(200);
    expect((await inbox.api('/api/session', { token: null, headers: { cookie: elsewhere } })).status).toBe(401);
    expect((await inbox.api('/api/conversations', { token })).status).toBe(401);
    expect((await inbox.api('/api/audit?action=user.password.change', { token: inbox.adminToken })).body.items[0].data).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
  });

  it('closes an open event stream once its session ends or its token is revoked or its user deactivated', async () => {
    const person = await createPerson(inbox);
    const cookie = await sessionCookie(inbox, person);
    const token = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'stream', userId: person.id } });

    const bySession = await openEvents(inbox.url, { cookie });
    const byToken = await openEvents(inbox.url, { authorization: `Bearer ${token.body.token}` });
    expect([bySession.status, byToken.status]).toEqual([200, 200]);
    expect(await within(1000, bySession.ended)).toBe('open');

    // Signed out in another tab: the session is gone.
    expect((await inbox.api('/api/session', { method: 'DELETE', token: null, headers: { cookie } })).status).toBe(204);
    expect(await within(10_000, bySession.ended)).toBe('closed');
    expect(await within(10, byToken.ended)).toBe('open');

    await inbox.api(`/api/tokens/${token.body.id}`, { method: 'DELETE', token: inbox.adminToken });
    expect(await within(10_000, byToken.ended)).toBe('closed');

    const second = await sessionCookie(inbox, person);
    const stream = await openEvents(inbox.url, { cookie: second });
    await inbox.api(`/api/users/${person.id}`, { method: 'PATCH', token: inbox.adminToken, body: { active: false } });
    expect(await within(10_000, stream.ended)).toBe('closed');
  });
});
