// The agents' workspace in a real Chromium, with traffic from the Telegram fake through the real connector and
// pipeline: a zh-CN browser gets Chinese; canned responses by /keyword in the customer's language; search;
// urgent first; notes and refused replies never reach the platform; the guard's private advice in the DM
// conversation; a second agent sees the first one's presence; the one-pane phone layout.
import { mkdirSync } from 'node:fs';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { launchBrowser, watchedPage, withPage, type TestBrowser } from './support/browser.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5570002:WORKSPACE_token_for_the_fake_00000000', id: 5570002, username: 'workspace_help_bot' };
const GROUP = { id: -1005570000002, title: 'Wallet Users 钱包用户群', type: 'supergroup' as const };
const ALICE = { id: 780001, first_name: 'Alice', last_name: 'Walker', username: 'alice_w', language_code: 'en' };
const WANG = { id: 780002, first_name: '王磊', username: 'wanglei_88', language_code: 'zh-hans' };
const BEN = { id: 780003, first_name: 'Ben', username: 'benny_crypto', language_code: 'en' };
// A name with a right-to-left override: it must not reorder the text after it.
const EVE = { id: 780004, first_name: 'Eve\u202Eevil', username: 'eve_rtl', language_code: 'en' };
const MIA = { email: 'mia.agent@example.com', password: 'agent-password-1', name: 'Mia Chen' };
const LI = { email: 'li.agent@example.com', password: 'agent-password-2', name: '李娜' };
// An admin whose name carries a right-to-left override: unisolated, "Eve \u202Enimda" reads "Eve admin".
const EVE_ADMIN = { email: 'eve.admin@example.com', password: 'admin-password-3', name: 'Eve \u202Enimda' };
const SHOTS = '/tmp/inbox-shots';

let inbox: TestInbox;
let fake: TelegramFake;
let en: TestBrowser;
let zh: TestBrowser;

const conversations = async () => (await inbox.api('/api/conversations?limit=200')).body.items as any[];
async function conversationWith(handle: string, visibility = 'private') {
  return eventually(async () => (await conversations()).find((c) => c.contact.handle === handle && c.visibility === visibility), 10_000, `${visibility} conversation with ${handle}`);
}

async function signIn(page: Page, who: { email: string; password: string }, submitLabel: RegExp) {
  await page.context().clearCookies();
  await page.goto(inbox.url);
  await page.locator('#signin-email').fill(who.email);
  await page.locator('#signin-password').fill(who.password);
  await page.getByRole('button', { name: submitLabel }).click();
  await page.locator('.topbar').waitFor();
}

const sentTexts = () => fake.sentMessages(BOT.token).map((m: any) => String(m.text ?? ''));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
  [inbox, en, zh] = await Promise.all([startTestInbox(), launchBrowser(), launchBrowser({ locale: 'zh-CN' }), fake.start()]);
  fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: true });
  const connector = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Telegram support bot'),
  });
  expect(connector.status).toBe(201);
  for (const a of [MIA, LI]) expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...a, role: 'agent' } })).status).toBe(201);
  expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...EVE_ADMIN, role: 'admin' } })).status).toBe(201);
  await eventually(async () => (await inbox.api(`/api/connectors/${connector.body.id}`, { token: inbox.adminToken })).body.health.status === 'connected', 10_000, 'connector connected');

  fake.userSendsPrivate(BOT.token, BEN, 'How do I turn on two-factor authentication?');
  fake.userSendsPrivate(BOT.token, WANG, '你好，我忘记密码了，怎么办？');
  fake.userSendsPrivate(BOT.token, EVE, 'Hello, is the app down?');
  fake.userSendsPrivate(BOT.token, ALICE, 'Hi, I was charged twice for my top-up yesterday.');
  await Promise.all([conversationWith(BEN.username), conversationWith(WANG.username), conversationWith(ALICE.username), conversationWith(EVE.username)]);
  // Wang then leaks his recovery phrase in the group: the guard removes it and writes to him privately.
  fake.userSendsInGroup(BOT.token, GROUP, WANG, `@${BOT.username} 钱包打不开了，助记词：${generateMnemonic(chinese)}`);
  await conversationWith(WANG.username, 'public');
}, 180_000);

