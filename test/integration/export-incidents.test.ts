import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { blocks, incidents, orgs, supervisionCases } from '../../db/schema';
import { EXPORT_COLUMNS, type ExportFormat } from '../../server/exports/columns';
import { parseExportFilters, type ExportFilters } from '../../server/exports/incidents-query';
import { csvRecords } from '../../server/exports/read-export';
import { writeIncidentExport } from '../../server/exports/write-export';
import type { Scope } from '../../server/scope';
import { writeFindings } from '../../workers/incidents/write-findings';
import type { StoredFinding } from '../../workers/incidents/types';
import { createTestDb, type TestDb } from '../helpers/db';
import { addr, h32, ref } from '../unit/rules-fixtures';

const CHAIN = 31337;
let t: TestDb;

function f(i: number, region: number, evidence = [ref(100 + i, 0)], summary = `摘要 ${i}`): StoredFinding {
  return {
    rule: i % 2 ? 'OFF_HOURS_BULK' : 'DUPLICATE_REIMBURSEMENT',
    key: `k-${i}`,
    severity: i % 2 ? 'low' : 'high',
    regionCode: region,
    orgAddress: region === 0 ? null : addr(region),
    summary,
    occurredAt: 1_788_000_000,
    evidence,
    anchorBlock: 100 + i,
  };
}

async function exportTo(
  format: ExportFormat,
  filters: ExportFilters = {},
  scope: Scope = { regionCode: null },
  pageSize?: number,
) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await writeIncidentExport({ db: t.db, format, filters, scope, out, pageSize });
  return { result, bytes: Buffer.concat(chunks) };
}

async function csvRows(bytes: Buffer): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'lj-export-'));
  writeFileSync(join(dir, 'x.csv'), bytes);
  const out: string[][] = [];
  for await (const r of csvRecords(join(dir, 'x.csv'))) out.push(r);
  return out;
}

beforeAll(async () => {
  t = await createTestDb();
  await t.db.insert(orgs).values(
    [440300, 330100].map((region) => ({
      chainId: CHAIN,
      address: addr(region),
      orgCode: h32(region),
      regionCode: region,
      kind: 21,
      name: region === 440300 ? '深圳市某医院' : '杭州市某企业',
      active: true,
      registeredBlock: 1,
      registeredAt: new Date(),
      registeredLogIndex: 0,
      registeredTx: h32(region),
      lastBlock: 1,
    })),
  );
  await t.db.insert(blocks).values(
    Array.from({ length: 10 }, (_, i) => ({
      chainId: CHAIN,
      number: 100 + i,
      hash: h32(0xb100 + i),
      parentHash: h32(0xb0ff + i),
      // Block 100+i at 10:00 Shanghai on 2026-10-(1+i): the events' own times, weeks before detection.
      timestamp: new Date(Date.UTC(2026, 9, 1 + i, 2)),
    })),
  );
  await writeFindings(t.db, CHAIN, [
    f(0, 440300, [ref(100, 0), ref(103, 2)], '=HYPERLINK("http://x","点我")'),
    f(1, 440300, [ref(101, 0)], '含逗号, "引号" 和\n换行'),
    f(2, 330100, [ref(102, 0)], '-1+2'),
    f(3, 0, [], '@SUM(A1)'),
    f(4, 440300, [ref(104, 1)]),
  ]);
  // Block times (occurred_at) on either side of a Shanghai midnight; detection much later, on
  // other days, so a filter on the wrong column finds nothing.
  await t.db
    .update(incidents)
    .set({ occurredAt: new Date('2026-09-01T15:59:59Z'), detectedAt: new Date('2026-11-20T01:00:00Z') })
    .where(eq(incidents.findingKey, 'k-1'));
  await t.db
    .update(incidents)
    .set({ occurredAt: new Date('2026-09-01T16:00:00Z'), detectedAt: new Date('2026-11-20T01:00:00Z') })
    .where(eq(incidents.findingKey, 'k-2'));
});
afterAll(async () => {
  await t.drop();
});

