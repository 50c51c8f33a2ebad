// The HTTP contract of ../shared/api.md that needs no platform: probes, sign-in, roles, validation, connectors,
// users, the guard policy and the audit log.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestInbox, type TestInbox } from './support/inbox.ts';

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api,workers' });
});
afterAll(async () => {
  await inbox?.stop();
});

const telegramBody = (over: Record<string, unknown> = {}) => ({
  platform: 'telegram',
  name: 'Support bot',
  credentials: { botToken: '123456789:AAHsecretsecretsecretsecretsecret00' },
  settings: { apiRoot: 'http://127.0.0.1:9', mode: 'polling' },
  enabled: false,
  ...over,
});

describe('probes and errors', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await inbox.api('/healthz', { token: null })).status).toBe(200);
    const ready = await inbox.api('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok', missing: [] });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await inbox.api('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await inbox.api('/nope', { token: null })).body.error.code).toBe('not_found');
  });

  it('has no demo outside demo mode: GET /api/demo is a 404', async () => {
    expect((await inbox.api('/api/demo')).status).toBe(404);
  });

  it('rejects malformed JSON with a 400, not a crash', async () => {
    const res = await inbox.api('/api/session', { method: 'POST', body: '{"email": ', token: null, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/JSON/);
  });
});

describe('NUL characters', () => {
  it('refuses U+0000 in a body field or a query parameter with a 400 naming the field', async () => {
    const token = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'nul \u0000 here' } });
    expect(token.status).toBe(400);
    expect(token.body.error.fields).toEqual({ name: expect.stringMatching(/NUL/) });
    expect(token.body.error.message).toMatch(/^name: /);

    const canned = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: { title: 'a\u0000b', text: 'fine' } });
    expect(canned.status).toBe(400);
    expect(canned.body.error.fields).toHaveProperty('title');

    const search = await inbox.api('/api/conversations?q=ab%00cd');
    expect(search.status).toBe(400);
    expect(search.body.error.fields).toHaveProperty('q');
  });

  it('treats an empty filter value as no filter', async () => {
    const unfiltered = await inbox.api('/api/conversations?status=&platform=&q=&assigneeId=');
    expect(unfiltered.status).toBe(200);
    expect(Array.isArray(unfiltered.body.items)).toBe(true);
    expect((await inbox.api('/api/conversations?status=')).body.items).toEqual(unfiltered.body.items);
    expect((await inbox.api('/api/canned-responses?language=&q=')).status).toBe(200);
  });
});

