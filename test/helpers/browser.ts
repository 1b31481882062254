import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createUser, type UserView } from '../../server/services/users';
import { TEST_PASSWORD, type WebServer } from './web';

/** Debian's Chromium (apt-get install chromium fonts-noto-cjk); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Full-page screenshot into test-artifacts/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // Charts still animating make misleading pictures: wait until every chart reports it is drawn.
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('[data-echart]')].every((e) => e.getAttribute('data-drawn') === 'true'),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A web user as the e2e tests create them: the password is always TEST_PASSWORD. */
export type WebUser = Omit<Parameters<typeof createUser>[1], 'password'>;

/** The desktop viewport the pages are designed and screenshotted at. */
export const DESKTOP = { width: 1440, height: 900 } as const;

/** Creates a user directly in the web server's database (as the `create-user` command would). */
export function addWebUser(web: WebServer, user: WebUser): Promise<UserView> {
  return createUser(
    { db: web.db.db, actor: { id: null, label: 'e2e' } },
    { ...user, password: TEST_PASSWORD },
  );
}

/**
 * Opens a page and signs in through /login as `email`, waiting until the app has left /login (a
 * department user lands on /supervision, everyone else on the overview).
 */
export async function signIn(
  browser: Browser,
  web: WebServer,
  email: string,
  page: BrowserContextOptions = {},
): Promise<Page> {
  const p = await browser.newPage({ viewport: DESKTOP, ...page });
  await p.goto(`${web.url}/login`);
  await p.fill('input[name="email"]', email);
  await p.fill('input[name="password"]', TEST_PASSWORD);
  await p.click('button[type="submit"]');
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  return p;
}

/** The usual start of a browser test: create the user, launch Chromium, sign in. */
export async function signInAs(
  web: WebServer,
  user: WebUser,
  page: BrowserContextOptions = {},
): Promise<{ browser: Browser; page: Page }> {
  await addWebUser(web, user);
  const browser = await launchBrowser();
  try {
    return { browser, page: await signIn(browser, web, user.email, page) };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