describe('export: CSV', () => {
  it('writes a BOM, the columns in order, one row per evidence event, neutralised formulas', async () => {
    const { result, bytes } = await exportTo('csv');
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain('\r\n');
    const rows = await csvRows(bytes);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(1 + 6);
    expect(result.rowCount).toBe(6);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const [first, second] = rows.slice(1);
    expect(first?.slice(0, 8)).toEqual([
      expect.stringMatching(/^\d+$/),
      'DUPLICATE_REIMBURSEMENT',
      'high',
      'open',
      '440300',
      '深圳市',
      addr(440300),
      '深圳市某医院',
    ]);
    expect(first?.[8]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // occurred_at: each row's own evidence event's block time, between detected_at and block_number.
    expect(first?.slice(9, 14)).toEqual([
      '2026-10-01T10:00:00+08:00',
      '100',
      h32(100_000),
      '0',
      `'=HYPERLINK("http://x","点我")`,
    ]);
    expect(second?.slice(9, 13)).toEqual(['2026-10-04T10:00:00+08:00', '103', h32(103_002), '2']);
    const bySummary = rows.map((r) => r[13]);
    expect(bySummary).toContain('含逗号, "引号" 和\n换行');
    expect(bySummary).toContain("'-1+2");
    expect(bySummary).toContain("'@SUM(A1)");
    const stall = rows.find((r) => r[13] === "'@SUM(A1)");
    // No evidence: occurred_at is the incident's own time (1_788_000_000 = 2026-08-29T18:40:00+08:00).
    // Region 0 of a rule about an actor: the pages' label, 未登记地区 (全链 only for a chain-wide rule).
    expect(stall?.slice(4, 13)).toEqual([
      '0',
      '未登记地区',
      '',
      '',
      expect.any(String),
      '2026-08-29T18:40:00+08:00',
      '',
      '',
      '',
    ]);
  });

  it('yields the same bytes whatever the page size (keyset pagination)', async () => {
    const a = await exportTo('csv', {}, { regionCode: null }, 5000);
    const b = await exportTo('csv', {}, { regionCode: null }, 1);
    const c = await exportTo('csv', {}, { regionCode: null }, 2);
    expect(b.result.sha256).toBe(a.result.sha256);
    expect(c.result.sha256).toBe(a.result.sha256);
  });

  it('collects one evidence line per row, with the stored block hash, for the manifest', async () => {
    const { result } = await exportTo('csv');
    expect(result.chainId).toBe(CHAIN);
    expect(result.evidence).toHaveLength(result.rowCount);
    expect(result.evidence.filter((e) => e.event)).toHaveLength(5);
    expect(result.evidence[1]).toEqual({
      row: 2,
      incident: expect.any(Number),
      rowSm3: expect.stringMatching(/^[0-9a-f]{64}$/),
      // No raw event row is stored in this fixture: coordinates only.
      event: {
        chainId: CHAIN,
        address: null,
        txHash: h32(103_002),
        blockNumber: 103,
        blockHash: h32(0xb103),
        logIndex: 2,
        eventName: null,
        topic0: null,
        args: null,
      },
    });
  });
});

describe('export: filters and scope', () => {
  it('applies the caller scope in SQL: a province sees only its regions', async () => {
    const rows = await csvRows((await exportTo('csv', {}, { regionCode: 440000 })).bytes);
    expect(new Set(rows.slice(1).map((r) => r[4]))).toEqual(new Set(['440300']));
    const zj = await csvRows((await exportTo('csv', {}, { regionCode: 330100 })).bytes);
    expect(zj.slice(1).map((r) => r[4])).toEqual(['330100']);
  });

  it('a region filter narrows within the scope and cannot widen it', async () => {
    expect((await exportTo('csv', { region: 330000 }, { regionCode: 440000 })).result.rowCount).toBe(0);
    expect((await exportTo('csv', { region: 440300 })).result.rowCount).toBe(4);
  });

  it('filters rule, severity, status', async () => {
    expect((await exportTo('json', { rule: 'OFF_HOURS_BULK' })).result.rowCount).toBe(2);
    expect((await exportTo('json', { severity: 'high' })).result.rowCount).toBe(4);
    expect((await exportTo('json', { status: 'resolved' })).result.rowCount).toBe(0);
  });

  it('occurred_at of every row is its evidence block time, as plain SQL over the typed tables says', async () => {
    const rows = JSON.parse((await exportTo('json')).bytes.toString()) as {
      id: number;
      block_number: number | null;
      occurred_at: string;
    }[];
    const expected = await t.db.execute<{ id: number; b: string | null; at: string }>(sql`
      select i.id, e.block_number::text as b,
        to_char(coalesce(b.timestamp, i.occurred_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as at
      from incidents i left join incident_evidence e on e.incident_id = i.id
      left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
      order by i.id, e.block_number nulls first, e.log_index`);
    expect(
      rows.map((r) => [r.id, r.block_number === null ? null : String(r.block_number), r.occurred_at]),
    ).toEqual(expected.rows.map((r) => [r.id, r.b, r.at]));
  });

  it('from/to are Asia/Shanghai days on occurred_at, not detected_at (15:59:59Z is the day before 16:00:00Z)', async () => {
    const d1 = await exportTo('json', parseExportFilters({ from: '2026-09-01', to: '2026-09-01' }));
    expect((JSON.parse(d1.bytes.toString()) as { summary: string }[]).map((r) => r.summary)).toEqual([
      '含逗号, "引号" 和\n换行',
    ]);
    const d2 = await exportTo('json', parseExportFilters({ from: '2026-09-02', to: '2026-09-02' }));
    expect((JSON.parse(d2.bytes.toString()) as { summary: string }[]).map((r) => r.summary)).toEqual([
      '-1+2',
    ]);
    const detectedDay = await exportTo('json', parseExportFilters({ from: '2026-11-20', to: '2026-11-20' }));
    expect(detectedDay.result.rowCount).toBe(0);
  });

  it('rejects unknown keys and bad values with a message naming them', () => {
    expect(() => parseExportFilters({ regoin: '440000' })).toThrow(
      /unknown filter "regoin".*allowed: from, to, rule/,
    );
    expect(() => parseExportFilters({ rule: 'NOPE' })).toThrow(/^rule: must be one of/);
    expect(() => parseExportFilters({ region: '12' })).toThrow(/^region: must be a 6-digit/);
    expect(() => parseExportFilters({ from: '2026-09-03', to: '2026-09-01' })).toThrow(
      /"from" must not be after "to"/,
    );
    expect(parseExportFilters({ region: '440000', from: '2026-09-01' })).toEqual({
      region: 440000,
      from: '2026-09-01',
    });
  });
});

describe('export: JSON and XLSX', () => {
  it('JSON is an array of objects with exactly the columns', async () => {
    const { bytes, result } = await exportTo('json');
    const rows = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(result.rowCount);
    for (const r of rows) expect(Object.keys(r)).toEqual([...EXPORT_COLUMNS]);
    expect(rows[0]).toMatchObject({ region_code: 440300, block_number: 100, log_index: 0 });
    expect(Object.keys(rows[0]!).slice(8, 11)).toEqual(['detected_at', 'occurred_at', 'block_number']);
    const empty = await exportTo('json', { status: 'dismissed' });
    expect(JSON.parse(empty.bytes.toString())).toEqual([]);
  });

  it('XLSX opens with the header row and one row per evidence event', async () => {
    const { bytes, result } = await exportTo('xlsx');
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(7);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...EXPORT_COLUMNS]);
    expect(ws.getRow(2).getCell(10).value).toBe('2026-10-01T10:00:00+08:00');
    expect(ws.getRow(2).getCell(11).value).toBe(100);
    expect(ws.getRow(2).getCell(14).value).toBe('=HYPERLINK("http://x","点我")');
  });

  it('leaves the incidents untouched (read-only transaction)', async () => {
    const [n] = await t.db.select({ n: sql<number>`count(*)::int` }).from(incidents);
    expect(n?.n).toBe(5);
  });
});

