// Issue 10, item 7 (bot tokens cannot be sent elsewhere; webhook secrets generated and sealed; polling mode
// refuses webhook deliveries) and item 12's connector half (PATCH merges settings; a disabled connector neither
// receives nor sends; its conversations answer replies with 409; changes audited without secrets).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CredentialCipher } from '../../src/db/cipher.ts';
import { openConnectorSecrets } from '../../src/db/connector-secrets.ts';
import { enqueueOutbound } from '../../src/queues/index.ts';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { eventually } from '../support/inbox.ts';
import { auditEntries } from './helpers.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api,workers' });
});
afterAll(async () => {
  await inbox?.stop();
});

const BOT_TOKEN = '123456789:AAHsecretsecretsecretsecretsecret00';
const admin = (path: string, method: string, body?: unknown) => inbox.api(path, { method, token: inbox.adminToken, body });
const telegram = (settings: Record<string, unknown>, enabled = false) =>
  admin('/api/connectors', 'POST', { platform: 'telegram', name: 'Bot', enabled, credentials: { botToken: BOT_TOKEN }, settings });
const discord = (settings: Record<string, unknown>) =>
  admin('/api/connectors', 'POST', { platform: 'discord', name: 'Community', enabled: false, credentials: { botToken: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB' }, settings });

describe('where credentials go', () => {
  it('refuses to move apiRoot / apiBase without the credentials in the same request, naming the field', async () => {
    const tg = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'polling' });
    expect(tg.status).toBe(201);
    for (const settings of [{ apiRoot: 'https://attacker.example' }, { apiRoot: null }]) {
      const moved = await admin(`/api/connectors/${tg.body.id}`, 'PATCH', { settings });
      expect(moved.status).toBe(400);
      expect(moved.body.error.code).toBe('credentials_required');
      expect(moved.body.error.fields).toHaveProperty('credentials');
      expect(moved.body.error.message).toContain('settings.apiRoot');
    }
    expect((await admin(`/api/connectors/${tg.body.id}`, 'GET')).body.settings.apiRoot).toBe('http://127.0.0.1:9');
    // Re-entering the token makes it the admin's own decision.
    const ok = await admin(`/api/connectors/${tg.body.id}`, 'PATCH', { settings: { apiRoot: 'http://127.0.0.1:10' }, credentials: { botToken: BOT_TOKEN } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.apiRoot).toBe('http://127.0.0.1:10');
    // The same value again is no move.
    expect((await admin(`/api/connectors/${tg.body.id}`, 'PATCH', { settings: { apiRoot: 'http://127.0.0.1:10', mode: 'polling' } })).status).toBe(200);

    const dc = await discord({ apiBase: 'http://127.0.0.1:9' });
    const dcMoved = await admin(`/api/connectors/${dc.body.id}`, 'PATCH', { settings: { apiBase: 'https://attacker.example/api' } });
    expect(dcMoved.status).toBe(400);
    expect(dcMoved.body.error.message).toContain('settings.apiBase');
  });

  it('generates a 32-byte webhook secret when none is given and keeps it sealed with the credentials', async () => {
    const hooked = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'webhook' });
    expect(hooked.status).toBe(201);
    expect(hooked.body.settings).toMatchObject({ mode: 'webhook', webhookSecretSet: true });
    expect(hooked.body.settings).not.toHaveProperty('webhookSecret');

    const row = await inbox.app.db.connector.findUniqueOrThrow({ where: { id: hooked.body.id } });
    expect(row.settings).not.toHaveProperty('webhookSecret');
    const { secretSettings } = openConnectorSecrets(new CredentialCipher('test-secret-0123456789abcdef'), row.credentials, ['webhookSecret']);
    const secret = secretSettings.webhookSecret as string;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(await inbox.dumpDatabase()).not.toContain(secret);

    // A chosen secret is sealed the same way; a patch that leaves it out keeps it; null makes a new one.
    const chosen = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'webhook', webhookSecret: 'my_own_chosen_secret_42' });
    expect(await inbox.dumpDatabase()).not.toContain('my_own_chosen_secret_42');
    await admin(`/api/connectors/${chosen.body.id}`, 'PATCH', { name: 'Renamed' });
    const sealed = async () =>
      openConnectorSecrets(new CredentialCipher('test-secret-0123456789abcdef'), (await inbox.app.db.connector.findUniqueOrThrow({ where: { id: chosen.body.id } })).credentials, ['webhookSecret']).secretSettings.webhookSecret;
    expect(await sealed()).toBe('my_own_chosen_secret_42');
    await admin(`/api/connectors/${chosen.body.id}`, 'PATCH', { settings: { webhookSecret: null } });
    expect(await sealed()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses webhook deliveries to a connector that polls, and to a disabled one', async () => {
    const polling = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'polling' }, true);
    const update = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'Eve' }, text: 'forged' } });
    const deliver = (id: string) => fetch(`${inbox.url}/webhooks/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: update });
    expect((await deliver(polling.body.id)).status).toBe(404);
    const off = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'webhook' }, false);
    expect((await deliver(off.body.id)).status).toBe(404);
    expect(await inbox.app.db.message.count({ where: { connectorId: { in: [polling.body.id, off.body.id] } } })).toBe(0);
  });
});

describe('configuration changes', () => {
  it('merges a settings PATCH key by key, null removing a key, and audits before and after without secrets', async () => {
    const dc = await discord({ apiBase: 'http://127.0.0.1:9', supportChannelIds: ['111111111111111111', '222222222222222222'] });
    const moved = await admin(`/api/connectors/${dc.body.id}`, 'PATCH', {
      settings: { apiBase: 'http://127.0.0.1:10' },
      credentials: { botToken: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.zyxwvutsrqponmlkjihgfedcba9876543210AB' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.settings).toMatchObject({ apiBase: 'http://127.0.0.1:10', supportChannelIds: ['111111111111111111', '222222222222222222'] });
    const cleared = await admin(`/api/connectors/${dc.body.id}`, 'PATCH', { settings: { supportChannelIds: null } });
    expect(cleared.body.settings.apiBase).toBe('http://127.0.0.1:10');
    expect(cleared.body.settings.supportChannelIds).toEqual([]);

    const tg = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'webhook', webhookSecret: 'audit_me_never_123', pollTimeoutSec: 5 });
    const patched = await admin(`/api/connectors/${tg.body.id}`, 'PATCH', { settings: { pollTimeoutSec: 7 } });
    expect(patched.body.settings).toMatchObject({ apiRoot: 'http://127.0.0.1:9', mode: 'webhook', pollTimeoutSec: 7, webhookSecretSet: true });

    const entries = (await auditEntries(inbox, 'connector.update')).filter((e) => e.targetId === dc.body.id);
    const first = entries.at(-1);
    expect(first.data.before.settings).toMatchObject({ apiBase: 'http://127.0.0.1:9' });
    expect(first.data.after.settings).toMatchObject({ apiBase: 'http://127.0.0.1:10' });
    expect(first.data.credentialsChanged).toBe(true);
    expect(typeof first.data.ip).toBe('string');
    const all = JSON.stringify(await auditEntries(inbox, 'connector'));
    expect(all).not.toContain('AAHsecret');
    expect(all).not.toContain('GhIjKl');
    expect(all).not.toContain('audit_me_never_123');
  });

  it('a disabled connector sends nothing: replies in its conversations get 409 with the reason', async () => {
    const tg = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'polling' }, false);
    await inbox.app.pipeline.process([
      {
        platform: 'telegram',
        connectorId: tg.body.id,
        externalId: 'off:1',
        externalThreadId: 'dm:off1',
        channelId: 'off1',
        visibility: 'private',
        author: { id: 'off-user', displayName: 'Olga' },
        text: 'hello?',
        createdAt: new Date(),
      },
    ]);
    const conversation = await inbox.app.db.conversation.findFirstOrThrow({ where: { connectorId: tg.body.id } });
    const reply = await inbox.api(`/api/conversations/${conversation.id}/messages`, { body: { text: 'Hi Olga' } });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('connector_disabled');
    expect(reply.body.error.message).toContain('disabled');
    expect(await inbox.app.db.message.count({ where: { conversationId: conversation.id, direction: 'outbound' } })).toBe(0);
  });

  it('a reply queued before its connector was disabled does not go out', async () => {
    const tg = await telegram({ apiRoot: 'http://127.0.0.1:9', mode: 'polling' }, true);
    await inbox.app.pipeline.process([
      { platform: 'telegram', connectorId: tg.body.id, externalId: 'late:1', externalThreadId: 'dm:late1', channelId: 'late1', visibility: 'private', author: { id: 'late-user', displayName: 'Lee' }, text: 'hi', createdAt: new Date() },
    ]);
    const conversation = await inbox.app.db.conversation.findFirstOrThrow({ where: { connectorId: tg.body.id } });
    // Queued while enabled (as the API would), then the admin disables the connector before a worker gets to it.
    const reply = await inbox.app.db.message.create({
      data: { conversationId: conversation.id, connectorId: tg.body.id, direction: 'outbound', text: 'On our way', deliveryStatus: 'queued' },
    });
    expect((await admin(`/api/connectors/${tg.body.id}`, 'PATCH', { enabled: false })).status).toBe(200);
    await enqueueOutbound(inbox.app.queues.outbound, reply.id);
    const done = await eventually(async () => {
      const m = await inbox.app.db.message.findUniqueOrThrow({ where: { id: reply.id } });
      return m.deliveryStatus === 'failed' && m;
    }, 20_000, 'the reply to end failed');
    expect(done.deliveryError).toContain('disabled');
    expect(done.externalId).toBeNull();
  });
});
