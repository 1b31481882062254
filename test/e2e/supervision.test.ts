import { eq, inArray } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { LOCALE_COOKIE } from '../../app/_i18n/locale';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, orgs, supervisionCases } from '../../db/schema';
import { CHINA_TILES } from '../../app/_charts/china-tile-grid';
import { tileMapHeight } from '../../app/_charts/tile-map';
import { regionName } from '../../domain/regions';
import { addWebUser, launchBrowser, screenshot, signIn } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import {
  addr,
  CHAIN,
  hx,
  insertAccessWithoutGrant,
  insertIncident,
  insertOrgs,
  ORGS,
} from '../integration/supervision-seed';

/**
 * One case from detection to 办结 in Chromium by three users: the Guangzhou regulator hands it
 * over (交办), the tax bureau's department user signs and answers with a file (签收, 反馈), the
 * Guangdong regulator reviews and closes it (审核, 办结). The web server runs on the real clock,
 * so nothing here depends on dates: only on the stages and what each user may see and do.
 */
let web: WebServer;
let browser: Browser;
let id: number;

const stage = async () =>
  (await web.db.db.select().from(supervisionCases).where(eq(supervisionCases.incidentId, id)))[0]?.stage;

beforeAll(async () => {
  web = await startWebServer();
  await insertOrgs(web.db.db);
  id = await insertAccessWithoutGrant(web.db.db, { org: ORGS.gzTax, at: new Date(Date.now() - 3600_000) });
  await addWebUser(web, {
    email: 'gz@example.gov.cn',
    role: 'regulator',
    regionCode: 440100,
  });
  await addWebUser(web, {
    email: 'gd@example.gov.cn',
    role: 'regulator',
    regionCode: 440000,
  });
  await addWebUser(web, {
    email: 'tax@example.gov.cn',
    role: 'department',
    regionCode: 440100,
    orgAddress: ORGS.gzTax.address,
  });
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('web: 督办 from detection to 办结', () => {
  it('the city regulator hands the incident over to the derived department', async () => {
    const page = await signIn(browser, web, 'gz@example.gov.cn');
    await page.goto(`${web.url}/incidents/${id}`);
    const panel = page.getByTestId('supervision');
    await panel.waitFor();
    expect(await page.getByTestId('responsible').textContent()).toContain('广州市税务局');
    await page.getByLabel('交办意见').fill('请核查该访问并于期限内反馈');
    await page.getByRole('button', { name: '交办', exact: true }).click();
    await page.locator('[data-testid="supervision"][data-stage="assigned"]').waitFor();
    expect(await page.getByTestId('stage').textContent()).toBe('已交办，待签收');
    await screenshot(page, 'supervision-handed-over');
    expect(await stage()).toBe('assigned');
    await page.close();
  });

  it('the department user finds it on /supervision, signs and answers with a file', async () => {
    const page = await signIn(browser, web, 'tax@example.gov.cn');
    // Signing in lands on 督办 (the overview would only refuse a department user).
    await page.waitForURL((u) => u.pathname === '/supervision');
    await page.goto(`${web.url}/`);
    await page.waitForURL((u) => u.pathname === '/supervision');
    expect(await page.textContent('main')).not.toContain('无权访问');
    // The deadline reads on one line in English too (it broke as "2026-12-" / "09").
    await page.context().addCookies([{ name: LOCALE_COOKIE, value: 'en', url: web.url }]);
    await page.reload();
    const due = page.locator(`[data-testid="queue"] tr[data-id="${id}"] [data-testid="due"]`);
    await due.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Supervision');
    expect(
      await due.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return { lines: range.getClientRects().length, wrap: getComputedStyle(td).whiteSpace };
      }),
    ).toEqual({ lines: 1, wrap: 'nowrap' });
    await page.context().addCookies([{ name: LOCALE_COOKIE, value: 'zh', url: web.url }]);
    await page.goto(`${web.url}/supervision`);
    await page.locator(`[data-testid="queue"] tr[data-id="${id}"] a`).click();
    await page.waitForURL(new RegExp(`/incidents/${id}$`));
    await page.getByTestId('supervision-incident').waitFor();
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await page.locator('[data-testid="supervision"][data-stage="signed"]').waitFor();
    await page.getByLabel('反馈内容').fill('经核查，系接口配置错误，已整改。');
    await page.setInputFiles('input[type="file"]', {
      name: '整改报告.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('整改报告\n'),
    });
    await page.getByRole('button', { name: '反馈', exact: true }).click();
    await page.locator('[data-testid="supervision"][data-stage="answered"]').waitFor();
    expect(await page.getByTestId('answers').textContent()).toContain('整改报告.txt');
    await screenshot(page, 'supervision-answered');
    // Another incident of the region is not this department's: its page shows nothing of it.
    await page.goto(`${web.url}/incidents`);
    expect(await page.textContent('body')).not.toContain('广州市税务局');
    await page.close();
  });

  it('the province regulator reviews and closes it; the incident is resolved', async () => {
    const page = await signIn(browser, web, 'gd@example.gov.cn');
    await page.goto(`${web.url}/incidents/${id}`);
    await page.locator('[data-testid="supervision"][data-stage="answered"]').waitFor();
    await page.getByRole('button', { name: '审核通过，办结', exact: true }).click();
    await page.locator('[data-testid="supervision"][data-stage="closed"]').waitFor();
    expect(await page.getByTestId('deadline-state').textContent()).toBe('按期办结');
    const history = await page.getByTestId('supervision-history').textContent();
    for (const who of ['gz@example.gov.cn', 'tax@example.gov.cn', 'gd@example.gov.cn'])
      expect(history).toContain(who);
    await page.goto(`${web.url}/supervision`);
    await page.getByTestId('figures-total').waitFor();
    expect(await page.locator('[data-testid="figures-total"] [data-testid="fig-ontime"]').textContent()).toBe(
      '1',
    );
    expect(await page.locator('[data-testid="figures-total"] [data-testid="fig-rate"]').textContent()).toBe(
      '100.0%',
    );
    await screenshot(page, 'supervision-page');
    const [inc] = await web.db.db.select().from(incidents).where(eq(incidents.id, id));
    expect(inc?.status).toBe('resolved');
    expect(await stage()).toBe('closed');
    await page.close();
  });
});

