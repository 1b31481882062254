import { asc, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit-chain';
import { auditLog, reports } from '../../db/schema';
import { createAuditExportHandler } from '../../server/http/audit-export';
import { createReportDownloadHandler } from '../../server/reports/download-handler';
import { createIncidentExportHandler } from '../../server/services/incidents-export-handler';
import {
  cookieHeader,
  createServerFixture,
  TEST_ORIGIN,
  TEST_PASSWORD,
  totpFromUri,
  type ServerFixture,
} from '../helpers/web';
import { CHAIN, insertIncident, insertOrgs, ORGS } from './supervision-seed';

/**
 * Security review item 5 (rest): opening an incident, a report or a /verify look-up is on record,
 * written by the procedure that serves the read; a session read that writes a row is refused when
 * another site made the request (Sec-Fetch-Site cross-site / same-site), so a foreign page cannot
 * write rows in a user's name. Everything over the real tRPC HTTP handler and route handlers.
 */
let f: ServerFixture;
let incidentId: number;
let reportId: number;
let session: string;
let bearer: Record<string, string>;
const READS = ['incidents.view', 'reports.view', 'verify.lookup', 'reports.download'];
const HASH = `0x${'ab'.repeat(32)}`;

beforeAll(async () => {
  f = await createServerFixture();
  await insertOrgs(f.db.db);
  incidentId = await insertIncident(f.db.db, {
    rule: 'ACCESS_WITHOUT_GRANT',
    severity: 'high',
    regionCode: 440100,
    org: ORGS.gzTax.address,
    eventName: 'DataAccessed',
    args: { accessor: ORGS.gzTax.address },
    at: new Date('2025-09-01T10:00:00+08:00'),
  });
  const [r] = await f.db.db
    .insert(reports)
    .values({
      chainId: CHAIN,
      regionCode: 440000,
      period: '2025-08',
      trigger: 'manual',
      generatedBy: 'test',
      figures: { region: { code: 440000, nameZh: '广东省' }, period: { labelZh: '2025年8月' } },
      figuresSha256: '0'.repeat(64),
      html: '<!doctype html><article class="lj-report">广东省</article>',
    })
    .returning({ id: reports.id });
  reportId = r!.id;
  // A Guangdong regulator, signed in by password (a session cookie) and holding a token of their own.
  const gd = await f.addUser('regulator', 440000, 'gd-reads@example.gov.cn');
  session = (await f.signIn(gd.email)).cookie;
  bearer = { authorization: `Bearer ${await f.tokenFor(gd)}` };
});
afterAll(async () => {
  await f?.close();
});

async function rows() {
  return f.db.db
    .select({
      action: auditLog.action,
      target: auditLog.target,
      actor: auditLog.actorLabel,
      region: auditLog.actorRegion,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(inArray(auditLog.action, READS))
    .orderBy(asc(auditLog.id));
}

const site = (s: string) => ({ cookie: session, 'sec-fetch-site': s });

describe('security 5: views and look-ups are audited by the procedure that serves them', () => {
  it('an incident opened from the dashboard is one row; lists and counts write none', async () => {
    const before = (await rows()).length;
    expect((await f.trpcHttp('query', 'incidents.list', {}, site('same-origin'))).status).toBe(200);
    expect((await f.trpcHttp('query', 'incidents.counts', {}, site('same-origin'))).status).toBe(200);
    expect((await rows()).length).toBe(before);
    const got = await f.trpcHttp('query', 'incidents.get', { id: incidentId }, site('same-origin'));
    expect(got.status).toBe(200);
    expect((await rows()).slice(before)).toEqual([
      {
        action: 'incidents.view',
        target: `incident:${incidentId}`,
        actor: 'gd-reads@example.gov.cn',
        region: 440000,
        details: {},
      },
    ]);
  });

  it('a report viewed and a /verify look-up (found or not) are one row each', async () => {
    const before = (await rows()).length;
    expect((await f.trpcHttp('query', 'reports.list', {}, site('same-origin'))).status).toBe(200);
    expect((await f.trpcHttp('query', 'reports.get', { id: reportId }, site('same-origin'))).status).toBe(
      200,
    );
    expect((await f.trpcHttp('query', 'verify.lookup', { hash: HASH }, site('same-origin'))).status).toBe(
      200,
    );
    expect((await rows()).slice(before)).toEqual([
      {
        action: 'reports.view',
        target: `report:${reportId}`,
        actor: 'gd-reads@example.gov.cn',
        region: 440000,
        details: { regionCode: 440000, period: '2025-08' },
      },
      {
        action: 'verify.lookup',
        target: `hash:${HASH}`,
        actor: 'gd-reads@example.gov.cn',
        region: 440000,
        details: { found: [] },
      },
    ]);
  });

  it('a view refused for scope writes nothing', async () => {
    const zj = await f.addUser('regulator', 330000);
    const zjSession = (await f.signIn(zj.email)).cookie;
    const before = (await rows()).length;
    const res = await f.trpcHttp(
      'query',
      'incidents.get',
      { id: incidentId },
      { cookie: zjSession, 'sec-fetch-site': 'same-origin' },
    );
    expect(res.status).toBe(404);
    expect((await rows()).length).toBe(before);
  });
});

describe('security 5: a foreign page cannot make a session read that writes audit rows', () => {
  it.each(['cross-site', 'same-site'])(
    'Sec-Fetch-Site %s: 403 for each audited read, nothing written',
    async (s) => {
      const before = await rows();
      for (const [path, input] of [
        ['incidents.get', { id: incidentId }],
        ['reports.get', { id: reportId }],
        ['verify.lookup', { hash: HASH }],
      ] as const) {
        const res = await f.trpcHttp('query', path, input, site(s));
        expect(res.status, path).toBe(403);
        expect(res.body.error?.json.message, path).toMatch(/requested by another site/);
      }
      // Lists write nothing, so they stay readable (a foreign page cannot read the answer anyway).
      expect((await f.trpcHttp('query', 'incidents.list', {}, site(s))).status).toBe(200);
      const download = createReportDownloadHandler(f.deps);
      const dl = await download(
        new Request(`${TEST_ORIGIN}/api/reports/${reportId}?format=json`, { headers: site(s) }),
        String(reportId),
      );
      expect(dl.status).toBe(403);
      const exp = await createIncidentExportHandler(f.deps)(
        new Request(`${TEST_ORIGIN}/api/incidents/export?format=csv`, { headers: site(s) }),
      );
      expect(exp.status).toBe(403);
      expect(await rows()).toEqual(before);
    },
  );

  it('same-origin, none (address bar) and no header are the user: served and audited', async () => {
    const before = (await rows()).length;
    for (const headers of [site('same-origin'), site('none'), { cookie: session }]) {
      expect((await f.trpcHttp('query', 'incidents.get', { id: incidentId }, headers)).status).toBe(200);
    }
    const download = createReportDownloadHandler(f.deps);
    const dl = await download(
      new Request(`${TEST_ORIGIN}/api/reports/${reportId}?format=json`, { headers: site('none') }),
      String(reportId),
    );
    expect(dl.status).toBe(200);
    expect((await rows()).slice(before).map((r) => r.action)).toEqual([
      'incidents.view',
      'incidents.view',
      'incidents.view',
      'reports.download',
    ]);
  });

  it('a bearer token carries no ambient credential: served and audited whatever Sec-Fetch-Site says', async () => {
    const before = (await rows()).length;
    const res = await f.trpcHttp(
      'query',
      'incidents.get',
      { id: incidentId },
      {
        ...bearer,
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(res.status).toBe(200);
    expect((await rows()).slice(before).map((r) => [r.action, r.actor])).toEqual([
      ['incidents.view', 'gd-reads@example.gov.cn'],
    ]);
  });

  it('the audit export by an administrator session is refused cross-site too', async () => {
    const admin = await f.addUser('admin', null);
    const cookie = (await f.signIn(admin.email)).cookie;
    const handler = createAuditExportHandler(f.deps);
    const at = (s: string) =>
      handler(
        new Request(`${TEST_ORIGIN}/api/admin/audit-export`, { headers: { cookie, 'sec-fetch-site': s } }),
      );
    expect((await at('cross-site')).status).toBe(403);
    expect((await at('same-origin')).status).toBe(200);
  });
});

describe('security 5: credential changes are audited; the chain still verifies', () => {
  it('password change and second-factor disable each write their row', async () => {
    const u = await f.addUser('analyst', 440000, 'gd-creds@example.gov.cn');
    let cookie = (await f.signIn(u.email)).cookie;
    const enable = await f.authPost('/two-factor/enable', { password: TEST_PASSWORD }, cookie);
    expect(enable.status).toBe(200);
    cookie = cookieHeader(enable, cookie);
    const { totpURI } = (await enable.json()) as { totpURI: string };
    const verify = await f.authPost('/two-factor/verify-totp', { code: totpFromUri(totpURI) }, cookie);
    expect(verify.status).toBe(200);
    cookie = cookieHeader(verify, cookie);
    const disable = await f.authPost('/two-factor/disable', { password: TEST_PASSWORD }, cookie);
    expect(disable.status).toBe(200);
    cookie = cookieHeader(disable, cookie);
    const change = await f.authPost(
      '/change-password',
      { currentPassword: TEST_PASSWORD, newPassword: 'another horse battery' },
      cookie,
    );
    expect(change.status).toBe(200);
    const mine = await f.db.db
      .select({ action: auditLog.action, actor: auditLog.actorLabel })
      .from(auditLog)
      .where(inArray(auditLog.action, ['auth.second_factor_disabled', 'auth.password_changed']))
      .orderBy(asc(auditLog.id));
    expect(mine).toEqual([
      { action: 'auth.second_factor_disabled', actor: u.email },
      { action: 'auth.password_changed', actor: u.email },
    ]);
  });

  it('every row written above is chained: verify-audit passes', async () => {
    const check = await verifyAuditChain(f.db.db);
    expect(check).toMatchObject({ ok: true, unchained: 0 });
  });
});
