// A real Chromium for browser tests: Debian's package driven by playwright-core (which downloads nothing).
// `npx playwright install` and puppeteer's bundled browser need the network; apt does not (see stack.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The path of a Chromium to drive. Installs Debian's package when it is missing and we run as root (apt-get
 * update only when the plain install fails: the package lists may just be stale); otherwise says what to install.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
  }
  const apt = (...args: string[]) => execFileSync('apt-get', args, { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 });
  try {
    apt('install', '-y', 'chromium');
  } catch {
    apt('update');
    apt('install', '-y', 'chromium');
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get install chromium finished but ${CHROMIUM_PATH} is still missing.`);
  return CHROMIUM_PATH;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh headless Chromium with its own throwaway profile; `locale` sets navigator.languages (default en-US). */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<TestBrowser> {
  const executablePath = ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'inbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page of `browser` that reports the app's own errors into `errors`: uncaught exceptions and console errors,
 * except the browser's "Failed to load resource" lines, which the error answers tests provoke on purpose cause.
 */
export async function watchedPage(browser: TestBrowser, errors: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(12_000); // a loaded two-core machine can take that long
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && !/Failed to load resource/.test(msg.text()) && errors.push(`console: ${msg.text()}`));
  return page;
}

/**
 * Runs `body` on a fresh, signed-out page of `browser` and fails on the app's own errors (see watchedPage). When it
 * fails, a screenshot is kept as /tmp/<name>-failure-<time>.png.
 */
export async function withPage(browser: TestBrowser, name: string, body: (page: Page) => Promise<void>): Promise<void> {
  const errors: string[] = [];
  await browser.context.clearCookies();
  const page = await watchedPage(browser, errors);
  try {
    await body(page);
    expect(errors).toEqual([]);
  } catch (err) {
    await page.screenshot({ path: `/tmp/${name}-failure-${Date.now()}.png` }).catch(() => {});
    if (errors.length) console.error(errors.join('\n'));
    throw err;
  } finally {
    await page.close();
  }
}