/**
 * The 督办 half of /incidents in Chromium, in Zhejiang (no other test here touches it): six
 * Hangzhou incidents, five handed over in every deadline state and at two escalation levels. The
 * deadlines are set relative to the real clock with days of margin, so the states do not depend on
 * the date. A Zhejiang analyst picks an assignee (only users who may see the case are offered),
 * filters by each 督办 filter (the filter lands in the URL; a reload shows the same rows) and uses
 * the bulk bar's picker (only users who may see every ticked case).
 */
describe('web: assignee picker and 督办 filters', () => {
  const hzTax = { address: addr(0xb1), name: '杭州市税务局', regionCode: 330100, kind: 5 };
  const day = 86_400_000;
  const ids: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', number> = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 };
  const EMAIL = {
    // The actor: analysts triage (assign); regulators direct 督办 but are offered as assignees too.
    me: 'a-zj-analyst@example.gov.cn',
    analyst: 'b-hz-analyst@example.gov.cn',
    health: 'c-hz-health@example.gov.cn',
    tax: 'd-hz-tax@example.gov.cn',
    ningbo: 'e-nb-analyst@example.gov.cn',
    leader: 'f-zj-leader@example.gov.cn',
    reg: 'g-zj-reg@example.gov.cn',
  };
  let page: Page;

  const rowIds = async () =>
    page.$$eval('[data-testid="incident-list"] tbody tr[data-id]', (trs) =>
      trs.map((tr) => Number(tr.getAttribute('data-id'))),
    );
  const options = (scope: string) =>
    page.$$eval(`${scope} select[name="assignee"] option`, (os) =>
      os.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
    );

  beforeAll(async () => {
    const t0 = Date.now();
    await web.db.db.insert(orgs).values({
      chainId: CHAIN,
      address: hzTax.address,
      orgCode: hx(0x1b1),
      regionCode: hzTax.regionCode,
      kind: hzTax.kind,
      name: hzTax.name,
      active: true,
      registeredBlock: 1,
      registeredAt: new Date('2025-01-01T00:00:00Z'),
      registeredLogIndex: 9,
      registeredTx: hx(0x2b1),
      lastBlock: 1,
    });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
    for (const [i, k] of keys.entries()) {
      ids[k] = await insertIncident(web.db.db, {
        rule: 'ACCESS_WITHOUT_GRANT',
        severity: 'high',
        regionCode: 330100,
        org: ORGS.hzHealth.address,
        eventName: 'DataAccessed',
        args: { accessor: ORGS.hzHealth.address },
        // a newest, f oldest: the list's order is a, b, c, d, e, f.
        at: new Date(t0 - (i + 1) * 60_000),
        status: k === 'e' || k === 'f' ? 'resolved' : 'open',
      });
    }
    const at = (days: number) => new Date(t0 + days * day);
    const handed = (
      k: keyof typeof ids,
      org: `0x${string}`,
      c: Partial<typeof supervisionCases.$inferInsert>,
    ): typeof supervisionCases.$inferInsert => ({
      incidentId: ids[k],
      responsibleOrg: org,
      responsibleRegion: 330100,
      responsibleSource: 'rule',
      stage: 'assigned',
      instructions: '请核查',
      handedBy: EMAIL.reg,
      handedAt: at(-20),
      days: 3,
      dueAt: at(30),
      warnAt: at(20),
      supervisingRegion: 330100,
      escalationLevel: 0,
      ...c,
    });
    await web.db.db.insert(supervisionCases).values([
      handed('b', ORGS.hzHealth.address, { handedAt: at(-1) }), // on time
      handed('c', ORGS.hzHealth.address, { stage: 'signed', warnAt: at(-1), dueAt: at(3) }), // yellow
      handed('d', ORGS.hzHealth.address, {
        warnAt: at(-10),
        dueAt: at(-2),
        escalationLevel: 1,
        supervisingRegion: 330000,
      }), // red, escalated to the province
      handed('e', hzTax.address, { stage: 'closed', closedAt: at(-1), closedLate: true }), // closed late
      handed('f', hzTax.address, { stage: 'closed', closedAt: at(-1), closedLate: false }), // closed on time
    ]);
    await web.db.db.update(incidents).set({ assignee: EMAIL.analyst }).where(eq(incidents.id, ids.c));
    await addWebUser(web, { email: EMAIL.me, role: 'analyst', regionCode: 330000 });
    await addWebUser(web, { email: EMAIL.reg, role: 'regulator', regionCode: 330000 });
    await addWebUser(web, { email: EMAIL.analyst, role: 'analyst', regionCode: 330100 });
    await addWebUser(web, {
      email: EMAIL.health,
      role: 'department',
      regionCode: 330100,
      orgAddress: ORGS.hzHealth.address,
    });
    await addWebUser(web, {
      email: EMAIL.tax,
      role: 'department',
      regionCode: 330100,
      orgAddress: hzTax.address,
    });
    await addWebUser(web, { email: EMAIL.ningbo, role: 'analyst', regionCode: 330200 });
    await addWebUser(web, { email: EMAIL.leader, role: 'leadership', regionCode: 330000 });
    page = await signIn(browser, web, EMAIL.me);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
  });

  it('the triage picker offers exactly the users who may see the case, and assigns', async () => {
    await page.goto(`${web.url}/incidents/${ids.b}`);
    const select = page.locator('[data-testid="triage"] select[name="assignee"]');
    await select.and(page.locator(':enabled')).waitFor();
    // Region users of Hangzhou or above who read incidents, and the responsible department's user;
    // not Hangzhou tax (another department), Ningbo, leadership, nor any Guangdong user.
    expect(await options('[data-testid="triage"]')).toEqual([
      EMAIL.me,
      EMAIL.analyst,
      EMAIL.health,
      EMAIL.reg,
    ]);
    await select.selectOption(EMAIL.health);
    await screenshot(page, 'supervision-assignee-picker');
    await page.locator('[data-testid="triage"]').getByRole('button', { name: '指派', exact: true }).click();
    await expect
      .poll(
        async () => (await web.db.db.select().from(incidents).where(eq(incidents.id, ids.b)))[0]?.assignee,
      )
      .toBe(EMAIL.health);
  });

  it.each([
    ['assignee', EMAIL.health, ['b']],
    ['dept', ORGS.hzHealth.address, ['b', 'c', 'd']],
    ['dept', hzTax.address, ['e', 'f']],
    ['deadline', 'ontime', ['b']],
    ['deadline', 'yellow', ['c']],
    ['deadline', 'red', ['d']],
    ['deadline', 'late', ['e']],
    ['deadline', 'closed', ['f']],
    ['deadline', 'open', ['b', 'c', 'd']],
    ['escalation', '1', ['d']],
    ['escalation', '0', ['b', 'c', 'e', 'f']],
  ] as const)(
    '/incidents filtered by %s=%s lists exactly those rows, and again after a reload',
    async (key, value, want) => {
      await page.goto(`${web.url}/incidents`);
      const expected = want.map((k) => ids[k]);
      await expect.poll(rowIds).toEqual([ids.a, ids.b, ids.c, ids.d, ids.e, ids.f]);
      const form = page.locator('form[aria-label]').filter({ has: page.locator('fieldset') });
      const field = form.locator(`[name="${key}"]`);
      if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
      await form.locator('button[type="submit"]').click();
      await page.waitForURL((u) => u.searchParams.get(key) === value);
      await expect.poll(rowIds).toEqual(expected);
      // Each row says where its case stands, so the list shows why it matched.
      const states = await page.$$eval('[data-testid="incident-list"] tbody tr[data-id] [data-state]', (es) =>
        es.map((e) => e.getAttribute('data-state')),
      );
      if (key === 'deadline' && value !== 'open') expect(states).toEqual(want.map(() => value));
      else expect(states).toHaveLength(want.length);
      if (key === 'deadline' && value === 'red') await screenshot(page, 'supervision-filtered-red');
      await page.reload();
      await expect.poll(rowIds).toEqual(expected);
      expect(new URL(page.url()).searchParams.get(key)).toBe(value);
    },
  );

  it('the bulk bar offers only users who may see every ticked case, and assigns them', async () => {
    await page.goto(`${web.url}/incidents`);
    await expect.poll(rowIds).toEqual([ids.a, ids.b, ids.c, ids.d, ids.e, ids.f]);
    const bar = 'div[role="region"]';
    await page.getByRole('checkbox', { name: `#${ids.b}`, exact: true }).check();
    await expect.poll(() => options(bar)).toEqual([EMAIL.me, EMAIL.analyst, EMAIL.health, EMAIL.reg]);
    // A case of another department: its user and Hangzhou health's both drop out.
    await page.getByRole('checkbox', { name: `#${ids.e}`, exact: true }).check();
    await expect.poll(() => options(bar)).toEqual([EMAIL.me, EMAIL.analyst, EMAIL.reg]);
    await page.locator(`${bar} select[name="assignee"]`).selectOption(EMAIL.analyst);
    await screenshot(page, 'supervision-bulk-picker');
    await page.locator(bar).getByRole('button', { name: '指派', exact: true }).click();
    await page.locator(`${bar} [role="status"]`).waitFor();
    await expect
      .poll(async () =>
        (
          await web.db.db
            .select()
            .from(incidents)
            .where(inArray(incidents.id, [ids.b, ids.e]))
        )
          .map((r) => r.assignee)
          .sort(),
      )
      .toEqual([EMAIL.analyst, EMAIL.analyst]);
  });
});