describe('sign-in and roles', () => {
  it('signs in with a password, returns the user, and signs out', async () => {
    const email = 'login-test@example.com';
    const created = await inbox.api('/api/users', { token: inbox.adminToken, body: { email, password: 'longenough1', role: 'agent', name: 'Lin' } });
    expect(created.status).toBe(201);

    const bad = await inbox.api('/api/session', { token: null, body: { email, password: 'wrong-password' } });
    expect(bad.status).toBe(401);

    const ok = await inbox.api('/api/session', { token: null, body: { email, password: 'longenough1' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ email, name: 'Lin', role: 'agent' });
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const me = await inbox.api('/api/session', { token: null, headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);

    expect((await inbox.api('/api/session', { method: 'DELETE', token: null, headers: { cookie } })).status).toBe(204);
    expect((await inbox.api('/api/session', { token: null, headers: { cookie } })).status).toBe(401);
  });

  it('answers 401 without credentials and 403 for the wrong role', async () => {
    expect((await inbox.api('/api/conversations', { token: null })).status).toBe(401);
    expect((await inbox.api('/api/conversations', { token: 'inbox_forged' })).status).toBe(401);
    expect((await inbox.api('/api/connectors')).status).toBe(403); // the agent token
    expect((await inbox.api('/api/connectors', { token: inbox.adminToken })).status).toBe(200);
  });

  it('stops a deactivated user at once, sessions and tokens alike', async () => {
    const email = 'leaver@example.com';
    const user = await inbox.api('/api/users', { token: inbox.adminToken, body: { email, password: 'longenough1', role: 'agent' } });
    const login = await inbox.api('/api/session', { token: null, body: { email, password: 'longenough1' } });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const token = await inbox.api('/api/tokens', { token: inbox.adminToken, body: { name: 'script', userId: user.body.id } });
    expect(token.status).toBe(201);
    expect((await inbox.api('/api/conversations', { token: token.body.token })).status).toBe(200);

    const off = await inbox.api(`/api/users/${user.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: { active: false } });
    expect(off.status).toBe(200);
    expect((await inbox.api('/api/conversations', { token: null, headers: { cookie } })).status).toBe(401);
    expect((await inbox.api('/api/conversations', { token: token.body.token })).status).toBe(401);
    expect((await inbox.api('/api/session', { token: null, body: { email, password: 'longenough1' } })).status).toBe(401);
  });

  it('never lets the last admin lose the role', async () => {
    const users = await inbox.api('/api/users', { token: inbox.adminToken });
    const admins = users.body.items.filter((u: any) => u.role === 'admin' && u.active);
    expect(admins).toHaveLength(1);
    const res = await inbox.api(`/api/users/${admins[0].id}`, { method: 'PATCH', token: inbox.adminToken, body: { role: 'agent' } });
    expect(res.status).toBe(409);
  });

  it('names the bad field in a 400', async () => {
    const res = await inbox.api('/api/users', { token: inbox.adminToken, body: { email: 'not-an-email', password: 'short', role: 'boss' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['email', 'password', 'role']));
  });
});

describe('connectors', () => {
  it('stores credentials encrypted and never returns them', async () => {
    const created = await inbox.api('/api/connectors', { token: inbox.adminToken, body: telegramBody({ settings: { mode: 'webhook', webhookSecret: 'hook_secret_value' } }) });
    expect(created.status).toBe(201);
    const raw = JSON.stringify(created.body);
    expect(raw).not.toContain('AAHsecret');
    expect(raw).not.toContain('hook_secret_value');
    expect(created.body).toMatchObject({ platform: 'telegram', credentialsSet: true, settings: { mode: 'webhook', webhookSecretSet: true } });

    const list = await inbox.api('/api/connectors', { token: inbox.adminToken });
    expect(JSON.stringify(list.body)).not.toContain('AAHsecret');
    expect(await inbox.dumpDatabase()).not.toContain('AAHsecret');

    // A settings patch that leaves the secret out keeps it.
    const patched = await inbox.api(`/api/connectors/${created.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: { settings: { mode: 'webhook' } } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings.webhookSecretSet).toBe(true);
    // Moving where the token is sent needs the token again: a stolen session must not redirect it.
    const moved = await inbox.api(`/api/connectors/${created.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: { settings: { apiRoot: 'https://attacker.example' } } });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ code: 'credentials_required', details: { settings: ['settings.apiRoot'] } });

    expect((await inbox.api(`/api/connectors/${created.body.id}`, { method: 'DELETE', token: inbox.adminToken })).status).toBe(204);
    const after = await inbox.api('/api/connectors', { token: inbox.adminToken });
    expect(after.body.items.map((c: any) => c.id)).not.toContain(created.body.id);
  });

  it('validates credentials per platform and names the field', async () => {
    const res = await inbox.api('/api/connectors', { token: inbox.adminToken, body: telegramBody({ credentials: { botToken: 'nope' } }) });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty(['credentials.botToken']);
    expect(JSON.stringify(res.body)).not.toContain('nope');
  });
});

describe('guard policy and audit log', () => {
  it('lets admins read and change the policy, rejects a bad one, and audits the change', async () => {
    const policy = await inbox.api('/api/guard/policy', { token: inbox.adminToken });
    expect(policy.status).toBe(200);
    expect((await inbox.api('/api/guard/policy', { token: inbox.agentToken })).status).toBe(403);
    const bad = await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: { types: 'everything' } });
    expect(bad.status).toBe(400);
    const same = await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: policy.body });
    expect(same.status).toBe(200);
    const audit = await inbox.api('/api/audit?action=guard', { token: inbox.adminToken });
    expect(audit.body.items.map((e: any) => e.action)).toContain('guard.policy.update');
  });
});

describe('conversation list', () => {
  it('pages with a cursor: flagged first, then newest first, each conversation once; filters apply', async () => {
    const connector = await inbox.api('/api/connectors', { token: inbox.adminToken, body: telegramBody({ name: 'Seeded' }) });
    const base = Date.parse('2026-01-01T00:00:00Z');
    await inbox.app.pipeline.process(
      Array.from({ length: 7 }, (_, i) => ({
        platform: 'telegram' as const,
        connectorId: connector.body.id,
        externalId: `seed:${i}`,
        externalThreadId: `dm:seed${i}`,
        channelId: `seed${i}`,
        visibility: i === 6 ? ('public' as const) : ('private' as const),
        author: { id: `seed-user-${i}`, displayName: `Seed ${i}` },
        text: i === 2 || i === 4 ? `card 4111 1111 1111 1111 (${i})` : `hello ${i}`,
        createdAt: new Date(base + i * 60_000),
      })),
    );
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await inbox.api(`/api/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const seeded = seen.filter((c) => c.connectorId === connector.body.id);
    expect(seeded.map((c) => c.contact.displayName)).toEqual(['Seed 4', 'Seed 2', 'Seed 6', 'Seed 5', 'Seed 3', 'Seed 1', 'Seed 0']);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);

    const flagged = await inbox.api('/api/conversations?flagged=true&visibility=private');
    expect(flagged.body.items.map((c: any) => c.contact.displayName).sort()).toEqual(['Seed 2', 'Seed 4']);
    expect((await inbox.api('/api/conversations?visibility=public')).body.items.map((c: any) => c.contact.displayName)).toEqual(['Seed 6']);
    expect((await inbox.api('/api/conversations?cursor=garbage')).status).toBe(400);
    expect((await inbox.api('/api/conversations?status=closed')).body.error.fields).toHaveProperty('status');
  });
});

describe('invisible text', () => {
  it('treats a reply or a canned response of zero-width characters as empty', async () => {
    const zw = '\u200b\u200b\u200b';
    const id = '00000000-0000-4000-8000-000000000000';
    const reply = await inbox.api(`/api/conversations/${id}/messages`, { body: { text: zw } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toEqual({ text: 'must not be empty' });
    expect((await inbox.api(`/api/conversations/${id}/messages`, { body: { text: ' \u2060\ufeff\u200d ' } })).status).toBe(400);
    const canned = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: { shortcut: 'zw', language: 'en', title: 'Zero', text: zw } });
    expect(canned.status).toBe(400);
    expect(canned.body.error.fields).toEqual({ text: 'must not be empty' });
    const titled = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: { shortcut: 'zw', language: 'en', title: zw, text: 'Hello' } });
    expect(titled.body.error.fields).toEqual({ title: 'must not be empty' });
    // A visible character with joiners around it is text.
    expect((await inbox.api(`/api/conversations/${id}/messages`, { body: { text: '\u200bok\u200b' } })).status).toBe(404);
  });
});

describe('guard policy templates', () => {
  it('refuses a template holding what support never sends, in any language and template, naming the field', async () => {
    const policy = (await inbox.api('/api/guard/policy', { token: inbox.adminToken })).body;
    const card = '{handle} please pay the fee to card 4111 1111 1111 1111 to unlock';
    const withCard = structuredClone(policy);
    withCard.templates.en.publicWarning.wallet = card;
    const res = await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: withCard });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('secret_in_reply');
    expect(res.body.error.fields).toMatchObject({ types: ['payment_card'], 'templates.en.publicWarning.wallet': expect.stringMatching(/card number/) });
    expect(res.body.error.message).toMatch(/templates\.en\.publicWarning\.wallet/);
    expect(res.body.error.details).toEqual({ types: ['payment_card'], subject: 'template', never: true, templates: { 'templates.en.publicWarning.wallet': ['payment_card'] } });
    expect(JSON.stringify((await inbox.api('/api/guard/policy', { token: inbox.adminToken })).body)).not.toContain('4111');

    const inZh = structuredClone(policy);
    inZh.templates.zh.dm.otp = '请把验证码发给我们：助记词 abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    inZh.templates.zh.notRemoved = 'pay to 4111 1111 1111 1111';
    const zh = await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: inZh });
    expect(zh.status).toBe(422);
    expect(Object.keys(zh.body.error.fields)).toEqual(expect.arrayContaining(['templates.zh.dm.otp', 'templates.zh.notRemoved']));
  });

  it('refuses a template made only of invisible characters', async () => {
    const policy = (await inbox.api('/api/guard/policy', { token: inbox.adminToken })).body;
    policy.templates.en.dmSent = '\u200b\u200b\u200b';
    const res = await inbox.api('/api/guard/policy', { method: 'PUT', token: inbox.adminToken, body: policy });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ 'templates.en.dmSent': 'must not be empty' });
  });
});

