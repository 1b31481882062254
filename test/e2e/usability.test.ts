import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { citiesOf } from '../../domain/regions';
import { tileMapHeight } from '../../app/_charts/tile-map';
import { formatPercent } from '../../app/_charts/format';
import { addWebUser, DESKTOP, launchBrowser, screenshot, signIn } from '../helpers/browser';
import { LOCALE_COOKIE } from '../../app/_i18n/locale';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { startWebServer, type WebServer } from '../helpers/web';
import { dashboardScenario } from '../integration/dashboard-scenario';
import glossary from '../../app/_i18n/messages/glossary.zh.json';

/**
 * Issue 21's usability points in Chromium, as a Guangdong regulator and as leadership: the flows
 * drill by keyboard alone (flow → its accesses → proof → /verify), region pickers that offer only
 * the user's own region, views opening there, and the skip links' tab counts.
 */
let web: WebServer;
let h: IndexerHarness;
let browser: Browser;
let gd: Page;
let leader: Page;

async function rows<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await web.db.pool.query<T>(text, params)).rows;
}

/** Presses Tab until `where` holds for the focused element; returns how many presses it took. */
async function tabUntil(page: Page, where: string, max = 60): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.closest(sel) != null, where)) return n;
  }
  throw new Error(`no focus inside ${where} after ${max} Tabs`);
}

const focused = (page: Page) =>
  page.evaluate(() => ({
    text: document.activeElement?.textContent?.trim() ?? '',
    tag: document.activeElement?.tagName ?? '',
  }));

const GD = 'between 440000 and 449999';

/**
 * Focuses the ⓘ of `term` inside `within` (it must be a Tab stop) and returns what focus shows:
 * the visible tooltip's text and the icon's description, both expected to be the catalogue's.
 */
async function definitionOnFocus(page: Page, within: string, term: string) {
  const def = page.locator(`${within} [data-testid="def-${term}"]`).first();
  const icon = def.locator('[tabindex="0"]');
  await icon.focus();
  return {
    visible: await def.locator('[role="tooltip"]').isVisible(),
    tip: await def.locator('[role="tooltip"]').textContent(),
    described: await page.evaluate(
      () =>
        document.getElementById(document.activeElement?.getAttribute('aria-describedby') ?? '')?.textContent,
    ),
  };
}

beforeAll(async () => {
  web = await startWebServer();
  h = await createIndexerHarness({ genesisTimestamp: Math.floor(Date.now() / 1000) - 10 * 86_400 });
  await dashboardScenario(h.scenario, h.anvil.url);
  const ctx = await createIndexerContext(h.env({ DATABASE_URL: web.db.url }));
  await syncToHead(ctx);
  await ctx.dbh.close();
  await addWebUser(web, {
    email: 'gd@example.gov.cn',
    name: '粤监管',
    role: 'regulator',
    regionCode: 440000,
  });
  await addWebUser(web, { email: 'lead@example.gov.cn', name: '领导', role: 'leadership', regionCode: null });
  browser = await launchBrowser();
  gd = await signIn(browser, web, 'gd@example.gov.cn');
  await gd.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
  leader = await signIn(browser, web, 'lead@example.gov.cn');
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await h?.close();
});

