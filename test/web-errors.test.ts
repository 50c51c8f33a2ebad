// The API's errors as the web app shows them: the server answers in English with a code; a Chinese interface
// shows the catalogue's Chinese sentence for the code, keeping the specifics the server gave (a retry time, a
// field's limit), the server's own sentence for a code the app does not know, and a Chinese sentence when the
// server cannot be reached. Field messages of a 400 appear next to their field in Chinese too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUARD_DETAIL_CODES } from '../src/queues/actions.ts';
import { DELIVERY_ERROR_CODES } from '../src/queues/outbound.ts';
import { en } from '../web/src/i18n/en.ts';
import { zh } from '../web/src/i18n/zh.ts';
import { launchBrowser, withPage, type TestBrowser } from './support/browser.ts';
import { startTestInbox, type TestInbox } from './support/inbox.ts';

const AGENT = { email: 'lin.agent@example.com', password: 'agent-password-9', name: '林晓' };

let inbox: TestInbox;
let browser: TestBrowser;

async function submitSignIn(page: Page, email: string, password: string) {
  await page.locator('#signin-email').fill(email);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Creates an admin, signs them in through the Chinese page and opens `route` (`admin/settings`), then runs `body`. */
async function asNewAdmin(who: { email: string; name: string }, route: string, body: (page: Page) => Promise<void>) {
  const admin = { ...who, password: 'admin-password-9' };
  expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...admin, role: 'admin' } })).status).toBe(201);
  await withPage(browser, 'errors', async (page) => {
    await page.goto(inbox.url);
    await submitSignIn(page, admin.email, admin.password);
    await page.locator('.topbar').waitFor();
    await page.goto(`${inbox.url}/#/${route}`);
    await body(page);
  });
}

/** Every error code the server's source sends (HttpError, failed sign-ins, the error handler's own). */
function serverCodes(): string[] {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/new HttpError\(\s*\d+,\s*'(\w+)'|failed\('(\w+)'|code: '(\w+)', message/g)) codes.add((m[1] ?? m[2] ?? m[3])!);
      }
    }
  };
  walk(join(import.meta.dirname, '..', 'src'));
  return [...codes].sort();
}

beforeAll(async () => {
  [inbox, browser] = await Promise.all([startTestInbox(), launchBrowser({ locale: 'zh-CN' })]);
  expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...AGENT, role: 'agent' } })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
});