describe('deeply nested JSON', () => {
  it('answers 400 without a stack overflow or an error log, on any JSON route', async () => {
    const deep = `{"email":${'['.repeat(60_000)}${']'.repeat(60_000)},"password":"x"}`;
    const logged = inbox.logs.length;
    for (const path of ['/api/session', '/api/canned-responses', '/api/guard/check']) {
      const res = await inbox.api(path, { method: 'POST', body: deep, token: path === '/api/session' ? null : inbox.adminToken, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(/nest/);
    }
    expect(inbox.logs.slice(logged).filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
    // Brackets inside a string are text, not nesting.
    const bracketed = await inbox.api('/api/session', { method: 'POST', token: null, body: { email: '[{'.repeat(1000) + '"\\', password: 'x' } });
    expect(bracketed.body.error.fields).toHaveProperty('email');
    // Ordinary nesting still parses.
    const ok = await inbox.api('/api/session', { method: 'POST', token: null, body: { email: [[['a']]], password: 'x' } });
    expect(ok.status).toBe(400);
    expect(ok.body.error.fields).toHaveProperty('email');
  });
});

describe('connector validation', () => {
  it('reports every field problem at once', async () => {
    const res = await inbox.api('/api/connectors', {
      token: inbox.adminToken,
      body: { platform: 'discord', name: '', credentials: {}, settings: { supportChannelIds: 'general' }, enabled: false },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['credentials.botToken', 'name', 'settings.supportChannelIds']);
    expect(res.body.error.message).toMatch(/^name: must not be empty \(and 2 more problems\)\.$/);

    // A PATCH checks its new settings and credentials together too.
    const created = await inbox.api('/api/connectors', { token: inbox.adminToken, body: telegramBody({ name: 'Patched twice' }) });
    const patched = await inbox.api(`/api/connectors/${created.body.id}`, {
      method: 'PATCH',
      token: inbox.adminToken,
      body: { credentials: { botToken: 'nope' }, settings: { mode: 'carrier-pigeon' } },
    });
    expect(patched.status).toBe(400);
    expect(Object.keys(patched.body.error.fields).sort()).toEqual(['credentials.botToken', 'settings.mode']);
    expect(JSON.stringify(patched.body)).not.toContain('nope');
  });
});

describe('webhook deliveries to a connector whose token is rejected', () => {
  it('answer 503 naming the rejected token, so Telegram delivers again later, and log no error', async () => {
    // Telegram's answer to any call with a revoked or wrong token.
    const telegram = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
    });
    await new Promise<void>((resolve) => telegram.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => telegram.close(() => resolve())));
    const apiRoot = `http://127.0.0.1:${(telegram.address() as AddressInfo).port}`;
    const secret = 'hook_secret_for_a_bad_token';
    const created = await inbox.api('/api/connectors', {
      token: inbox.adminToken,
      body: telegramBody({ name: 'Bad token', enabled: true, settings: { apiRoot, mode: 'webhook', webhookSecret: secret } }),
    });
    expect(created.status).toBe(201);
    const logged = inbox.logs.length;
    const update = { update_id: 1, message: { message_id: 1, date: 1_780_000_000, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'Ann' }, text: 'hello' } };
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${inbox.url}/webhooks/${created.body.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.error.code).toBe('connector_unavailable');
      expect(body.error.message).toMatch(/rejected the bot token/);
      expect(JSON.stringify(body)).not.toContain('AAHsecret');
    }
    const lines = inbox.logs.slice(logged).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.level === 40 && /webhook delivery refused/.test(l.msg))).toHaveLength(1);
    expect(inbox.logs.slice(logged).join('\n')).not.toContain('AAHsecret');
  });
});