describe('flows drill by keyboard alone (issue 21 item 8)', () => {
  it('Tab to the flow list, ↓ and Enter select a flow, its accesses beside, Enter opens the proof, copy and /verify', async () => {
    const flows = await rows<{ owner: string; accessor: string; r: string; a: string }>(
      `select owner, accessor, sum(record_count) r, count(*) a from accesses
        where owner is not null and (owner_region ${GD} or accessor_region ${GD})
        group by 1, 2 order by sum(record_count) desc, count(*) desc`,
    );
    expect(flows.length).toBeGreaterThan(2);
    await gd.goto(`${web.url}/flows`);
    await gd.getByTestId('flow-list').waitFor();
    // The list mirrors the chart: every flow in the Guangdong scope, most records first.
    const listed = gd.locator('[data-testid="flow-row"]');
    await expect.poll(() => listed.count()).toBe(flows.length);
    const numbers = await listed.evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].slice(1).map((td) => Number(td.textContent.replace(/,/g, ''))),
      ),
    );
    expect(numbers).toEqual(flows.map((f) => [Number(f.r), Number(f.a)]));
    await screenshot(gd, 'usability-flows');

    // Keyboard only from here: the rows are one Tab stop (after the two header definitions);
    // ↓ moves to the second flow.
    const tabs = await tabUntil(gd, '[data-testid="flow-row"]');
    expect(tabs).toBeLessThan(30);
    await gd.keyboard.press('ArrowDown');
    await gd.keyboard.press('Enter');
    const pick = flows[1]!;
    await gd.waitForURL(
      (u) => u.searchParams.get('source') === pick.owner && u.searchParams.get('target') === pick.accessor,
    );
    expect(await gd.locator('[data-testid="flow-row"] button[aria-pressed="true"]').count()).toBe(1);
    expect(await listed.nth(1).locator('button').getAttribute('aria-pressed')).toBe('true');
    const names = await rows<{ p: string; c: string }>(
      `select (select name from orgs where address = $1) p, (select name from orgs where address = $2) c`,
      [pick.owner, pick.accessor],
    );
    await expect
      .poll(() => gd.getByTestId('accesses-title').textContent())
      .toBe(`${names[0]!.p} → ${names[0]!.c} 的访问记录`);

    // Exactly this flow's accesses, newest first, beside the chart (not below the fold).
    const txs = await rows<{ tx_hash: string }>(
      `select tx_hash from accesses where owner = $1 and accessor = $2 order by block_number desc, log_index desc limit 20`,
      [pick.owner, pick.accessor],
    );
    const accessRows = gd.locator('[data-testid="access-row"]');
    await expect
      .poll(() => accessRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-tx'))))
      .toEqual(txs.map((t) => t.tx_hash));
    const box = await gd.getByTestId('accesses').boundingBox();
    const chart = await gd.getByTestId('sankey').boundingBox();
    expect(box!.x).toBeGreaterThan(chart!.x + chart!.width - 1);
    expect(box!.y).toBeLessThan(chart!.y + chart!.height);

    // On to the first access (Tab), open it (Enter): the proof takes the focus.
    await tabUntil(gd, '[data-testid="access-row"]');
    expect(await gd.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-tx'))).toBe(
      txs[0]!.tx_hash,
    );
    await gd.keyboard.press('Enter');
    await expect.poll(() => gd.getByTestId('proof-tx').textContent()).toBe(txs[0]!.tx_hash);
    await expect.poll(async () => (await focused(gd)).tag).toBe('H2');

    // Tab: the proof's close button, then the copy button; Enter copies the hash and says so.
    await gd.keyboard.press('Tab');
    expect(await gd.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('关闭');
    await gd.keyboard.press('Tab');
    expect(await gd.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('copy');
    await gd.keyboard.press('Enter');
    await expect.poll(async () => (await focused(gd)).text).toBe('✓ 已复制');
    expect(await gd.evaluate(() => navigator.clipboard.readText())).toBe(txs[0]!.tx_hash);
    await screenshot(gd, 'usability-flows-proof');

    // Tab: the /verify link for the transaction; Enter follows it and /verify finds it.
    await gd.keyboard.press('Tab');
    expect(await gd.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(
      `/verify?hash=${txs[0]!.tx_hash}`,
    );
    await gd.keyboard.press('Enter');
    await gd.waitForURL((u) => u.pathname === '/verify' && u.searchParams.get('hash') === txs[0]!.tx_hash);
    await gd.getByText(txs[0]!.tx_hash).first().waitFor();
  });
});

describe('filters offer only what the user may see; views open at the user region (item 7)', () => {
  const gdCodes = [
    '',
    '440000',
    ...citiesOf(440000)
      .map((c) => String(c.code))
      .sort(),
  ];
  const options = (page: Page, sel: string) =>
    page.locator(`${sel} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));

  it('/incidents and /orgs: a Guangdong regulator is offered Guangdong and its cities; leadership every province', async () => {
    await gd.goto(`${web.url}/incidents`);
    await gd.getByTestId('region-select').waitFor();
    expect(await options(gd, '[data-testid="region-select"]')).toEqual(gdCodes);
    await gd.goto(`${web.url}/orgs`);
    await gd.getByTestId('region-select').waitFor();
    expect(await options(gd, '[data-testid="region-select"]')).toEqual(gdCodes);
    await gd.goto(`${web.url}/flows`);
    expect(await options(gd, '[data-testid="filters"] [data-testid="region-select"]')).toEqual(gdCodes);
    await screenshot(gd, 'usability-orgs');

    await leader.goto(`${web.url}/orgs`);
    await leader.getByTestId('region-select').waitFor();
    const all = await options(leader, '[data-testid="region-select"]');
    expect(all.filter((c) => c !== '' && Number(c) % 10000 === 0)).toHaveLength(34);
    expect(all).toContain('330100');
  });

  it('/adoption opens a Guangdong regulator at Guangdong and its cities; /chain says its figures are chain-wide', async () => {
    await gd.goto(`${web.url}/adoption`);
    const gz = gd.locator('[data-testid="ranking"] tr[data-region="440100"]');
    await gz.waitFor();
    const shown = await gd
      .locator('[data-testid="ranking"] tr[data-region]')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-region'))));
    expect(shown.every((c) => c >= 440000 && c <= 449999 && c !== 440000)).toBe(true);
    const cities = await rows<{ c: string }>(
      `select distinct (region_code / 100) * 100 c from cases where region_code ${GD} order by 1`,
    );
    expect([...shown].sort()).toEqual(cities.map((r) => Number(r.c)));
    // Guangdong's cities fill one row of tiles: the map is that row and its legend tall, with no
    // blank rows under it; the national map keeps its eight rows.
    expect(cities.length).toBeLessThanOrEqual(4);
    const mapHeight = (page: Page) =>
      page.getByTestId('tile-map').evaluate((e) => e.getBoundingClientRect().height);
    expect(await mapHeight(gd)).toBe(tileMapHeight(1));
    await screenshot(gd, 'usability-adoption');

    await gd.goto(`${web.url}/chain`);
    expect(await gd.getByTestId('chain-wide').textContent()).toContain('全链');
    await leader.goto(`${web.url}/adoption`);
    await leader.locator('[data-testid="ranking"] tr[data-region="440000"]').waitFor();
    expect(await mapHeight(leader)).toBe(tileMapHeight(8));
  });

  it("/adoption for a city's user: its districts where the data has them, else its figures and a sentence instead of one tile", async () => {
    await addWebUser(web, { email: 'gz@example.gov.cn', role: 'regulator', regionCode: 440100 });
    await addWebUser(web, { email: 'sz@example.gov.cn', role: 'regulator', regionCode: 440300 });
    const codes = async (lo: number, hi: number) =>
      (
        await rows<{ c: string }>(
          `select distinct region_code c from cases where region_code between $1 and $2 order by 1`,
          [lo, hi],
        )
      ).map((r) => Number(r.c));
    // Guangzhou's cases carry a district code (Tianhe): the map shows the city's codes as tiles.
    expect(await codes(440100, 440199)).toEqual([440100, 440106]);
    const gz = await signIn(browser, web, 'gz@example.gov.cn');
    await gz.goto(`${web.url}/adoption`);
    await gz.locator('[data-testid="ranking"] tr[data-region="440106"]').waitFor();
    const label = await gz.getByTestId('tile-map').getAttribute('aria-label');
    expect(label).toMatch(/^各地网办率：广州市 [\d.]+%；广东省 440106 [\d.]+%$/);
    await screenshot(gz, 'usability-adoption-guangzhou');
    await gz.close();

    // Shenzhen's carry none: no map, a sentence and the city's figures.
    expect(await codes(440300, 440399)).toEqual([440300]);
    const sz = await signIn(browser, web, 'sz@example.gov.cn');
    await sz.goto(`${web.url}/adoption`);
    const single = sz.getByTestId('map-single');
    await single.waitFor();
    expect(await sz.getByTestId('tile-map').count()).toBe(0);
    expect(await single.locator('p').textContent()).toBe(
      '深圳市的数据未按区县登记，地图只会有一格，故不绘制；深圳市的各项指标如下。',
    );
    const [sql] = await rows<{ t: string; o: string }>(
      `select count(*) t, count(*) filter (where channel in (2, 3)) o from cases
       where region_code between 440300 and 440399`,
    );
    expect(Number(sql!.t)).toBeGreaterThan(0);
    expect(await single.locator('[data-metric="online_share"] dd').textContent()).toBe(
      formatPercent(Number(sql!.o) / Number(sql!.t)),
    );
    expect(await sz.locator('[data-testid="ranking"] tr[data-region="440300"]').count()).toBe(1);
    await screenshot(sz, 'usability-adoption-shenzhen');
    await sz.close();
  });
});

describe('/adoption ranking at 1440 × 900', () => {
  it('fits its card in Chinese and in English: the wrapper does not scroll sideways and no header is cut', async () => {
    expect(leader.viewportSize()).toEqual(DESKTOP);
    try {
      for (const lang of ['zh', 'en'] as const) {
        await leader.context().addCookies([{ name: LOCALE_COOKIE, value: lang, url: web.url }]);
        await leader.goto(`${web.url}/adoption`);
        await leader.locator('[data-testid="ranking"] tr[data-region="440000"]').waitFor();
        const fit = await leader.getByTestId('ranking').evaluate((table) => {
          const wrap = table.parentElement!;
          const box = wrap.getBoundingClientRect();
          const heads = [...table.querySelectorAll('thead th')];
          return {
            lang: document.documentElement.lang,
            scrollWidth: wrap.scrollWidth,
            clientWidth: wrap.clientWidth,
            heads: heads.length,
            // A header is cut when its text overflows its cell or the cell runs past the wrapper.
            cut: heads
              .filter((th) => {
                const r = th.getBoundingClientRect();
                return (
                  th.scrollWidth > th.clientWidth || r.right > box.right + 0.5 || r.left < box.left - 0.5
                );
              })
              .map((th) => th.textContent),
          };
        });
        expect(fit).toEqual({
          lang: lang === 'zh' ? 'zh-CN' : 'en',
          scrollWidth: fit.clientWidth,
          clientWidth: fit.clientWidth,
          heads: 8,
          cut: [],
        });
        // The silo panel's tables sit in half-width cards too.
        for (const id of ['silo-departments', 'silo-kinds']) {
          const table = leader.getByTestId(id);
          await table.waitFor();
          const width = await table.evaluate((t) => ({
            scrollWidth: t.parentElement!.scrollWidth,
            clientWidth: t.parentElement!.clientWidth,
          }));
          expect({ id, lang, ...width }).toEqual({
            id,
            lang,
            scrollWidth: width.clientWidth,
            clientWidth: width.clientWidth,
          });
        }
        await screenshot(leader, `adoption-ranking-1440-${lang}`);
      }
    } finally {
      await leader.context().addCookies([{ name: LOCALE_COOKIE, value: 'zh', url: web.url }]);
    }
  });
});

describe('skip links (item 12)', () => {
  it('/incidents: from page load to the first incident row in at most 5 Tabs', async () => {
    await gd.goto(`${web.url}/incidents`);
    await gd.locator('[data-testid="incident-list"] tbody tr').first().waitFor();
    let tabs = 0;
    await gd.keyboard.press('Tab');
    tabs++;
    expect(await focused(gd)).toEqual({ text: '跳到正文', tag: 'A' });
    await gd.keyboard.press('Enter');
    await gd.keyboard.press('Tab');
    tabs++;
    expect(await focused(gd)).toEqual({ text: '跳到事件列表', tag: 'A' });
    await gd.keyboard.press('Enter');
    tabs += await tabUntil(gd, '[data-testid="incident-list"] tbody tr', 5);
    expect(tabs).toBeLessThanOrEqual(5);
    // The focus is in the list's first row (its select box: a regulator may triage).
    expect(
      await gd.evaluate(
        () =>
          document.activeElement?.closest('tr') ===
          document.querySelector('[data-testid="incident-list"] tbody tr'),
      ),
    ).toBe(true);
  });
});

describe('rates change in 个百分点, every figure defined one hover or Tab away (item 5)', () => {
  it('overview: 网办率 changes in 个百分点 with its previous value as a percentage; its definition shows on hover and on focus', async () => {
    await leader.goto(`${web.url}/?period=7d`);
    const card = leader.getByTestId('kpi-online-share');
    const change = card.locator('[title^="上期"]');
    await change.waitFor();
    expect(await change.textContent()).toMatch(/^[▲▼●] [+-]?\d+\.\d 个百分点 较上期$/);
    expect(await change.getAttribute('title')).toMatch(/^上期: \d+\.\d%$/);
    expect(await card.locator('[data-value]').getAttribute('title')).toMatch(/^\d+\.\d%$/);

    // Hover over the name shows what is counted, over what, in which scope.
    const tip = card.locator('[role="tooltip"]');
    expect(await tip.isVisible()).toBe(false);
    await card.getByTestId('def-onlineShare').hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('个百分点');
    await screenshot(leader, 'usability-overview-definition');

    // By keyboard: the ⓘ is a Tab stop whose focus shows the same text, as its description.
    await leader.mouse.move(0, 0);
    await expect.poll(() => tip.isVisible()).toBe(false);
    await tabUntil(leader, '[data-testid="kpi-online-share"] [data-testid="def-onlineShare"]');
    expect(await tip.isVisible()).toBe(true);
    const described = await leader.evaluate(
      () =>
        document.getElementById(document.activeElement?.getAttribute('aria-describedby') ?? '')?.textContent,
    );
    expect(described).toBe(await tip.textContent());

    // Every KPI card carries its definition.
    const cards = await leader.locator('[data-testid^="kpi-"]').count();
    expect(await leader.locator('[data-testid^="kpi-"] [role="tooltip"]').count()).toBe(cards);
  });

  it('charts and table headers of /flows, /adoption and /orgs carry definitions too', async () => {
    await gd.goto(`${web.url}/flows`);
    await gd.getByTestId('flow-list').waitFor();
    for (const term of ['flows', 'matrix', 'series', 'flowRecords', 'flowAccesses'])
      expect(await gd.getByTestId(`def-${term}`).count()).toBeGreaterThan(0);
    await gd.goto(`${web.url}/adoption`);
    await gd.locator('[data-testid="ranking"] tr[data-region]').first().waitFor();
    for (const term of [
      'onlineShare',
      'fullyOnlineItems',
      'cases',
      'jointCases',
      'sharingVolume',
      'activeOrgs',
    ])
      expect(await gd.locator(`[data-testid="ranking"] th [data-testid="def-${term}"]`).count()).toBe(1);
    await gd.goto(`${web.url}/orgs`);
    await gd.getByTestId('org-list').waitFor();
    for (const term of ['orgDatasets', 'orgGrantsGiven', 'orgAccessesMade'])
      expect(await gd.locator(`[data-testid="org-list"] th [data-testid="def-${term}"]`).count()).toBe(1);
  });

  it('/adoption silo and targets, /chain cards and charts, /incidents counts and list: definitions on focus read the catalogue', async () => {
    const defs: Record<string, string> = glossary.metricDefs;
    const expectDefined = async (page: Page, within: string, term: string) => {
      const text = defs[term];
      expect(text, term).toBeTruthy();
      expect(await definitionOnFocus(page, within, term)).toEqual({
        visible: true,
        tip: text,
        described: text,
      });
    };
    await web.db.pool.query(
      `insert into adoption_targets (region_code, metric, value, target_date, set_by)
       values (440000, 'online_share', 0.9, '2027-12-31', 'e2e')`,
    );
    await gd.goto(`${web.url}/adoption`);
    await gd.locator('[data-testid="targets-table"] tr[data-region="440000"]').waitFor();
    await gd.getByTestId('silo-index').waitFor();
    for (const term of [
      'siloIndex',
      'siloProviderShare',
      'siloConsumeOnly',
      'siloUnusedDatasets',
      'siloGrants',
    ])
      expect(
        await gd.locator(`[data-testid="silo"] [data-testid="def-${term}"]`).count(),
        term,
      ).toBeGreaterThan(0);
    for (const term of ['targetCurrent', 'targetProgress', 'targetGap', 'targetProjected'])
      expect(
        await gd.locator(`[data-testid="targets-table"] th [data-testid="def-${term}"]`).count(),
        term,
      ).toBeGreaterThan(0);
    await expectDefined(gd, '[data-testid="targets-table"]', 'targetProgress');
    await expectDefined(gd, '[data-testid="silo"]', 'siloIndex');
    await screenshot(gd, '21-5-rest-adoption-zh');

    await gd.goto(`${web.url}/chain`);
    await gd.getByTestId('chain-stats').waitFor();
    // Every card carries its definition, and so do the charts and the alerts.
    const cards = await gd.locator('[data-testid="chain-stats"] [data-testid^="kpi-"]').count();
    expect(cards).toBeGreaterThan(7);
    expect(
      await gd.locator('[data-testid="chain-stats"] [data-testid^="kpi-"] [role="tooltip"]').count(),
    ).toBe(cards);
    for (const term of ['chainPerDay', 'chainPerEvent', 'chainStalls'])
      expect(await gd.getByTestId(`def-${term}`).count(), term).toBe(1);
    await expectDefined(gd, '[data-testid="chain-stats"]', 'chainInterval');
    await screenshot(gd, '21-5-rest-chain-zh');

    await gd.goto(`${web.url}/incidents`);
    await gd.locator('[data-testid="incident-list"] tbody tr').first().waitFor();
    await gd.getByTestId('incident-counts').waitFor();
    expect(
      await gd.locator('[data-testid="incident-list"] th [data-testid="def-incidentTimes"]').count(),
    ).toBe(1);
    await expectDefined(gd, '[data-testid="incident-counts"]', 'incidentsByRule');
    await expectDefined(gd, '[data-testid="incident-counts"]', 'incidentsBySeverity');
    await screenshot(gd, '21-5-rest-incidents-zh');
  });
});

describe("/adoption targets: the admin picks the region from the admin's own scope", () => {
  it('a Guangdong admin is offered Guangdong and its cities, sets a target for Shenzhen by name, and the table names it', async () => {
    await addWebUser(web, { email: 'gd-admin@example.gov.cn', role: 'admin', regionCode: 440000 });
    const admin = await signIn(browser, web, 'gd-admin@example.gov.cn');
    await admin.goto(`${web.url}/adoption`);
    const form = admin.getByTestId('target-form');
    const picker = form.locator('select[name="regionCode"]');
    await picker.waitFor();
    expect(
      await picker
        .locator('option')
        .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent?.trim()])),
    ).toEqual([['', '选择区域'], ...citiesOfGuangdong()]);
    expect(await form.locator('input[name="regionCode"]').count()).toBe(0);
    // The picker's label is the catalogue's 区域; Shenzhen is picked from the list, not typed.
    expect(
      await form.locator('label:has(select[name="regionCode"])').evaluate((l) => l.firstChild?.textContent),
    ).toBe('区域');
    await picker.selectOption('440300');
    await form.locator('select[name="metric"]').selectOption('online_share');
    await form.locator('input[name="value"]').fill('80%');
    await form.locator('input[name="targetDate"]').fill('2027-06-30');
    await screenshot(admin, 'usability-target-form');
    await form.locator('button[type="submit"]').click();
    const row = admin.locator(
      '[data-testid="targets-table"] tr[data-region="440300"][data-metric="online_share"]',
    );
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('深圳市');
    expect(
      await rows<{ region_code: number; value: string; target_date: string }>(
        `select region_code, value::text, to_char(target_date, 'YYYY-MM-DD') target_date
         from adoption_targets where metric = 'online_share' and region_code = 440300`,
      ),
    ).toEqual([{ region_code: 440300, value: '0.8', target_date: '2027-06-30' }]);
    await screenshot(admin, 'usability-target-set');
    await admin.close();
  });
});

/** The picker's choices for a Guangdong scope: the province, then its cities indented. */
function citiesOfGuangdong(): [string, string][] {
  return [['440000', '广东省'], ...citiesOf(440000).map((c): [string, string] => [String(c.code), c.name])];
}