describe('error texts in the interface language', { timeout: 90_000 }, () => {
  it('has a sentence in English and Chinese for every code the server sends', () => {
    const codes = serverCodes();
    expect(codes).toEqual(expect.arrayContaining(['invalid_request', 'too_many_attempts', 'secret_in_reply', 'connector_disabled', 'invalid_credentials']));
    // The metrics endpoint's 401 is for scrapers, never the web app.
    const missing = codes.filter((code) => code !== 'unauthorized' && !Object.keys(en.apiErrors).some((k) => k === code || k.startsWith(`${code}_`)));
    expect(missing).toEqual([]);
    const untranslated = Object.entries(zh.apiErrors).filter(([, text]) => !/[\u3000-\u9fff\uff00-\uffef]/.test(text));
    expect(untranslated).toEqual([]);
    // Why a reply failed (delivery.errorCode) too.
    for (const catalogue of [en, zh]) expect(Object.keys(catalogue.delivery.errors).sort()).toEqual([...DELIVERY_ERROR_CODES].sort());
    // And why a guard action went as it did (detailCode).
    for (const catalogue of [en, zh]) expect(Object.keys(catalogue.guardAction.details).sort()).toEqual([...GUARD_DETAIL_CODES].sort());
  });

  it('fills in the specifics from the error’s details, whatever the English sentence says', async () => {
    // The web app's own error texts, run here in Node: a browser's languages and <html lang> are all they need of it.
    Object.assign(globalThis, { navigator: { languages: ['zh-CN'], language: 'zh-CN' }, document: { documentElement: {} } });
    const [{ errorMessage }, { ApiError }, { i18n }, { describeGuardAction }] = await Promise.all([
      import('../web/src/api/errors.ts'),
      import('../web/src/api/client.ts'),
      import('../web/src/i18n/index.ts'),
      import('../web/src/inbox/guard-action-text.ts'),
    ]);
    await i18n.changeLanguage('zh');
    delete (globalThis as { document?: unknown }).document;
    delete (globalThis as { navigator?: unknown }).navigator;
    const reworded = 'A sentence a later server words differently.';
    const shown = (code: string, details?: Record<string, unknown>, retryAfterSec?: number) => errorMessage(new ApiError(409, code, reworded, undefined, retryAfterSec, details));
    expect(shown('connector_disabled', { connector: 'TG 客服' })).toBe('连接器“TG 客服”已停用，需管理员启用后才能发送回复。');
    expect(shown('too_many_streams', { limit: 5 })).toContain('5');
    expect(shown('credentials_required', { settings: ['settings.apiRoot'] })).toContain('settings.apiRoot');
    expect(shown('secret_in_reply', { types: ['payment_card'], subject: 'template', never: true, templates: { 'templates.en.dm.otp': ['payment_card'] } })).toBe(
      i18n.t('apiErrors.secret_in_template_never', { field: 'templates.en.dm.otp', types: i18n.t('finding.payment_card') }),
    );
    // Two templates: the first by the form's name for it, with its own kinds only, and how many more there are.
    const two = new ApiError(422, 'secret_in_reply', reworded, undefined, undefined, {
      types: ['payment_card', 'seed_phrase'],
      subject: 'template',
      never: true,
      templates: { 'templates.en.dm.seed_phrase': ['payment_card'], 'templates.zh.publicWarning.wallet': ['seed_phrase'] },
    });
    expect(errorMessage(two, { 'templates.en.dm.seed_phrase': 'English · 私信建议 · 助记词' })).toBe('模板 English · 私信建议 · 助记词（另有 1 个模板） 包含银行卡号。客服从不发送这类信息，请删除后再保存。');
    expect(shown('secret_in_reply', { types: ['email'], subject: 'reply', never: false })).toBe(i18n.t('apiErrors.secret_in_reply_hidden', { types: i18n.t('finding.email') }));
    expect(shown('too_many_attempts', {}, 900)).toContain('15');
    // What the guard did, and why, in Chinese too; a platform's own words are kept after ours.
    const action = (status: 'not_allowed' | 'skipped' | 'failed', detailCode: string | null, detail: string) => describeGuardAction({ kind: 'remove', status, detail, detailCode, at: '' }, 'telegram', i18n.t)[0];
    expect(action('not_allowed', 'no_delete_right', 'The bot lacks the right to delete messages in this chat.')).toBe('无法删除该帖子：机器人在此没有删除消息的权限');
    expect(action('failed', 'permission', 'Forbidden: not enough rights')).toBe('无法删除该帖子：平台不允许机器人在此执行该操作（详情：Forbidden: not enough rights）');
    expect(action('failed', null, 'An older server’s sentence')).toBe('无法删除该帖子: An older server’s sentence');
    // Specifics missing: the server's own sentence, never a sentence with a hole in it.
    for (const code of ['connector_disabled', 'too_many_streams', 'credentials_required', 'secret_in_reply', 'too_many_attempts']) expect(shown(code)).toBe(reworded);
  });

  it('shows a wrong password and the throttle’s retry time in Chinese', async () => {
    await withPage(browser, 'errors', async (page) => {
      await page.goto(inbox.url);
      await submitSignIn(page, 'nobody@example.com', 'not-the-password');
      await page.locator('.form-error', { hasText: '邮箱或密码错误。' }).waitFor();
      // Four more wrong passwords for the same account from this address use up its window (5 per 15 minutes).
      for (let i = 0; i < 4; i++) {
        expect((await inbox.api('/api/session', { token: null, body: { email: 'nobody@example.com', password: 'still-wrong' } })).status).toBe(401);
      }
      await submitSignIn(page, 'nobody@example.com', 'not-the-password');
      await page.locator('.form-error', { hasText: '登录失败次数过多，请 15 分钟后再试。' }).waitFor();
    });
  });

  it('shows the server’s sentence for a code the app does not know, and Chinese when the server cannot be reached', async () => {
    await withPage(browser, 'errors', async (page) => {
      let answer: 'unknown' | 'unreachable' = 'unknown';
      await page.route('**/api/session', (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        if (answer === 'unreachable') return route.abort('connectionrefused');
        return route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'maintenance_window', message: 'Sign-in pauses for maintenance until 02:00 UTC.' } }),
        });
      });
      await page.goto(inbox.url);
      await submitSignIn(page, AGENT.email, AGENT.password);
      await page.locator('.form-error', { hasText: 'Sign-in pauses for maintenance until 02:00 UTC.' }).waitFor();
      answer = 'unreachable';
      await submitSignIn(page, AGENT.email, AGENT.password);
      await page.locator('.form-error', { hasText: '无法连接服务器。请检查网络后重试。' }).waitFor();
    });
  });

  it('shows a 400’s field messages next to their fields in Chinese, with the limit', async () => {
    await withPage(browser, 'errors', async (page) => {
      await page.goto(inbox.url);
      await submitSignIn(page, AGENT.email, AGENT.password);
      await page.locator('.topbar').waitFor();
      await page.goto(`${inbox.url}/#/account`);
      const form = page.locator('form[aria-labelledby="pw-title"]');
      await form.locator('input[name="currentPassword"]').fill('not-my-password');
      await form.locator('input[name="newPassword"]').fill('short');
      await form.locator('input[name="repeat"]').fill('short');
      await form.getByRole('button', { name: '修改密码' }).click();
      await form.locator('.form-error', { hasText: '新密码：至少 8 个字符。' }).waitFor();
      await form.locator('.field-msg', { hasText: '至少 8 个字符' }).waitFor();

      await form.locator('input[name="newPassword"]').fill('a-long-new-password');
      await form.locator('input[name="repeat"]').fill('a-long-new-password');
      await form.getByRole('button', { name: '修改密码' }).click();
      await form.locator('.form-error', { hasText: '当前密码不正确。' }).waitFor();
      await form.locator('.field-msg', { hasText: '与当前密码不符' }).waitFor();
    });
  });

  it('names a nested field by its label in the one-line error, not by its path', async () => {
    await asNewAdmin({ email: 'wang.admin@example.com', name: '王' }, 'admin/settings', async (page) => {
      const form = page.locator('form[aria-labelledby="sla-title"]');
      await form.locator('input[name="telegram"]').fill('0');
      await form.getByRole('button', { name: '保存' }).click();
      await form.locator('.field-msg', { hasText: '不能小于 1' }).waitFor();
      const banner = form.locator('.form-error');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Telegram（分钟）：不能小于 1。');
      expect(await banner.textContent()).not.toContain('targetsMinutes');
    });
  });

  it('says which guard-policy template holds what, each in Chinese, by the form’s names', async () => {
    await asNewAdmin({ email: 'qian.admin@example.com', name: '钱' }, 'admin/guard', async (page) => {
      const english = page.locator('textarea[data-field="templates.en.dm.seed_phrase"]');
      await english.fill(`${await english.inputValue()} Test card 4111 1111 1111 1111`);
      await page.getByRole('tab', { name: '简体中文' }).click();
      const chinese = page.locator('textarea[data-field="templates.zh.publicWarning.wallet"]');
      await chinese.fill(`${await chinese.inputValue()} 示例：legal winner thank year wave sausage worth useful legal winner thank yellow`);
      await page.getByRole('button', { name: '保存策略' }).click();
      const banner = page.locator('.form-error').first();
      await banner.waitFor();
      const said = (await banner.textContent()) ?? '';
      expect(said).toContain('银行卡号');
      expect(said).not.toContain('助记词，'); // the first template holds the card only
      expect(said).toContain('另有 1 个模板');
      expect(said).not.toContain('templates.');
      await page.locator('.field-msg', { hasText: '包含：助记词' }).waitFor(); // under the Chinese template
      expect(await page.locator('.json-errors', { hasText: 'types' }).count()).toBe(0);
      await page.getByRole('tab', { name: 'English' }).click();
      await page.locator('.field-msg', { hasText: '包含：银行卡号' }).waitFor();
    });
  });

  it('says so when too many live streams are open, and goes live again once one closes', async () => {
    const who = { email: 'sun.agent@example.com', password: 'agent-password-9', name: '孙' };
    expect((await inbox.api('/api/users', { token: inbox.adminToken, body: { ...who, role: 'agent' } })).status).toBe(201);
    const login = await fetch(`${inbox.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: inbox.url }, body: JSON.stringify(who) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const streams: AbortController[] = [];
    try {
      for (;;) {
        const controller = new AbortController();
        const res = await fetch(`${inbox.url}/api/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
        if (res.status !== 200) break; // the limit
        streams.push(controller);
      }
      await withPage(browser, 'errors', async (page) => {
        await page.goto(inbox.url);
        await submitSignIn(page, who.email, who.password);
        const badge = page.locator('#live');
        await page.locator('#live.live-refused', { hasText: '标签页过多' }).waitFor({ timeout: 15_000 });
        expect(await badge.getAttribute('title')).toContain(`${streams.length}`);
        streams.pop()!.abort(); // another tab closed
        await page.locator('#live.live-live').waitFor({ timeout: 20_000 });
      });
    } finally {
      for (const s of streams) s.abort();
    }
  });

  it('shows the app’s own errors too: a policy edited as JSON that does not parse', async () => {
    await asNewAdmin({ email: 'zhao.admin@example.com', name: '赵' }, 'admin/guard', async (page) => {
      await page.getByRole('tab', { name: 'JSON' }).click();
      await page.locator('textarea[name="policy-json"]').fill('{ "types": ');
      await page.getByRole('button', { name: '保存策略' }).click();
      await page.locator('.form-error', { hasText: 'JSON 无效' }).waitFor();
    });
  });
});
