import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { screenshot, signInAs } from '../helpers/browser';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { startWebServer, type WebServer } from '../helpers/web';
import { dashboardScenario } from '../integration/dashboard-scenario';
import adoptionEn from '~/app/_i18n/messages/adoption.en.json';
import adoptionZh from '~/app/_i18n/messages/adoption.zh.json';
import shellEn from '~/app/_i18n/messages/shell.en.json';
import shellZh from '~/app/_i18n/messages/shell.zh.json';

let web: WebServer;
let h: IndexerHarness;
let browser: Browser;
let page: Page;

async function one<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await web.db.pool.query<T>(text, params);
  return rows[0]!;
}

/** The numeric data-value of a test id's element, once the query behind it has answered. */
async function valueOf(selector: string): Promise<number> {
  const el = page.locator(selector).first();
  await el.waitFor({ timeout: 30_000 });
  return Number(await el.getAttribute('data-value'));
}

beforeAll(async () => {
  web = await startWebServer();
  // The indexer writes into the web server's database: a real chain, really indexed.
  // The scenario moves the chain clock 8 days on: start it 10 days back, so its blocks end in the
  // past and never run ahead of the server's clock.
  h = await createIndexerHarness({ genesisTimestamp: Math.floor(Date.now() / 1000) - 10 * 86_400 });
  await dashboardScenario(h.scenario, h.anvil.url);
  const ctx = await createIndexerContext(h.env({ DATABASE_URL: web.db.url }));
  await syncToHead(ctx);
  await ctx.dbh.close();
  ({ browser, page } = await signInAs(web, {
    email: 'reg@example.gov.cn',
    name: '张监管',
    role: 'regulator',
    regionCode: null,
  }));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await h?.close();
});

