// Takes the README's screenshots (docs/screenshots/*.png) of a running inbox, in English and Chinese, with
// Debian's Chromium (Chinese needs a CJK font: apt-get install -y fonts-noto-cjk). Best against demo mode:
//   DEMO=on ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=… npm start, wait a minute for traffic, then
//   npx tsx scripts/screenshots.ts http://localhost:3000 admin@example.com <password>
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';

const [url = 'http://localhost:3000', email, password] = process.argv.slice(2);
if (!email || !password) throw new Error('usage: tsx scripts/screenshots.ts <url> <email> <password>');
const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

async function signIn(page: Page) {
  await page.goto(url);
  await page.locator('#signin-email').fill(email!);
  await page.locator('#signin-password').fill(password!);
  await page.locator('button[type=submit]').click();
  await page.locator('.conv-item[data-id]').first().waitFor({ timeout: 20_000 });
  await page.locator('.tabs [data-value=""]').click(); // every status
  await page.locator('.conv-item[data-id]').first().waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}${name}.png` });
const settle = (page: Page) => page.waitForTimeout(600);

for (const locale of ['en-US', 'zh-CN']) {
  const lang = locale.slice(0, 2);
  const browser = await launchBrowser({ locale });
  try {
    const page = await browser.context.newPage();
    await signIn(page);
    // A public leak: the guard's actions on the post, the customer's other conversations on the right.
    await page.locator('.conv-item.flagged[data-priority="urgent"]').first().click();
    await page.locator('.guard-action').first().waitFor({ timeout: 10_000 }).catch(() => {});
    await settle(page);
    await shot(page, `inbox-${lang}`);

    // A private conversation with a customer writing in the interface's language, the canned responses open.
    const name = page.locator('.conv-name', { hasText: lang === 'zh' ? /^[\u4e00-\u9fff]/ : /^[A-Za-z]/ });
    await page.locator('.conv-item:not(.flagged)', { has: page.locator('.vis-private') }).filter({ has: name }).first().click();
    await page.locator('#reply-text').click();
    await page.locator('#reply-text').pressSequentially('/');
    await page.locator('.canned-item').first().waitFor();
    await settle(page);
    await shot(page, `canned-${lang}`);
    await page.keyboard.press('Escape');

    await page.goto(`${url}/#/inbox`);
    await page.locator('.demo-panel').waitFor({ timeout: 5_000 }).catch(() => {});
    await settle(page);
    await shot(page, `demo-${lang}`);

    await page.goto(`${url}/#/admin/connectors`);
    await page.locator('.connector-card').first().waitFor();
    await settle(page);
    await shot(page, `connectors-${lang}`);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/#/inbox`);
    await page.locator('.conv-item[data-id]').first().waitFor();
    await settle(page);
    await shot(page, `phone-list-${lang}`);
    await page.locator('.conv-item[data-id]').first().click();
    await page.locator('.conv-title').waitFor();
    await settle(page);
    await shot(page, `phone-conversation-${lang}`);
  } finally {
    await browser.close();
  }
}
console.log(`screenshots in ${OUT}`);
