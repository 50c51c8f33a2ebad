// The browser app end to end in a real Chromium: an agent signs in, finds a customer's conversation, sees the
// secret the guard masked highlighted, replies and watches the reply go out (or fail, with the reason); an admin
// reaches the connectors page. Traffic comes from the Telegram fake through the real connector and pipeline.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { launchBrowser, watchedPage, type TestBrowser } from './support/browser.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5570001:WEB_token_for_the_fake_0000000000', id: 5570001, username: 'web_help_bot' };
const GROUP = { id: -1005570000001, title: 'Wallet Users 钱包用户群', type: 'supergroup' as const };
const ALICE = { id: 770001, first_name: 'Alice', last_name: 'Walker', username: 'alice_w', language_code: 'en' };
const WANG = { id: 770002, first_name: '王磊', username: 'wanglei_88', language_code: 'zh-hans' };
const BEN = { id: 770003, first_name: 'Ben', username: 'benny_crypto', language_code: 'en' };
const AGENT = { email: 'mia.agent@example.com', password: 'agent-password-1', name: 'Mia Chen' };
const CARD = '4111 1111 1111 1111';

let inbox: TestInbox;
let fake: TelegramFake;
let browser: TestBrowser;
let adminEmail: string;

async function conversationWith(handle: string) {
  return eventually(async () => (await inbox.api('/api/conversations')).body.items.find((c: any) => c.contact.handle === handle), 10_000, `conversation with ${handle}`);
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(inbox.url);
  await page.locator('#signin-email').fill(email);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar').waitFor();
}

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
  [inbox, browser] = await Promise.all([startTestInbox(), launchBrowser(), fake.start()]);
  fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: true });
  const connector = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Telegram support bot'),
  });
  expect(connector.status).toBe(201);
  const agent = await inbox.api('/api/users', { token: inbox.adminToken, body: { ...AGENT, role: 'agent' } });
  expect(agent.status).toBe(201);
  adminEmail = (await inbox.api('/api/users', { token: inbox.adminToken })).body.items.find((u: any) => u.role === 'admin').email;
  await eventually(async () => (await inbox.api(`/api/connectors/${connector.body.id}`, { token: inbox.adminToken })).body.health.status === 'connected', 10_000, 'connector connected');

  // Ben has blocked the bot: replies to him fail for good.
  fake.injectFault({ kind: 'forbidden', method: 'sendMessage', chatId: BEN.id, description: 'Forbidden: bot was blocked by the user' });
  fake.userSendsPrivate(BOT.token, BEN, 'How do I turn on two-factor authentication?');
  fake.userSendsPrivate(BOT.token, WANG, '你好');
  fake.userSendsInGroup(BOT.token, GROUP, WANG, `@${BOT.username} 钱包打不开了，助记词：${generateMnemonic(chinese)}`);
  fake.userSendsPrivate(BOT.token, ALICE, 'Hi, I was charged twice for my top-up yesterday.');
  fake.userSendsPrivate(BOT.token, ALICE, `My card is ${CARD}, can you check?`);
  await Promise.all([conversationWith(BEN.username), conversationWith(WANG.username), conversationWith(ALICE.username)]);
  await eventually(async () => {
    const alice = await conversationWith(ALICE.username);
    return (await inbox.api(`/api/conversations/${alice.id}/messages`)).body.items.length === 2;
  }, 10_000, "both of Alice's messages");
}, 180_000); // ensureChromium may have to apt-get install it first

afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
  await fake?.stop();
});