describe('export: the 督办 columns appended at the end', () => {
  const TAIL = ['assignee', 'deadline', 'responsible_org_address', 'responsible_org_name'];

  beforeAll(async () => {
    const [k4] = await t.db
      .update(incidents)
      .set({ assignee: 'li.wei@gz.example.cn' })
      .where(eq(incidents.findingKey, 'k-4'))
      .returning({ id: incidents.id });
    // Handed to the Hangzhou member; due at 24:00 Shanghai of 2026-10-14 = 2026-10-14T16:00Z.
    await t.db.insert(supervisionCases).values({
      incidentId: k4!.id,
      responsibleOrg: addr(330100),
      responsibleRegion: 330100,
      responsibleSource: 'regulator',
      stage: 'assigned',
      instructions: '请核查',
      handedBy: 'reg@example.cn',
      handedAt: new Date('2026-10-09T02:00:00Z'),
      days: 3,
      dueAt: new Date('2026-10-14T16:00:00Z'),
      warnAt: new Date('2026-10-13T16:00:00Z'),
    });
  });

  it('keeps §6 columns in place and appends assignee, deadline, responsible department', () => {
    expect(EXPORT_COLUMNS.slice(0, 14)).toEqual([
      'id',
      'rule',
      'severity',
      'status',
      'region_code',
      'region_name',
      'org_address',
      'org_name',
      'detected_at',
      'occurred_at',
      'block_number',
      'tx_hash',
      'log_index',
      'summary',
    ]);
    expect(EXPORT_COLUMNS.slice(14)).toEqual(TAIL);
  });

  it('CSV: the handed-over incident carries its case, the others empty cells', async () => {
    const rows = await csvRows((await exportTo('csv')).bytes);
    expect(rows[0]?.slice(14)).toEqual(TAIL);
    const k4 = rows.find((r) => r[11] === h32(104_001));
    expect(k4?.slice(14)).toEqual([
      'li.wei@gz.example.cn',
      '2026-10-15T00:00:00+08:00',
      addr(330100),
      '杭州市某企业',
    ]);
    const others = rows.slice(1).filter((r) => r !== k4);
    expect(others).toHaveLength(5);
    for (const r of others) expect(r.slice(14)).toEqual(['', '', '', '']);
  });

  it('JSON: the same values, null when not handed over', async () => {
    const rows = JSON.parse((await exportTo('json')).bytes.toString()) as Record<string, unknown>[];
    const k4 = rows.find((r) => r.tx_hash === h32(104_001));
    expect(Object.keys(k4!).slice(14)).toEqual(TAIL);
    expect(k4).toMatchObject({
      assignee: 'li.wei@gz.example.cn',
      deadline: '2026-10-15T00:00:00+08:00',
      responsible_org_address: addr(330100),
      responsible_org_name: '杭州市某企业',
    });
    const other = rows.find((r) => r.tx_hash === h32(100_000));
    expect([
      other?.assignee,
      other?.deadline,
      other?.responsible_org_address,
      other?.responsible_org_name,
    ]).toEqual([null, null, null, null]);
  });

  it('XLSX: the header ends with the 督办 columns and the row holds them as text', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportTo('xlsx')).bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(15)).toEqual(TAIL);
    let found = 0;
    ws.eachRow((row) => {
      if (row.getCell(12).value !== h32(104_001)) return;
      found++;
      expect((row.values as unknown[]).slice(15)).toEqual([
        'li.wei@gz.example.cn',
        '2026-10-15T00:00:00+08:00',
        addr(330100),
        '杭州市某企业',
      ]);
    });
    expect(found).toBe(1);
  });
});

describe('export: a client that goes away', () => {
  it('rejects and releases the transaction instead of waiting for a drain forever', async () => {
    await writeFindings(
      t.db,
      CHAIN,
      Array.from({ length: 3000 }, (_, i) => f(1000 + i, 440300)),
    );
    const out = new PassThrough({ highWaterMark: 1024 });
    let got = 0;
    out.on('data', (c: Buffer) => {
      got += c.length;
      if (got > 10_000) out.destroy();
    });
    await expect(
      writeIncidentExport({
        db: t.db,
        format: 'csv',
        filters: {},
        scope: { regionCode: null },
        out,
        pageSize: 200,
      }),
    ).rejects.toThrow(/closed/);
    await t.db.delete(incidents).where(sql`length(${incidents.findingKey}) > 3`);
    const [n] = await t.db.select({ n: sql<number>`count(*)::int` }).from(incidents);
    expect(n?.n).toBe(5);
  });
});