/**
 * The incident map (异常事件地区分布) opens at the user's own region: the Guangdong regulator sees
 * Guangdong's cities, a national user the provinces. The canvas is read through its accessible
 * name, which lists every tile with incidents and its count; the counts are SQL's over incidents.
 */
describe('web: the incident map opens at the region of the user', () => {
  const counts = async (key: string, where: string) =>
    (
      await web.db.pool.query<{ k: number; n: number }>(
        `select ${key} as k, count(*)::int as n from incidents where ${where} group by 1 order by 1`,
      )
    ).rows.map((r) => ({ code: Number(r.k), n: Number(r.n) }));
  const mapLabel = async (page: Page) => {
    const map = page.getByTestId('incident-map');
    await map.waitFor();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="incident-map"]')?.getAttribute('aria-label')?.includes(' '),
    );
    return map.getAttribute('aria-label');
  };

  beforeAll(async () => {
    // A second Guangdong city (Shenzhen, Futian district): the map has two city tiles.
    await insertIncident(web.db.db, {
      rule: 'MODE_NOT_GRANTED',
      severity: 'medium',
      regionCode: 440304,
      org: null,
      eventName: 'DataAccessed',
      args: { accessor: ORGS.gzTax.address },
      at: new Date(Date.now() - 7200_000),
    });
    await addWebUser(web, { email: 'lead@example.gov.cn', role: 'leadership', regionCode: null });
  });

  it("the Guangdong regulator's map shows Guangdong's cities, one row of tiles tall", async () => {
    const page = await signIn(browser, web, 'gd@example.gov.cn');
    await page.goto(`${web.url}/supervision`);
    const cities = await counts('(region_code / 100) * 100', 'region_code between 440000 and 449999');
    expect(cities.map((c) => c.code)).toEqual([440100, 440300]);
    expect(await mapLabel(page)).toBe(
      `异常事件地区分布：${cities.map((c) => `${regionName(c.code)} ${c.n}`).join('；')}`,
    );
    expect(await page.getByTestId('incident-map').evaluate((e) => e.getBoundingClientRect().height)).toBe(
      tileMapHeight(1),
    );
    await screenshot(page, 'supervision-map-guangdong');
    await page.close();
  });

  it('a national user sees the provinces', async () => {
    const page = await signIn(browser, web, 'lead@example.gov.cn');
    await page.goto(`${web.url}/supervision`);
    const provinces = await counts('(region_code / 10000) * 10000', 'true');
    expect(provinces.map((c) => c.code)).toEqual([330000, 440000]);
    // Tiles in the grid's order (north first): 浙江 (row 5) before 广东 (row 6).
    const short = (code: number) => CHINA_TILES.find((t) => t.code === code)?.short;
    expect(await mapLabel(page)).toBe(
      `异常事件地区分布：${provinces.map((c) => `${short(c.code)} ${c.n}`).join('；')}`,
    );
    expect(await page.getByTestId('incident-map').evaluate((e) => e.getBoundingClientRect().height)).toBe(
      tileMapHeight(8),
    );
    await screenshot(page, 'supervision-map-nation');
    await page.close();
  });

  it("a city's user, whose incidents carry no district codes, gets the counts per rule instead of a one-tile map", async () => {
    const codes = await counts('region_code', 'region_code between 440100 and 440199');
    expect(codes.map((c) => c.code)).toEqual([440100]);
    const byRule = (
      await web.db.pool.query<{ rule: string; n: number }>(
        `select rule, count(*)::int as n from incidents where region_code between 440100 and 440199
         group by 1 order by 2 desc, 1`,
      )
    ).rows;
    for (const [lang, sentence] of [
      ['zh', '广州市的异常事件未按区县登记，地图只会有一格，故不绘制；下表按规则列出异常事件数。'],
      [
        'en',
        'Incidents in Guangzhou carry no district codes, so a map would be a single tile; the table lists them by rule.',
      ],
    ] as const) {
      const page = await signIn(browser, web, 'gz@example.gov.cn');
      await page.context().addCookies([{ name: LOCALE_COOKIE, value: lang, url: web.url }]);
      await page.goto(`${web.url}/supervision`);
      const single = page.getByTestId('incident-map-single');
      await single.waitFor();
      expect(await page.getByTestId('incident-map').count()).toBe(0);
      expect(await single.locator('p').textContent()).toBe(sentence);
      const shown = await single
        .locator('[data-testid="incident-rules"] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute('data-rule'), Number(tr.lastElementChild?.textContent)]),
        );
      expect(shown).toEqual(byRule.map((r) => [r.rule, r.n]));
      await screenshot(page, `supervision-map-city-${lang}`);
      await page.close();
    }
  });
});
