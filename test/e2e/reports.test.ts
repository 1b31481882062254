import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionName } from '../../domain/regions';
import { addDays } from '../../server/services/period';
import { ARTIFACTS, screenshot, signInAs } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import { seedReportsWorld, type ReportsWorld } from '../integration/reports-scenario';

let web: WebServer;
let w: ReportsWorld;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  web = await startWebServer();
  w = await seedReportsWorld(web.db.url);
  ({ browser, page } = await signInAs(
    web,
    { email: 'lead@example.gov.cn', name: '李领导', role: 'leadership', regionCode: null },
    { acceptDownloads: true },
  ));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await w?.close();
});

describe('web: /reports', () => {
  it('builds a province report, shows it with server-rendered charts, and downloads its PDF', async () => {
    // The picker offers the complete periods before the browser's today: the world's last day.
    await page.clock.setFixedTime(new Date(`${addDays(w.firstDay, 61)}T12:00:00+08:00`));
    await page.goto(`${web.url}/reports`);
    expect(await page.locator('h1').first().textContent()).toBe('应用成效报告');
    await page.selectOption('select[name="region"]', String(w.province));
    // Only ended periods can be chosen: the running month is not offered.
    const offered = await page
      .locator('select[name="period"] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain(w.month);
    expect(offered).not.toContain(addDays(w.firstDay, 61).slice(0, 7));
    await page.selectOption('select[name="period"]', w.month);
    await page.click('[data-testid="report-builder"] button[type="submit"]');
    await page.waitForURL(/\/reports\/\d+$/, { timeout: 60_000 });
    const id = Number(page.url().split('/').pop());

    const summary = page.getByTestId('report-summary');
    await summary.waitFor();
    const { rows } = await web.db.pool.query<{ summary: string; share: number }>(
      `select figures->>'summaryZh' as summary, (figures->'kpis'->'onlineShare'->>'value')::float8 as share from reports where id = $1`,
      [id],
    );
    expect(await summary.textContent()).toBe(rows[0]!.summary);
    expect(await page.locator('.lj-report h1').textContent()).toContain(regionName(w.province));
    // The online share shown equals SQL over the cases table.
    const c = await web.db.pool.query<{ share: number }>(
      `select count(*) filter (where channel in (2, 3))::float8 / count(*) as share from cases
        where region_code between $1 and $1 + 9999
          and to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM') = $2`,
      [w.province, w.month],
    );
    expect(await page.locator('[data-kpi="onlineShare"]').textContent()).toBe(
      `${(c.rows[0]!.share * 100).toFixed(1)}%`,
    );
    expect(await page.locator('.lj-report svg').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'reports-page');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'reports-page-print');
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-pdf').click(),
    ]);
    const file = join(ARTIFACTS, 'reports-e2e.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(regionName(w.province));
    expect(text).toContain('一、核心指标');

    await page.goto(`${web.url}/reports`);
    await page.locator(`[data-report-id="${id}"]`).waitFor();
  });
});
