import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentActivity, incidents } from '../../db/schema/incidents';
import { screenshot, signInAs } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import { seedOversight, type Seeded } from '../integration/oversight-seed';

let web: WebServer;
let browser: Browser;
let page: Page;
let s: Seeded;

beforeAll(async () => {
  web = await startWebServer();
  s = await seedOversight(web.db.url);
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

describe('web: oversight', () => {
  it('lists incidents with counts, filters by rule through the URL', async () => {
    await page.goto(`${web.url}/incidents`);
    await page.locator('[data-testid="incident-list"] tbody tr[data-rule]').first().waitFor();
    expect(await page.locator('[data-testid="incident-list"] tbody tr[data-rule]').count()).toBe(5);
    expect(await page.getByTestId('incident-counts').textContent()).toContain('共 5 条');
    await screenshot(page, 'oversight-incidents');

    await page.selectOption('select[name="rule"]', 'ACCESS_WITHOUT_GRANT');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL(/rule=ACCESS_WITHOUT_GRANT/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="incident-list"] tbody tr[data-rule]').length === 1,
    );
    const row = page.locator('[data-testid="incident-list"] tbody tr[data-rule]');
    expect(await row.getAttribute('data-rule')).toBe('ACCESS_WITHOUT_GRANT');
    const csv = await page.locator('[data-testid="export-links"] a').first().getAttribute('href');
    expect(csv).toBe('/api/incidents/export?format=csv&rule=ACCESS_WITHOUT_GRANT');
    // The export link works with the browser's session.
    const exported = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, text: await r.text() };
    }, csv!);
    expect(exported.status).toBe(200);
    expect(exported.text.split('\r\n').filter(Boolean)).toHaveLength(2);
    await screenshot(page, 'oversight-incidents-filtered');
  });

  it('opens an incident, acknowledges it and sees the history entry', async () => {
    await page.locator('[data-testid="incident-list"] tbody tr[data-rule] a').first().click();
    await page.waitForURL(/\/incidents\/\d+$/);
    await page.getByTestId('evidence').waitFor();
    expect(await page.getByTestId('incident-facts').textContent()).toContain('杭州市');
    expect(await page.getByTestId('evidence').textContent()).toContain('数据访问');
    await page.getByRole('button', { name: '确认', exact: true }).click();
    await page.locator('[data-testid="history"] li').first().waitFor();
    expect(await page.getByTestId('history').textContent()).toContain('已确认');
    expect(await page.getByTestId('history').textContent()).toContain('analyst@example.gov.cn');
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const [row] = await web.db.db.select().from(incidents).where(eq(incidents.id, id));
    expect(row?.status).toBe('acknowledged');
    const hist = await web.db.db.select().from(incidentActivity).where(eq(incidentActivity.incidentId, id));
    expect(hist.map((h) => [h.fromStatus, h.toStatus])).toEqual([['open', 'acknowledged']]);
    await screenshot(page, 'oversight-incident-detail');
  });

  it('a new high-severity incident appears as a live alert without reload', async () => {
    await page.goto(`${web.url}/incidents`);
    await page.locator('[data-testid="incident-list"] tbody tr[data-rule]').first().waitFor();
    await new Promise((r) => setTimeout(r, 1500)); // let the first poll take the watermark
    await web.db.db.insert(incidents).values({
      chainId: 31337,
      rule: 'UNKNOWN_INVOICE_REIMBURSED',
      findingKey: 'e2e-live',
      severity: 'high',
      regionCode: 440300,
      orgAddress: s.tax,
      summary: '报销了链上未开具的发票（e2e）',
      evidenceBlock: 1,
      occurredAt: new Date(),
    });
    await page.getByTestId('live-alert').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('live-alert').textContent()).toContain('未开具发票报销');
    await screenshot(page, 'oversight-live-alert');
  });

  it('/verify looks up a known invoice hash and shows its status and proof', async () => {
    await page.goto(`${web.url}/verify`);
    await page.fill('input[name="hash"]', s.inv);
    await page.getByRole('button', { name: '核验' }).click();
    await page.getByTestId('verify-status').waitFor();
    expect(await page.getByTestId('verify-status').textContent()).toBe('已开具，已报销 2 次');
    expect(await page.locator('[data-testid="proof-invoice"] tbody tr').count()).toBe(3);
    await screenshot(page, 'oversight-verify');

    // A refused input clears the previous answer; the same hash without 0x finds it again.
    await page.fill('input[name="hash"]', 'not a hash');
    await page.getByRole('button', { name: '核验' }).click();
    await page.getByText('请输入 64 位十六进制哈希（可带或不带 0x）。').waitFor();
    await page.getByTestId('verify-status').waitFor({ state: 'detached' });
    await page.fill('input[name="hash"]', s.inv.slice(2).toUpperCase());
    await page.getByRole('button', { name: '核验' }).click();
    await page.getByTestId('verify-status').waitFor();
    expect(await page.getByTestId('verify-status').textContent()).toBe('已开具，已报销 2 次');
  });

  it('/orgs lists members and opens one', async () => {
    await page.goto(`${web.url}/orgs`);
    await page.locator('[data-testid="org-list"] tbody tr a').first().waitFor();
    expect(await page.locator('[data-testid="org-list"] tbody tr').count()).toBe(4);
    await screenshot(page, 'oversight-orgs');
    await page.getByRole('link', { name: '广州市公安局' }).click();
    await page.getByTestId('org-datasets').waitFor();
    expect(await page.getByTestId('org-datasets').textContent()).toContain('常住人口基本信息');
    await screenshot(page, 'oversight-org-detail');
  });
});
