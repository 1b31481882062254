import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { incidentEvidence, incidents } from '../../db/schema/incidents';
import { EXPORT_COLUMNS } from '../../server/exports/columns';
import { createIncidentExportHandler } from '../../server/services/incidents-export-handler';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';
import { seedOversight } from './oversight-seed';

let f: ServerFixture;
let exportAll: (query: string, authorization?: string) => Promise<Response>;
let adminToken: string;
let nationwide: string;
let haidian: string;
let guangzhou: string;

async function tokenFor(role: 'analyst' | 'regulator', region: number | null): Promise<string> {
  const u = await f.addUser(role, region);
  return f.tokenFor(u, `${role} export`);
}

beforeAll(async () => {
  f = await createServerFixture();
  await seedOversight(f.db.url);
  const handler = createIncidentExportHandler(f.deps);
  exportAll = (query, authorization) =>
    handler(
      new Request(`${TEST_ORIGIN}/api/incidents/export${query}`, {
        headers: authorization ? { authorization } : {},
      }),
    );
  nationwide = await tokenFor('analyst', null);
  haidian = await tokenFor('analyst', 110108);
  guangzhou = await tokenFor('analyst', 440000);
  adminToken = await tokenFor('regulator', null);
}, 300_000);
afterAll(async () => {
  await f?.close();
});

const HEADER = EXPORT_COLUMNS.join(',');

/** Waits for the second audit row, written when the stream has ended. */
async function doneAudit(exportId: string) {
  for (let i = 0; i < 50; i++) {
    const rows = await f.db.db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.action, ['incidents.export_done', 'incidents.export_failed']));
    const hit = rows.find((r) => r.details.exportId === exportId);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no export_done audit row');
}

describe('oversight: GET /api/incidents/export', () => {
  it('streams CSV with BOM, the exact header and one row per evidence event, audited twice', async () => {
    const res = await exportAll('?format=csv', `Bearer ${nationwide}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="incidents-\d{8}-\d{4}\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(HEADER);
    const evidence = await f.db.db.select().from(incidentEvidence);
    expect(lines.length - 1).toBe(evidence.length);
    const ids = new Set(lines.slice(1).map((l) => Number(l.split(',')[0])));
    expect(ids.size).toBe((await f.db.db.select().from(incidents)).length);
    expect(text).toContain('深圳市税务局');

    const [start] = (
      await f.db.db.select().from(auditLog).where(eq(auditLog.action, 'incidents.export'))
    ).slice(-1);
    expect(start?.details).toMatchObject({ format: 'csv', filters: {}, scope: { regionCode: null } });
    const done = await doneAudit(String(start?.details.exportId));
    expect(done.action).toBe('incidents.export_done');
    expect(done.details).toMatchObject({ rowCount: evidence.length, format: 'csv' });
    expect(done.actorLabel).toBe(start?.actorLabel);
  });

  it('applies filters: rule=DUPLICATE_REIMBURSEMENT gives its two evidence rows', async () => {
    const res = await exportAll(
      '?format=csv&rule=DUPLICATE_REIMBURSEMENT&severity=high',
      `Bearer ${nationwide}`,
    );
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(',DUPLICATE_REIMBURSEMENT,high,open,440300,深圳市,'))).toBe(
      true,
    );
  });

  it('honours region scope: a Haidian analyst gets the header and zero rows; a Guangdong one only 44xxxx', async () => {
    const none = await exportAll('?format=csv', `Bearer ${haidian}`);
    expect(none.status).toBe(200);
    expect((await none.text()).replace(/^\uFEFF/, '')).toBe(`${HEADER}\r\n`);
    const widened = await exportAll('?format=csv&region=330100', `Bearer ${guangzhou}`);
    expect((await widened.text()).replace(/^\uFEFF/, '')).toBe(`${HEADER}\r\n`);
    const gd = await exportAll('?format=json', `Bearer ${guangzhou}`);
    const rows = (await gd.json()) as { region_code: number }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => String(r.region_code).startsWith('44'))).toBe(true);
  });

  it('JSON is an array of objects with exactly the export keys; XLSX has its content type', async () => {
    const json = await exportAll('?format=json&rule=MODE_NOT_GRANTED', `Bearer ${nationwide}`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = (await json.json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Object.keys(r)).toEqual([...EXPORT_COLUMNS]);
    const xlsx = await exportAll('?format=xlsx', `Bearer ${nationwide}`);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const body = new Uint8Array(await xlsx.arrayBuffer());
    expect(String.fromCharCode(body[0]!, body[1]!)).toBe('PK');
  });

  it.each([
    ['?format=csv&regionCode=440000', 'unknown parameter "regionCode"'],
    ['?format=pdf', 'format: must be one of csv, xlsx, json'],
    ['?rule=ACCESS_WITHOUT_GRANT', 'format: must be one of'],
    ['?format=csv&rule=NOPE', 'rule: must be one of'],
    ['?format=csv&from=yesterday', 'from: '],
    ['?format=csv&rule=ACCESS_WITHOUT_GRANT&rule=VOLUME_SPIKE', 'given more than once'],
  ])('rejects %s with 400 and a clear message', async (query, message) => {
    const res = await exportAll(query, `Bearer ${nationwide}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain(message);
  });

  it('401 without credentials, 403 for a role without incidents:export', async () => {
    expect((await exportAll('?format=csv')).status).toBe(401);
    expect((await exportAll('?format=csv', `Bearer ${adminToken}`)).status).toBe(403);
  });

  it('accepts the browser session cookie', async () => {
    const u = await f.addUser('analyst');
    const { cookie } = await f.signIn(u.email);
    const res = await exportAll('?format=json', undefined).then(() =>
      createIncidentExportHandler(f.deps)(
        new Request(`${TEST_ORIGIN}/api/incidents/export?format=json`, { headers: { cookie } }),
      ),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(8);
  });
});