describe('web: the dashboard pages show what the database holds', () => {
  it('总览: KPI cards equal SQL over the typed tables', async () => {
    await page.goto(`${web.url}/`);
    expect(await page.locator('h1').textContent()).toBe('总览');
    const records = await valueOf('[data-testid="kpi-records"] [data-value]');
    const all = await one<{ r: string; a: string }>('select sum(record_count) r, count(*) a from accesses');
    expect(records).toBe(Number(all.r));
    expect(await valueOf('[data-testid="kpi-accesses"] [data-value]')).toBe(Number(all.a));
    const joint = await one<{ j: string }>('select count(*) j from cases where orgs_involved >= 2');
    expect(await valueOf('[data-testid="kpi-joint"] [data-value]')).toBe(Number(joint.j));
    await page.locator('[data-testid="high-incidents"]').waitFor();
    await screenshot(page, 'dashboard-overview');

    // A 7-day period: the change vs the previous 7 days appears.
    await page.selectOption('select[name="period"]', '7d');
    await page.waitForURL(/period=7d/);
    const latest = await one<{ d: string }>(
      `select max(to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM-DD')) d from accesses`,
    );
    const week = await one<{ r: string }>(
      `select coalesce(sum(record_count), 0) r from accesses
       where to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM-DD') > to_char($1::date - 7, 'YYYY-MM-DD')`,
      [latest.d],
    );
    await expect.poll(() => valueOf('[data-testid="kpi-records"] [data-value]')).toBe(Number(week.r));
  });

  it('数据共享流向: totals, a filter, an access and its proof', async () => {
    await page.goto(`${web.url}/flows`);
    const total = page.getByTestId('sankey-total');
    await total.waitFor();
    const all = await one<{ r: string }>('select sum(record_count) r from accesses');
    expect(Number(await total.getAttribute('data-records'))).toBe(Number(all.r));
    await page.locator('[data-testid="access-row"]').first().waitFor();
    await screenshot(page, 'dashboard-flows');

    await page.selectOption('select[name="mode"]', '2');
    await page.waitForURL(/mode=2/);
    const verify = await one<{ r: string }>('select sum(record_count) r from accesses where mode = 2');
    await expect
      .poll(async () => Number(await page.getByTestId('sankey-total').getAttribute('data-records')))
      .toBe(Number(verify.r));

    await page.locator('[data-testid="access-row"]').first().click();
    const tx = page.getByTestId('proof-tx');
    await tx.waitFor();
    const newest = await one<{ tx_hash: string; record_count: number }>(
      'select tx_hash, record_count from accesses where mode = 2 order by block_number desc, log_index desc limit 1',
    );
    expect(await tx.textContent()).toBe(newest.tx_hash);
    const audit = await one<{ n: string }>(`select count(*) n from audit_log where action = 'proof.view'`);
    expect(Number(audit.n)).toBeGreaterThanOrEqual(1);
    // The open proof is part of the URL: a reload (or a colleague given the link) sees it again.
    await page.waitForURL(/proof=\d+-\d+/);
    expect(new URL(page.url()).searchParams.get('mode')).toBe('2');
    await page.reload();
    await page.getByTestId('proof-tx').waitFor();
    expect(await page.getByTestId('proof-tx').textContent()).toBe(newest.tx_hash);
    await screenshot(page, 'dashboard-flows-proof');

    await page.getByRole('button', { name: '按部门类型' }).click();
    await page.waitForURL(/group=kind/);
    await screenshot(page, 'dashboard-flows-kind');

    // A selected flow is a link too: its accesses, and only its, are listed.
    const pair = await one<{ owner: string; accessor: string; tx_hash: string }>(
      `select owner, accessor, tx_hash from accesses where owner <> accessor
       order by block_number desc, log_index desc limit 1`,
    );
    await page.goto(`${web.url}/flows?source=${pair.owner}&target=${pair.accessor}`);
    await page.locator('[data-testid="access-row"]').first().waitFor();
    await page.locator('[data-testid="access-row"]').first().click();
    await page.waitForURL(/proof=/);
    expect(await page.getByTestId('proof-tx').textContent()).toBe(pair.tx_hash);
    await page.goto(`${web.url}/flows?source=${pair.owner}`);
    await page.getByText('流向的数据提供方和数据使用方需要同时指定。').waitFor();
  });

  it('区域应用: ranking equals the cases table; a province drills to its cities', async () => {
    await page.goto(`${web.url}/adoption`);
    const gd = await valueOf('[data-testid="ranking"] tr[data-region="440000"] [data-testid="cases"]');
    const e = await one<{ t: string }>(
      'select count(*) t from cases where region_code between 440000 and 449999',
    );
    expect(gd).toBe(Number(e.t));
    await screenshot(page, 'dashboard-adoption');
    await page.locator('[data-testid="ranking"] tr[data-region="440000"]').click();
    await page.waitForURL(/province=440000/);
    const gz = await valueOf('[data-testid="ranking"] tr[data-region="440100"] [data-testid="cases"]');
    const eg = await one<{ t: string }>(
      'select count(*) t from cases where region_code between 440100 and 440199',
    );
    expect(gz).toBe(Number(eg.t));
    await screenshot(page, 'dashboard-adoption-guangdong');
  });

  it('链上运行: head and indexed block equal indexer_health', async () => {
    await page.goto(`${web.url}/chain`);
    const head = await valueOf('[data-testid="kpi-head"] [data-value]');
    const hr = await one<{ head_block: string; indexed_block: string }>(
      'select head_block, indexed_block from indexer_health',
    );
    expect(head).toBe(Number(hr.head_block));
    expect(await valueOf('[data-testid="kpi-indexed"] [data-value]')).toBe(Number(hr.indexed_block));
    await page.getByTestId('per-event').waitFor();
    await screenshot(page, 'dashboard-chain');
  });

  it('a hand-edited link with an unknown or bad parameter shows what is wrong, not a crash', async () => {
    await page.goto(`${web.url}/flows?bogus=1&mode=3`);
    const err = page.getByTestId('param-error');
    await err.waitFor();
    const text = await err.textContent();
    expect(text).toContain('bogus');
    await page.goto(`${web.url}/adoption?period=7d&from=2026-01-01&to=2026-01-02`);
    await page.getByTestId('param-error').waitFor();
  });

  // The switch is a server action and a refresh of the whole page: well over poll's default second on
  // a loaded machine, so the wait is generous (it ends as soon as the heading changes).
  const SWITCH_MS = 30_000;
  it('the English switch translates the page, and 中文 switches it back', async () => {
    await page.goto(`${web.url}/adoption`);
    await page.getByRole('button', { name: 'English' }).click();
    // Expected text from the catalogue itself: the page shows the English entries, not the Chinese.
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: SWITCH_MS })
      .toBe(shellEn.nav.adoption);
    const ranking = page.getByRole('heading', { level: 2, name: adoptionEn.adoption.rankingTitle });
    await ranking.waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.locator('[data-testid="ranking"]').waitFor();
    await screenshot(page, 'dashboard-adoption-en');
    await page.getByRole('button', { name: '中文' }).click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: SWITCH_MS })
      .toBe(shellZh.nav.adoption);
    await page.getByRole('heading', { level: 2, name: adoptionZh.adoption.rankingTitle }).waitFor();
  });
});
