// An agent's DM reply on X in a real Chromium, when X streams the reply's `dm.sent` echo before it answers the
// send: the echo is filed first and then merged into the reply, and the open conversation shows one message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X_FAKE_DEFAULTS, XFake, type XEndpoint } from '../connectors/x/fake-server.ts';
import { launchBrowser, type TestBrowser } from './support/browser.ts';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

const APP = X_FAKE_DEFAULTS.app;
const BOT = X_FAKE_DEFAULTS.bot;
const CREDENTIALS = { appKey: APP.consumerKey, appSecret: APP.consumerSecret, accessToken: BOT.accessToken, accessSecret: BOT.accessSecret, bearerToken: APP.bearerToken };
const FAST = Object.fromEntries(
  (['users/me', 'mentions', 'dm_events', 'tweets:create', 'tweets:hide', 'dm:send', 'subscriptions', 'stream:connect'] as XEndpoint[]).map((e) => [e, { limit: 100_000, windowSec: 60 }]),
);
const AGENT = { email: 'ria.agent@example.com', password: 'agent-password-9', name: 'Ria' };
const RUI = { id: '1900000000000000101', username: 'rui_x', name: 'Rui' };

let fake: XFake;
let inbox: TestInbox;
let browser: TestBrowser;

beforeAll(async () => {
  fake = new XFake({ rateLimits: FAST, keepAliveMs: 1_000 });
  [inbox, browser] = await Promise.all([startTestInbox(), launchBrowser(), fake.start()]);
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'x', name: 'X support', credentials: CREDENTIALS, settings: { apiBase: fake.apiBase, mode: 'stream' } },
  });
  expect(created.status).toBe(201);
  expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...AGENT, role: 'agent' } })).status).toBe(201);
  await eventually(async () => (await inbox.api(`/api/connectors/${created.body.id}`, { token: inbox.adminToken })).body.health.status === 'connected', 15_000, 'connected');
});

afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
  await fake?.stop();
});

describe('X reply in the workspace', { timeout: 90_000 }, () => {
  it('shows one message when the dm.sent echo of the reply is filed before the reply is recorded', async () => {
    fake.userSendsDm(RUI, 'did my deposit arrive?');
    const dm = await eventually(
      async () => (await inbox.api('/api/conversations?platform=x&visibility=private')).body.items.find((c: any) => c.contact.handle === RUI.username),
      10_000,
      'conversation',
    );
    const page = await browser.context.newPage();
    page.setDefaultTimeout(12_000);
    try {
      await page.goto(inbox.url);
      await page.locator('#signin-email').fill(AGENT.email);
      await page.locator('#signin-password').fill(AGENT.password);
      await page.getByRole('button', { name: /^Sign in$/ }).click();
      await page.goto(`${inbox.url}/#/inbox/${dm.id}`);
      await page.locator('.msg-in', { hasText: 'did my deposit arrive?' }).waitFor();

      // X carries out the send and streams its dm.sent, but answers three seconds later.
      fake.injectFault({ kind: 'delay', ms: 3_000, afterEffect: true, method: 'POST', pathPrefix: `/2/dm_conversations/with/${RUI.id}` });
      await page.locator('#reply-text').fill('Yes, it arrived this morning.');
      await page.locator('#reply-text').press('Control+Enter');
      const replies = page.locator('.msg-out', { hasText: 'Yes, it arrived this morning.' });
      // The echo shows beside the reply while X has not answered...
      await eventually(async () => (await replies.count()) === 2, 10_000, 'echo shown');
      // ...and goes once the reply is recorded under the DM's id.
      await eventually(async () => (await replies.count()) === 1 && (await inbox.api(`/api/conversations/${dm.id}/messages`)).body.items.filter((m: any) => m.direction === 'outbound').length === 1, 10_000, 'one message');
      await new Promise((r) => setTimeout(r, 500));
      expect(await replies.count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