afterAll(async () => {
  await Promise.all([en?.close(), zh?.close()]);
  await inbox?.stop();
  await fake?.stop();
});

describe('agents workspace', { timeout: 90_000 }, () => {
  it('shows Chinese to a zh-CN browser, with dates in Chinese, and switches to English', async () => {
    await withPage(zh, 'workspace', async (page) => {
      await page.goto(inbox.url);
      await page.getByRole('heading', { name: '登录' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await page.locator('#signin-email').fill(LI.email);
      await page.locator('#signin-password').fill(LI.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.nav a', { hasText: '收件箱' }).waitFor();
      await page.getByPlaceholder('搜索姓名、用户名、消息…').waitFor();
      await page.locator('.conv-item', { hasText: '王磊' }).first().click();
      await page.locator('.day-sep', { hasText: '今天' }).waitFor();
      expect(await page.locator('.seg-open').textContent()).toBe('待处理');
      await page.screenshot({ path: `${SHOTS}/inbox-zh.png` });
      // The switch in the top bar: English at once, remembered.
      await page.locator('.lang-switch select').selectOption('en');
      await page.locator('.nav a', { hasText: 'Inbox' }).waitFor();
      await page.locator('.day-sep', { hasText: 'Today' }).waitFor();
      await page.reload();
      await page.locator('.nav a', { hasText: 'Inbox' }).waitFor();
      await page.locator('.lang-switch select').selectOption('zh');
      await page.locator('.nav a', { hasText: '收件箱' }).waitFor();
    });
  });

  it('inserts a canned response by keyword in the customer’s language', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      // Wang writes in Chinese: /password gives the Chinese answer, though the agent's interface is English.
      const wang = await conversationWith(WANG.username);
      await page.locator(`.conv-item[data-id="${wang.id}"]`).click();
      await page.locator('.msg-in', { hasText: '忘记密码' }).waitFor();
      const box = page.locator('#reply-text');
      await box.click();
      await box.pressSequentially('您好！/passw');
      const item = page.locator('.canned-item[data-shortcut="password"]');
      await item.waitFor();
      expect(await item.getAttribute('data-language')).toBe('zh');
      await page.screenshot({ path: `${SHOTS}/canned-en.png` });
      await box.press('Enter');
      await expect.poll(() => box.inputValue()).toContain('忘记密码');
      expect(await box.inputValue()).toMatch(/^您好！重置密码的步骤/);
      // The counter counts against Telegram's limit.
      expect(await page.locator('.char-count').textContent()).toMatch(/\/ 4,096$/);

      // Alice writes in English: the same keyword gives the English answer.
      await page.locator('.conv-item', { hasText: 'Alice' }).click();
      await page.locator('.msg-in', { hasText: 'charged twice' }).waitFor();
      await box.click();
      await box.pressSequentially('/pay');
      await page.locator('.canned-item[data-shortcut="payment"][data-language="en"]').waitFor();
      await box.press('Tab');
      await expect.poll(() => box.inputValue()).toMatch(/transaction/i);
    });
  });

  it('narrows the list as the agent searches, and sorts urgent conversations first', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      await page.getByRole('tab', { name: 'All' }).click();
      await page.locator('.conv-item', { hasText: 'Ben' }).waitFor();
      const before = await page.locator('.conv-item[data-id]').count();
      expect(before).toBeGreaterThanOrEqual(4);
      await page.locator('#inbox-search').fill('two-factor');
      await expect.poll(() => page.locator('.conv-item[data-id]').count()).toBe(1);
      expect(await page.locator('.conv-item[data-id]').textContent()).toContain('Ben');
      await page.locator('#inbox-search').fill('');
      await expect.poll(() => page.locator('.conv-item[data-id]').count()).toBe(before);

      // A customer whose account was stolen: urgent, and first in the list, live.
      fake.userSendsPrivate(BOT.token, BEN, 'Someone logged in and stole all my funds!');
      const ben = await conversationWith(BEN.username);
      await page.locator(`.conv-item[data-id="${ben.id}"][data-priority="urgent"]`).waitFor({ timeout: 10_000 });
      const order = await page.locator('.conv-item').evaluateAll((els) => els.map((el) => [el.getAttribute('data-id'), el.getAttribute('data-priority')]));
      const benAt = order.findIndex(([id]) => id === ben.id);
      expect(order.slice(0, benAt + 1).every(([, p]) => p === 'urgent')).toBe(true);
      expect(order.slice(benAt + 1).some(([, p]) => p !== 'urgent')).toBe(true);

      // An agent lowers Alice's priority and raises it again by hand; the list follows.
      await page.locator('.conv-item', { hasText: 'Alice' }).click();
      await page.locator('#conv-priority').selectOption('urgent');
      await expect.poll(async () => (await page.locator('.conv-item[data-priority="urgent"]').allTextContents()).join(' ')).toContain('Alice');
    });
  });

  it('keeps private notes off the platform, and refuses a reply quoting a recovery phrase', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      await page.getByRole('tab', { name: 'All' }).click();
      await page.locator('.conv-item', { hasText: 'Alice' }).click();
      await page.locator('.msg-in', { hasText: 'charged twice' }).waitFor();

      // A note: shown to agents, never sent.
      await page.keyboard.press('Escape');
      await page.locator('body').press('n');
      await page.locator('#note-text').fill('Checked the ledger: the second charge is pending reversal.');
      await page.locator('#note-text').press('Control+Enter');
      await page.locator('.note', { hasText: 'pending reversal' }).waitFor();
      const ids = (await conversationWith(ALICE.username)).id;
      expect((await inbox.api(`/api/conversations/${ids}/notes`)).body.items.map((n: any) => n.text)).toContain('Checked the ledger: the second charge is pending reversal.');

      // A reply quoting a recovery phrase: the composer says so, and neither the button nor Ctrl+Enter sends it.
      await page.locator('.ctab', { hasText: 'Reply' }).click();
      const phrase = generateMnemonic(english);
      await page.locator('#reply-text').fill(`To confirm, is your recovery phrase ${phrase}?`);
      await page.locator('#reply-text').press('Control+Enter');
      await page.locator('.reply-refused, .guard-preview-block', { hasText: 'recovery phrase' }).first().waitFor();
      await expect.poll(() => page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
      await page.screenshot({ path: `${SHOTS}/refused-en.png` });
      // The API refuses it too, naming the type.
      const direct = await inbox.api(`/api/conversations/${ids}/messages`, { body: { text: `Your phrase: ${phrase}` } });
      expect(direct.status).toBe(422);
      expect(direct.body.error.fields.types).toContain('seed_phrase');

      await new Promise((r) => setTimeout(r, 1500));
      const sent = sentTexts().join('\n');
      expect(sent).not.toContain('pending reversal');
      expect(sent).not.toContain(phrase.split(' ').slice(0, 4).join(' '));
      expect(await page.locator('.timeline').textContent()).not.toContain(phrase.split(' ')[0] + ' ' + phrase.split(' ')[1]);

      // Corrected and sent at once, before the guard's preview of the new draft is back: it goes out (the server
      // checks every reply anyway); the refusal was about the old draft.
      await page.locator('#reply-text').fill('Please never share it with anyone, not even with us.');
      await page.locator('#reply-text').press('Control+Enter');
      await eventually(() => sentTexts().includes('Please never share it with anyone, not even with us.'), 10_000, 'the corrected reply sent');
    });
  });

  it('shows the guard’s private advice in the customer’s DM conversation', async () => {
    const dm = await conversationWith(WANG.username, 'private');
    await eventually(async () => (await inbox.api(`/api/conversations/${dm.id}/messages`)).body.items.some((m: any) => m.kind === 'guard_advice'), 15_000, 'guard advice filed in the DM');
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      await page.goto(`${inbox.url}/#/inbox/${dm.id}`);
      const advice = page.locator('.msg[data-kind="guard_advice"]');
      await advice.waitFor();
      expect(await advice.locator('.msg-author').textContent()).toContain('Guard');
      // The leak conversation previews the customer's words (masked), not the bot's warning.
      const leak = await conversationWith(WANG.username, 'public');
      expect(leak.preview).toContain('钱包打不开了');
      await page.getByRole('tab', { name: 'All' }).click();
      const item = page.locator(`.conv-item[data-id="${leak.id}"]`);
      await item.waitFor();
      expect(await item.locator('.conv-preview').textContent()).toContain('钱包打不开了');
    });
  });

  it('shows a second agent who else has the conversation open, live', async () => {
    const alice = await conversationWith(ALICE.username);
    const errorsA: string[] = [];
    const errorsB: string[] = [];
    const a = await watchedPage(en, errorsA);
    const b = await watchedPage(zh, errorsB);
    try {
      await signIn(a, MIA, /^Sign in$/);
      await signIn(b, LI, /^登录$/);
      await a.goto(`${inbox.url}/#/inbox/${alice.id}`);
      await a.locator('.conv-title', { hasText: 'Alice' }).waitFor();
      await b.goto(`${inbox.url}/#/inbox/${alice.id}`);
      await b.locator('.presence-user', { hasText: 'Mia Chen 正在查看' }).waitFor({ timeout: 10_000 });
      await a.locator('.presence-user', { hasText: '李娜 is viewing' }).waitFor({ timeout: 10_000 });
      // Mia types: Li sees it.
      await a.locator('#reply-text').pressSequentially('Looking into it');
      await b.locator('.presence-user.typing', { hasText: 'Mia Chen' }).waitFor({ timeout: 10_000 });
      await b.screenshot({ path: `${SHOTS}/presence-zh.png` });
      // Mia leaves: Li's view says so.
      await a.goto(`${inbox.url}/#/inbox`);
      await expect.poll(() => b.locator('.presence-user').count(), { timeout: 10_000 }).toBe(0);
      expect([...errorsA, ...errorsB]).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('isolates right-to-left overrides in customer names', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      await page.getByRole('tab', { name: 'All' }).click();
      const name = page.locator('.conv-item .conv-name', { hasText: 'Eve' });
      await name.waitFor();
      expect(await name.evaluate((el) => el.tagName)).toBe('BDI');
      expect(await name.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
    });
  });

  it('links two customers as one contact in the contact panel, and unlinks them', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      const alice = await conversationWith(ALICE.username);
      await page.goto(`${inbox.url}/#/inbox/${alice.id}`);
      const panel = page.locator('.contact-panel');
      await panel.locator('.identity').first().waitFor();
      expect(await panel.locator('.identity').count()).toBe(1);
      await panel.getByRole('searchbox').fill('benny');
      await panel.locator('.link-candidates li', { hasText: 'Ben' }).getByRole('button', { name: 'Link' }).click();
      await expect.poll(() => panel.locator('.identity').count()).toBe(2);
      expect(await panel.locator('.contact-convs li').count()).toBeGreaterThanOrEqual(2);
      await panel.getByRole('button', { name: /^Unlink Ben/ }).click();
      await expect.poll(() => panel.locator('.identity').count()).toBe(1);
      expect(await panel.locator('.identity').textContent()).toContain('Alice');
    });
  });

  it('counts against the platform limit, and says when a disabled connector cannot send replies', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      const ben = await conversationWith(BEN.username);
      await page.goto(`${inbox.url}/#/inbox/${ben.id}`);
      const send = page.getByRole('button', { name: 'Send' });
      await page.locator('#reply-text').fill('x'.repeat(4097));
      await page.locator('.char-count.over', { hasText: '4,097 / 4,096' }).waitFor();
      expect(await send.isDisabled()).toBe(true);
      // Zero-width characters alone are no message: the composer says so and sends nothing.
      await page.locator('#reply-text').fill('\u200b\u200b\u200b');
      await send.click();
      await page.locator('.reply-error', { hasText: 'Write something first.' }).waitFor();
      await page.locator('#reply-text').fill('Hello Ben');
      await expect.poll(() => send.isDisabled()).toBe(false);

      const connectorId = ben.connectorId;
      expect((await inbox.api(`/api/connectors/${connectorId}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: false } })).status).toBe(200);
      try {
        await page.reload();
        await page.locator('.composer-banner', { hasText: 'replies cannot go out' }).waitFor();
        expect(await send.isDisabled()).toBe(true);
        // Notes still work.
        await page.locator('.ctab', { hasText: 'Private note' }).click();
        expect(await page.getByRole('button', { name: 'Add note' }).isDisabled()).toBe(false);
      } finally {
        await inbox.api(`/api/connectors/${connectorId}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: true } });
      }
    });
  });

  it('shows one pane at a time at phone width, reachable by keyboard', async () => {
    await withPage(en, 'workspace', async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, MIA, /^Sign in$/);
      await page.getByRole('tab', { name: 'All' }).click();
      await page.locator('.conv-item[data-id]').first().waitFor();
      expect(await page.locator('.list-pane').isVisible()).toBe(true);
      expect(await page.locator('.conv-pane').isVisible()).toBe(false);
      await page.screenshot({ path: `${SHOTS}/phone-list-en.png` });
      await page.keyboard.press('j');
      await page.locator('.conv-title').waitFor();
      expect(await page.locator('.list-pane').isVisible()).toBe(false);
      expect(await page.locator('#reply-text').isVisible()).toBe(true);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/phone-conversation-en.png` });
      await page.getByRole('button', { name: 'Back to the list' }).click();
      await page.locator('.list-pane').waitFor();
      expect(await page.locator('.conv-pane').isVisible()).toBe(false);
    });
  });

  it('fits the top bar of an admin at phone width in both languages, its links in a menu', async () => {
    for (const [browser, menu, signOut, users] of [
      [en, 'Menu', 'Sign out', 'Users'],
      [zh, '菜单', '退出登录', '用户'],
    ] as const) {
      await withPage(browser, 'workspace', async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page, EVE_ADMIN, /^(Sign in|登录)$/);
        await page.locator('.conv-item[data-id]').first().waitFor();
        const fits = () => page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);
        expect(await fits()).toBe(true);
        expect(await page.getByRole('button', { name: signOut }).isVisible()).toBe(true);
        expect(await page.locator('.lang-switch select').isVisible()).toBe(true);
        await page.getByRole('button', { name: menu }).click();
        await page.locator('.nav-menu.open .nav a', { hasText: users }).click();
        await page.locator('.users-table, table').first().waitFor();
        expect(await page.locator('.nav-menu.open').count()).toBe(0); // the menu closes on navigation
        expect(await fits()).toBe(true);
        // Every column of every person in sight, none behind a sideways scroll of the table.
        const cut = await page.evaluate(() => [...document.querySelectorAll('.users-table td')].filter((td) => td.getBoundingClientRect().right > window.innerWidth + 0.5).length);
        expect(cut).toBe(0);
        await page.screenshot({ path: `${SHOTS}/phone-admin-${browser === en ? 'en' : 'zh'}.png` });
      });
    }
  });

  it('focuses the note box when its tab is clicked, so typing never triggers shortcuts', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, MIA, /^Sign in$/);
      const alice = await conversationWith(ALICE.username);
      await page.goto(`${inbox.url}/#/inbox/${alice.id}`);
      await page.locator('#reply-text').waitFor();
      await page.locator('.ctab', { hasText: 'Private note' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('note-text');
      await page.keyboard.type('Internal: check jk/ before replying');
      expect(await page.locator('#note-text').inputValue()).toBe('Internal: check jk/ before replying');
      expect(page.url()).toContain(alice.id);
      await page.locator('.ctab', { hasText: 'Reply' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reply-text');
    });
  });

  it('isolates people’s names: an admin called "Eve \u202Enimda" never reads "Eve admin"', async () => {
    await withPage(en, 'workspace', async (page) => {
      await signIn(page, EVE_ADMIN, /^Sign in$/);
      const bar = page.locator('.topbar .me-name');
      expect(await bar.evaluate((el) => el.tagName)).toBe('BDI');
      expect(await bar.textContent()).toBe('Eve nimda');
      await page.goto(`${inbox.url}/#/admin/users`);
      const row = page.locator('tr', { hasText: EVE_ADMIN.email });
      await row.waitFor();
      expect(await row.locator('.person-name bdi').textContent()).toBe('Eve nimda');
      // What the eye sees: no override survives into the page.
      expect(await page.evaluate(() => document.body.innerText.includes('\u202E'))).toBe(false);
      await page.goto(`${inbox.url}/#/admin/audit`);
      await page.locator('.audit-table tbody tr').first().waitFor();
      expect(await page.evaluate(() => document.body.innerText.includes('\u202E'))).toBe(false);
    });
  });
});
