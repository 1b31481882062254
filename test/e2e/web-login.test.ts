import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { addWebUser, launchBrowser, screenshot, signIn } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';

let web: WebServer;
let browser: Browser;

beforeAll(async () => {
  web = await startWebServer();
  await addWebUser(web, { email: 'admin@example.gov.cn', name: '王管理', role: 'admin', regionCode: null });
  await addWebUser(web, {
    email: 'gz@example.gov.cn',
    name: '李监管',
    role: 'regulator',
    regionCode: 440100,
  });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('web: sign-in and the shell', () => {
  it('redirects an anonymous visit to /login', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/incidents`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.locator('input[name="email"]').count()).resolves.toBe(1);
    await expect(page.locator('input[name="password"]').count()).resolves.toBe(1);
    await expect(page.locator('button[type="submit"]').count()).resolves.toBe(1);
    await screenshot(page, 'login');
    await page.close();
  });

  it('refuses a wrong password with a message and no session', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/login`);
    await page.fill('input[name="email"]', 'gz@example.gov.cn');
    await page.fill('input[name="password"]', 'not the password');
    await page.click('button[type="submit"]');
    // (Next's route announcer is also role=alert, so look for the form's own message.)
    const message = page.locator('form p.error');
    await message.waitFor();
    expect(await message.textContent()).toContain('邮箱或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it('signs in and sees the overview with the Chinese navigation and the scoped user', async () => {
    const page = await signIn(browser, web, 'gz@example.gov.cn');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.locator('h1').textContent()).resolves.toBe('总览');
    const nav = await page.locator('nav a').allTextContents();
    expect(nav).toEqual([
      '总览',
      '数据共享流向',
      '区域应用',
      '异常事件',
      '督办',
      '链上运行',
      '存证核验',
      '成员机构',
      '报告',
    ]);
    const user = await page.getByTestId('current-user').textContent();
    expect(user).toContain('李监管');
    expect(user).toContain('广州市');
    await screenshot(page, 'overview');

    // The regulator may not administer: the page says so and the API refuses.
    await page.goto(`${web.url}/admin`);
    expect(await page.locator('.error').textContent()).toContain('无权');
    const api = await page.evaluate(async () => (await fetch('/api/trpc/admin.users.list')).status);
    expect(api).toBe(403);

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(`${web.url}/login`);
    await page.close();
  });

  it('an admin sees users, tokens and the audit log; English switch works', async () => {
    const page = await signIn(browser, web, 'admin@example.gov.cn');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('nav a').allTextContents()).toContain('系统管理');
    await page.goto(`${web.url}/admin`);
    await page.locator('td', { hasText: 'gz@example.gov.cn' }).waitFor();
    await screenshot(page, 'admin');
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page
      .locator('td', { hasText: /^auth\.sign_in$/ })
      .first()
      .waitFor();
    await screenshot(page, 'admin-audit');
    const signIns = (await web.db.db.select().from(auditLog)).filter((r) => r.action === 'auth.sign_in');
    expect(signIns.length).toBeGreaterThanOrEqual(2);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.close();
  });

  it('sends security headers', async () => {
    const res = await fetch(`${web.url}/login`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('pages run under a per-request nonce policy: no inline script runs without it', async () => {
    const a = await fetch(`${web.url}/login`);
    const b = await fetch(`${web.url}/login`);
    const policy = a.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get('content-security-policy')).not.toContain(nonce!);
    const html = await a.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const api = await fetch(`${web.url}/api/health`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('tRPC answers are sent uncompressed and marked no-transform; pages stay compressed', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const api = await fetch(`${web.url}/api/trpc/me.get`, { headers: gzip });
    expect(api.status).toBe(401);
    expect(api.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(api.headers.get('content-encoding')).toBeNull();
    const page = await fetch(`${web.url}/login`, { headers: gzip });
    expect(page.headers.get('content-encoding')).toBe('gzip');
  });

  it('/api/health answers without a session: down (503) before the indexer ran', async () => {
    const res = await fetch(`${web.url}/api/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', checks: { database: 'ok' } });
  });
});