describe('web app', { timeout: 90_000 }, () => {
  it('lets an agent sign in, open a conversation with a masked secret, and reply', async () => {
    const errors: string[] = [];
    const page = await watchedPage(browser, errors);
    try {
      await page.goto(inbox.url);
      await page.locator('.signin-card').waitFor();
      await page.screenshot({ path: '/tmp/inbox-signin.png' });

      // A wrong password shows the API's message.
      await page.locator('#signin-email').fill(AGENT.email);
      await page.locator('#signin-password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Wrong email or password.').waitFor();

      await page.locator('#signin-password').fill(AGENT.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.me-name', { hasText: AGENT.name }).waitFor();
      expect(await page.locator('.nav a').allTextContents()).toEqual(['Inbox']); // no admin pages for agents

      // The list: Alice's DM with its preview; the public group conversation flagged and first.
      const aliceItem = page.locator('.conv-item', { hasText: 'Alice' });
      await aliceItem.waitFor();
      await page.locator('.conv-item.flagged', { hasText: '王磊' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('.conv-item').first().getAttribute('class')).toContain('flagged');
      expect(await aliceItem.locator('.vis').textContent()).toBe('DM');

      // Keyboard: j opens the first conversation, j again the next one.
      await page.keyboard.press('j');
      await page.locator('.conv-item:nth-child(1).selected').waitFor();
      await page.keyboard.press('j');
      await page.locator('.conv-item:nth-child(2).selected').waitFor();
      expect(await page.evaluate(() => location.hash)).toMatch(/^#\/inbox\/[0-9a-f-]{36}$/);

      await aliceItem.click();
      await page.locator('.conv-title', { hasText: 'Alice' }).waitFor();
      const finding = page.locator('.msg .finding-masked[data-type="payment_card"]');
      await finding.waitFor();
      expect(await finding.textContent()).toContain('payment card removed');
      expect(await page.locator('.timeline').textContent()).not.toContain('4111');

      // Reply with Ctrl+Enter: it shows up at once (queued), then the live stream turns it to sent.
      await page.locator('#reply-text').fill('Thanks Alice, we are refunding the duplicate charge now.');
      await page.locator('#reply-text').press('Control+Enter');
      const reply = page.locator('.msg-out', { hasText: 'refunding the duplicate charge' });
      await reply.waitFor();
      expect(['queued', 'sent']).toContain(await reply.getAttribute('data-delivery'));
      await page.locator('.msg-out[data-delivery="sent"]', { hasText: 'refunding the duplicate charge' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('#reply-text').inputValue()).toBe('');
      await eventually(() => fake.sentMessages(BOT.token).some((m: any) => m.text.includes('refunding the duplicate charge')), 5_000, 'reply on Telegram');

      // Assign to me and mark pending.
      await page.locator('#assign-me').click();
      await page.locator('.assign', { hasText: 'Assigned to you' }).waitFor();
      await page.locator('.seg[data-status="pending"]').click();
      await page.locator('.seg-pending.active').waitFor();

      // The public conversation: the recovery phrase is masked, the guard's actions are listed.
      await page.getByRole('tab', { name: 'All' }).click();
      await page.locator('.conv-item', { hasText: '王磊' }).first().click();
      await page.locator('.finding-masked[data-type="seed_phrase"]').waitFor();
      await page.locator('.guard-action[data-kind="remove"][data-status="done"]', { hasText: 'Removed from the group' }).waitFor({ timeout: 10_000 });
      await page.locator('.msg-guard').first().waitFor({ timeout: 10_000 });

      // A reply to a customer who blocked the bot fails, with the reason in view.
      await page.locator('.conv-item', { hasText: 'Ben' }).click();
      await page.locator('.msg-in', { hasText: 'two-factor' }).waitFor();
      await page.locator('#reply-text').fill('Open Settings → Security → Two-factor authentication.');
      await page.getByRole('button', { name: 'Send' }).click();
      const failed = page.locator('.msg-out[data-delivery="failed"]', { hasText: 'Two-factor authentication' });
      await failed.waitFor({ timeout: 10_000 });
      expect(await failed.locator('.delivery-error').textContent()).toMatch(/blocked/i);
      await page.screenshot({ path: '/tmp/inbox-failed.png' });

      // An empty reply never reaches the server; the message says why.
      await page.locator('#reply-text').fill('   ');
      await page.locator('#reply-text').press('Control+Enter');
      await page.locator('.reply-error').waitFor();

      // Back to Alice for the picture.
      await aliceItem.click();
      await page.locator('.msg-out[data-delivery="sent"]').first().waitFor();
      await page.screenshot({ path: '/tmp/inbox-agent.png' });
      await page.locator('.conv-item', { hasText: '王磊' }).first().click();
      await page.locator('.guard-action').first().waitFor();
      await page.screenshot({ path: '/tmp/inbox-public.png' });

      // Nothing secret is kept in the browser: the session is an httpOnly cookie.
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toMatch(/password|ses_|inbox_/);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      const cookies = await browser.context.cookies(inbox.url);
      expect(cookies.find((c) => c.name === 'inbox_session')?.httpOnly).toBe(true);

      // Sign out returns to the sign-in screen.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('.signin-card').waitFor();
      expect(errors).toEqual([]);
    } catch (err) {
      await page.screenshot({ path: `/tmp/inbox-failure-${Date.now()}.png` }).catch(() => {});
      if (errors.length) console.error(errors.join('\n'));
      throw err;
    } finally {
      await page.close();
    }
  });

  it('shows admins the connectors page', async () => {
    await browser.context.clearCookies();
    const errors: string[] = [];
    const page = await watchedPage(browser, errors);
    try {
      await signIn(page, adminEmail, 'correct horse battery');
      await page.locator('.nav a', { hasText: 'Connectors' }).click();
      const card = page.locator('.connector-card', { hasText: 'Telegram support bot' });
      await card.waitFor();
      await card.locator('.health', { hasText: 'Connected' }).waitFor();
      const text = await card.textContent();
      expect(text).toContain('/webhooks/');
      expect(text).not.toContain(BOT.token);
      expect(text).not.toContain(BOT.token.split(':')[1]);
      await page.screenshot({ path: '/tmp/inbox-admin-connectors.png' });

      // A bad token gets the API's field message next to the field.
      await page.getByRole('button', { name: '+ New connector' }).click();
      await page.locator('.connector-form input[name="name"]').fill('Second bot');
      await page.locator('.connector-form input[name="credentials.botToken"]').fill('not-a-token');
      await page.getByRole('button', { name: 'Create connector' }).click();
      await page.locator('.connector-form .field-msg', { hasText: 'not a Telegram bot token' }).waitFor();
      await page.screenshot({ path: '/tmp/inbox-admin-connector-form.png' });

      await page.locator('.nav a', { hasText: 'Users' }).click();
      await page.locator('tr', { hasText: AGENT.email }).waitFor();
      await page.screenshot({ path: '/tmp/inbox-admin-users.png' });
      await page.locator('.nav a', { hasText: 'Guard policy' }).click();
      await page.locator('.policy-table tr[data-type="seed_phrase"]').waitFor();
      await page.screenshot({ path: '/tmp/inbox-admin-guard.png', fullPage: false });
      await page.locator('.nav a', { hasText: 'Audit log' }).click();
      await page.locator('.audit-table code', { hasText: 'message.reply' }).first().waitFor();
      await page.screenshot({ path: '/tmp/inbox-admin-audit.png' });
      expect(errors).toEqual([]);
    } catch (err) {
      await page.screenshot({ path: `/tmp/inbox-failure-${Date.now()}.png` }).catch(() => {});
      if (errors.length) console.error(errors.join('\n'));
      throw err;
    } finally {
      await page.close();
    }
  });
});
