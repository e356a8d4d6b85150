/**
 * Launches Debian's Chromium (`/usr/bin/chromium`, apt package `chromium`) through playwright-core,
 * headless, with a fresh profile directory that `close()` removes. Never a downloaded browser: when
 * the executable is missing this fails and says how to install it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** What the page did that a test should see: console errors, uncaught errors, crashes. */
export interface PageTrouble {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

/** A running Chromium with one page. */
export interface ChromiumSession extends AsyncDisposable {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly trouble: PageTrouble;
  /** Closes the browser and removes the profile directory; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium.
 *
 * @returns the session, with its first page listening for console and page errors
 * @throws an `Error` naming `apt-get install -y chromium` when `/usr/bin/chromium` is absent
 */
export async function launchChromium(): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser test needs Debian's Chromium at ${CHROMIUM_PATH}, which is missing: install it with ` +
        '`apt-get install -y chromium` (.ci/run does). Never `playwright install` or a downloaded browser.',
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'ws-kit-chromium-'));
  let context: BrowserContext;
  try {
    // playwright refuses `--user-data-dir` in `args`: a chosen profile directory goes through
    // launchPersistentContext. `headless: true` adds `--headless`.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 15_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  let page: Page;
  try {
    page = context.pages()[0] ?? (await context.newPage());
  } catch (error) {
    await context.close().finally(() => rm(profile, { recursive: true, force: true }));
    throw error;
  }
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.consoleErrors.push(m.text());
  });
  page.on('pageerror', (error) => trouble.pageErrors.push(error.message));
  page.on('crash', () => trouble.pageErrors.push('the page crashed'));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= context
      .close()
      .finally(() => rm(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 }));
    return closing;
  };
  return { context, page, trouble, close, [Symbol.asyncDispose]: close };
}
