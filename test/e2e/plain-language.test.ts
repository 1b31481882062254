import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALE_COOKIE } from '../../app/_i18n/locale';
import { screenshot, signInAs } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import { seedOversight } from '../integration/oversight-seed';

/**
 * Issue 21, item 9: the English UI says incident summaries in English (only the names registered
 * on chain stay as registered), and a hand-edited URL reads as a plain sentence in the page's
 * language, never zod's text.
 */
let web: WebServer;
let browser: Browser;
let page: Page;
/** Org names and dataset titles of the seeded chain: the only Chinese an English summary may hold. */
let names: string[];

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

beforeAll(async () => {
  web = await startWebServer();
  await seedOversight(web.db.url);
  const { rows } = await web.db.pool.query<{ n: string }>(
    'select name as n from orgs union select title from datasets',
  );
  names = rows.map((r) => r.n);
  ({ browser, page } = await signInAs(web, {
    email: 'analyst@example.gov.cn',
    name: '张分析',
    role: 'analyst',
    regionCode: null,
  }));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function setLocale(locale: 'zh' | 'en'): Promise<void> {
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: web.url }]);
}

describe('web: plain language', () => {
  it('the English incident list and detail give every summary in English', async () => {
    await setLocale('en');
    await page.goto(`${web.url}/incidents`);
    const rows = page.locator('[data-testid="incident-list"] tbody tr[data-rule]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(5);
    const summaries = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ rule: tr.getAttribute('data-rule'), text: tr.textContent ?? '' })),
    );
    for (const s of summaries) {
      let text = s.text;
      for (const n of names) text = text.replaceAll(n, '');
      expect(text, `${s.rule}: ${s.text}`).not.toMatch(CJK);
    }
    // At 1440 px the English rule names and times leave the summary a readable column, and the
    // table fits without a horizontal scroll (it was 80 px wide, each row 250 px tall).
    const widths = await page
      .locator('[data-testid="incident-list"] tbody tr[data-rule] td:nth-last-child(2)')
      .evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width));
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(220);
    const wrap = await page
      .locator('#incident-list')
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(wrap.scroll).toBeLessThanOrEqual(wrap.client);
    await screenshot(page, 'plain-incidents-en');
    await rows.first().locator('a').first().click();
    await page.waitForURL(/\/incidents\/\d+$/);
    const dd = page.locator('dt:has-text("Summary") + dd');
    await dd.waitFor();
    let detail = (await dd.textContent()) ?? '';
    for (const n of names) detail = detail.replaceAll(n, '');
    expect(detail.length).toBeGreaterThan(10);
    expect(detail).not.toMatch(CJK);
  });

  it('a bad period and a start after the end read as plain sentences in either language', async () => {
    const cases = [
      {
        locale: 'zh' as const,
        url: '/?period=bogus',
        text: '统计周期无法识别，请从“统计周期”列表中选择（近 7 天、近 30 天、近 90 天、本月、本季度）。',
      },
      { locale: 'zh' as const, url: '/chain?from=2026-11-20&to=2026-11-01', text: '开始日期晚于结束日期' },
      { locale: 'zh' as const, url: '/flows?from=2026-11-20&to=2026-11-01', text: '开始日期晚于结束日期' },
      {
        locale: 'en' as const,
        url: '/flows?period=last-year',
        text: 'The period is not one this page knows',
      },
      {
        locale: 'en' as const,
        url: '/?from=2026-11-20&to=2026-11-01',
        text: 'The start date is after the end date',
      },
    ];
    for (const c of cases) {
      await setLocale(c.locale);
      await page.goto(`${web.url}${c.url}`);
      const box = page.getByTestId('param-error');
      await box.waitFor();
      const text = (await box.textContent()) ?? '';
      expect(text, c.url).toContain(c.text);
      // Neither zod's text nor a parameter's code name.
      expect(text, c.url).not.toMatch(/Invalid option|expected one of|must not be after/);
    }
    await screenshot(page, 'plain-bad-period-en');
  });

  it('/incidents with a start after the end says so in the page language and lists no incident', async () => {
    const sentences = {
      zh: '开始日期晚于结束日期，请把开始日期改到结束日期之前。',
      en: 'The start date is after the end date; move the start date before the end date.',
    };
    const rows = page.locator('[data-testid="incident-list"] tbody tr[data-rule]');
    for (const locale of ['zh', 'en'] as const) {
      // A hand-edited URL: the server refuses the filter, the page says why in its own words.
      await setLocale(locale);
      await page.goto(`${web.url}/incidents?from=2026-11-20&to=2026-11-01`);
      const refused = page.getByTestId('incident-list-error');
      await refused.waitFor();
      expect((await refused.textContent())?.trim()).toBe(sentences[locale]);
      expect(await rows.count()).toBe(0);
      expect(await page.getByTestId('incident-list').count()).toBe(0);
      expect(await page.getByTestId('incident-counts').count()).toBe(0);
      await screenshot(page, `plain-incidents-reversed-url-${locale}`);

      // The form refuses the same range before any request: the URL keeps the valid view.
      await page.goto(`${web.url}/incidents`);
      await rows.first().waitFor();
      const form = page.locator('form[aria-label] input[name="from"]');
      await form.fill('2026-11-20');
      await page.locator('form[aria-label] input[name="to"]').fill('2026-11-01');
      await page.locator('form[aria-label] button[type="submit"]').click();
      const flagged = page.getByTestId('incident-filter-error');
      await flagged.waitFor();
      expect((await flagged.textContent())?.trim()).toBe(sentences[locale]);
      expect(await page.locator('input[name="from"][aria-invalid="true"]').count()).toBe(1);
      expect(new URL(page.url()).search).toBe('');
      expect(await rows.count()).toBe(5);
      await screenshot(page, `plain-incidents-reversed-form-${locale}`);
    }
  });
});
