// Sign-in security and accessibility in the browser: enrolling in two-factor sign-in from the account page
// (secret, code, recovery codes shown once), signing in with a code; an admin making it mandatory sends an
// unenrolled agent to set it up first. And axe-core's checks (labels, names, contrast) on the main screens.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/auth/two-factor.ts';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { launchBrowser, withPage, type TestBrowser } from './support/browser.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5570003:SECURITY_token_for_the_fake_000000000', id: 5570003, username: 'security_help_bot' };
const ALICE = { id: 790001, first_name: 'Alice', username: 'alice_w', language_code: 'en' };
const ADMIN = { email: 'ada.admin@example.com', password: 'admin-password-1', name: 'Ada Admin' };
const AGENT = { email: 'tom.agent@example.com', password: 'agent-password-3', name: 'Tom Agent' };
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let inbox: TestInbox;
let fake: TelegramFake;
let browser: TestBrowser;

async function fillSignIn(page: Page, who: { email: string; password: string }) {
  await page.goto(inbox.url);
  await page.locator('#signin-email').fill(who.email);
  await page.locator('#signin-password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** axe-core's WCAG 2 A/AA violations on the page as it is now, as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the app's CSP rightly refuses an injected <script>.
  await page.evaluate(AXE);
  const result = await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))))`);
  return result as string[];
}

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
  [inbox, browser] = await Promise.all([startTestInbox(), launchBrowser(), fake.start()]);
  for (const [who, role] of [[ADMIN, 'admin'], [AGENT, 'agent']] as const) {
    expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...who, role } })).status).toBe(201);
  }
  const connector = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Telegram support bot'),
  });
  expect(connector.status).toBe(201);
  fake.userSendsPrivate(BOT.token, ALICE, 'Hi, my top-up of 50 USDT has not arrived.');
  await eventually(async () => (await inbox.api('/api/conversations')).body.items.length > 0, 10_000, 'a conversation');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
  await fake?.stop();
});

describe('sign-in security and accessibility in the browser', { timeout: 90_000 }, () => {
  it('enrols an admin in two-factor sign-in and asks for the code at the next sign-in', async () => {
    await withPage(browser, 'security', async (page) => {
      await fillSignIn(page, ADMIN);
      await page.locator('.topbar').waitFor();
      await page.locator('.me-text').click();
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      const secret = (await page.locator('.secret-code').textContent())!.replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      expect(await page.locator('canvas[role=img]').count()).toBe(1); // the QR code
      await page.locator('#tfa-code').fill('000000');
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.locator('.form-error').waitFor();
      await page.locator('#tfa-code').fill(currentTotp(secret));
      await page.getByRole('button', { name: 'Turn on' }).click();
      const codes = page.locator('.recovery-codes li');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      await page.getByRole('button', { name: 'I saved them' }).click();
      await page.locator('.chip-ok', { hasText: 'On' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await fillSignIn(page, ADMIN);
      await page.locator('#signin-otp').waitFor();
      await page.locator('#signin-otp').fill('123456');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.form-error').waitFor();
      // A code is good once per 30 s step: wait for the next one rather than replay the enrolment's.
      const used = currentTotp(secret);
      await expect.poll(() => currentTotp(secret), { timeout: 35_000, interval: 500 }).not.toBe(used);
      await page.locator('#signin-otp').fill(currentTotp(secret));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.topbar').waitFor();
    });
  });

  it('sends an unenrolled agent to set up two-factor sign-in once an admin requires it', async () => {
    await withPage(browser, 'security', async (page) => {
      const put = await inbox.api('/api/settings/security', { method: 'PUT', token: inbox.adminToken, body: { requireTwoFactor: true } });
      expect(put.status).toBe(200);
      try {
        await fillSignIn(page, AGENT);
        await page.locator('.notice-banner', { hasText: 'requires two-factor sign-in' }).waitFor();
        expect(await page.evaluate(() => location.hash)).toBe('#/account');
        await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
        // The inbox stays out of reach until then.
        await page.goto(`${inbox.url}/#/inbox`);
        await page.locator('.notice-banner').waitFor();
        expect(await page.evaluate(() => location.hash)).toBe('#/account');
      } finally {
        await inbox.api('/api/settings/security', { method: 'PUT', token: inbox.adminToken, body: { requireTwoFactor: false } });
      }
    });
  });

  it('passes axe-core’s WCAG 2 AA checks (labels, names, contrast) on every screen', async () => {
    await withPage(browser, 'security', async (page) => {
      await page.goto(inbox.url);
      await page.locator('.signin-card').waitFor();
      const found: string[] = [];
      found.push(...(await axeViolations(page)));
      await fillSignIn(page, AGENT);
      await page.locator('.conv-item[data-id]').first().click(); // not a loading placeholder row
      await page.locator('.msg-in').first().waitFor({ timeout: 15_000 });
      found.push(...(await axeViolations(page)));
      await page.locator('#reply-text').pressSequentially('/pay');
      await page.locator('.canned-item').first().waitFor();
      found.push(...(await axeViolations(page)));
      await page.setViewportSize({ width: 390, height: 844 });
      found.push(...(await axeViolations(page)));
      await page.setViewportSize({ width: 1440, height: 900 });

      // The admin pages, as the test inbox's own admin (no two-factor sign-in).
      const admin = (await inbox.api('/api/users', { token: inbox.adminToken })).body.items.find((u: any) => u.role === 'admin' && u.email.startsWith('admin-'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await fillSignIn(page, { email: admin.email, password: 'correct horse battery' });
      for (const [path, ready] of [
        ['admin/connectors', '.connector-card'],
        ['admin/users', '.table tbody tr'],
        ['admin/guard', '.policy-table tr[data-type]'],
        ['admin/canned', '.canned-card'],
        ['admin/settings', '.settings-card input'],
        ['admin/audit', '.audit-table tbody tr'],
        ['account', '.account-card'],
      ]) {
        await page.goto(`${inbox.url}/#/${path}`);
        await page.locator(ready!).first().waitFor();
        found.push(...(await axeViolations(page)).map((v) => `${path} ${v}`));
      }
      expect(found).toEqual([]);
    });
  });
});
