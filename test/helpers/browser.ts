import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
