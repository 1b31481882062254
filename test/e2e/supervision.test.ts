import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, supervisionCases } from '../../db/schema';
import { addWebUser, launchBrowser, screenshot, signIn } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import { insertIncident, insertOrgs, ORGS } from '../integration/supervision-seed';

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
  id = await insertIncident(web.db.db, {
    rule: 'ACCESS_WITHOUT_GRANT',
    severity: 'high',
    regionCode: 440100,
    org: ORGS.gzTax.address,
    eventName: 'DataAccessed',
    args: { accessor: ORGS.gzTax.address, grantId: '0x01', datasetId: '0x02' },
    at: new Date(Date.now() - 3600_000),
  });
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
