import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, supervisionCases } from '../../db/schema';
import { incidentConditions } from '../../server/services/incidents-filter';
import { incidentBreakdown, supervisionStats } from '../../server/services/supervision-stats';
import type { TestDb } from '../helpers/db';
import { insertIncident, ORGS, seededTestDb } from './supervision-seed';

/**
 * The /supervision figures against a hand-computed set of six cases at a pinned `now`
 * (Mon 20 Oct 2025 12:00 +08:00). Hand computation is in the comments.
 */
const NOW = new Date('2025-10-20T12:00:00+08:00');
const T = (s: string) => new Date(`${s}+08:00`);
let db: TestDb;
const ids: number[] = [];

beforeAll(async () => {
  db = await seededTestDb();
  const cases: {
    rule: string;
    region: number;
    org: (typeof ORGS)[keyof typeof ORGS];
    stage: string;
    handed: string;
    due: string;
    warn: string;
    answered?: string;
    closed?: string;
    late?: boolean;
  }[] = [
    // 1: Tianhe district (rolls up to Guangzhou), closed on time after 48 h.
    {
      rule: 'DUPLICATE_REIMBURSEMENT',
      region: 440106,
      org: ORGS.tianheHospital,
      stage: 'closed',
      handed: '2025-10-06T10:00:00',
      due: '2025-10-12T00:00:00',
      warn: '2025-10-11T00:00:00',
      answered: '2025-10-07T10:00:00',
      closed: '2025-10-08T10:00:00',
      late: false,
    },
    // 2: Guangzhou tax, closed late after 96 h.
    {
      rule: 'ACCESS_WITHOUT_GRANT',
      region: 440100,
      org: ORGS.gzTax,
      stage: 'closed',
      handed: '2025-10-13T09:00:00',
      due: '2025-10-16T00:00:00',
      warn: '2025-10-15T00:00:00',
      answered: '2025-10-16T09:00:00',
      closed: '2025-10-17T09:00:00',
      late: true,
    },
    // 3: Guangzhou tax, open and overdue (red).
    {
      rule: 'ACCESS_WITHOUT_GRANT',
      region: 440100,
      org: ORGS.gzTax,
      stage: 'signed',
      handed: '2025-10-14T09:00:00',
      due: '2025-10-18T00:00:00',
      warn: '2025-10-17T00:00:00',
    },
    // 4: Guangzhou tax, open and yellow.
    {
      rule: 'MODE_NOT_GRANTED',
      region: 440100,
      org: ORGS.gzTax,
      stage: 'assigned',
      handed: '2025-10-15T09:00:00',
      due: '2025-10-21T00:00:00',
      warn: '2025-10-20T00:00:00',
    },
    // 5: Hangzhou, answered before its deadline and waiting for review: the clock stands → on time.
    {
      rule: 'CROSS_PROVINCE_SENSITIVE',
      region: 330100,
      org: ORGS.hzHealth,
      stage: 'answered',
      handed: '2025-10-09T09:00:00',
      due: '2025-10-16T00:00:00',
      warn: '2025-10-15T00:00:00',
      answered: '2025-10-14T09:00:00',
    },
    // 6: Hangzhou, closed on time after 12 h.
    {
      rule: 'CROSS_PROVINCE_SENSITIVE',
      region: 330100,
      org: ORGS.hzHealth,
      stage: 'closed',
      handed: '2025-10-14T10:00:00',
      due: '2025-10-21T00:00:00',
      warn: '2025-10-20T00:00:00',
      answered: '2025-10-14T20:00:00',
      closed: '2025-10-14T22:00:00',
      late: false,
    },
  ];
  for (const c of cases) {
    const id = await insertIncident(db.db, {
      rule: c.rule,
      severity: 'high',
      regionCode: c.region,
      org: c.org.address,
      eventName: 'DataAccessed',
      args: { accessor: c.org.address },
      at: T(c.handed),
    });
    ids.push(id);
    await db.db.insert(supervisionCases).values({
      incidentId: id,
      responsibleOrg: c.org.address,
      responsibleRegion: c.org.regionCode,
      responsibleSource: 'rule',
      stage: c.stage,
      instructions: '请核查',
      handedBy: 'reg@example.gov.cn',
      handedAt: T(c.handed),
      days: 3,
      dueAt: T(c.due),
      warnAt: T(c.warn),
      answeredAt: c.answered ? T(c.answered) : null,
      closedAt: c.closed ? T(c.closed) : null,
      closedLate: c.late ?? null,
      supervisingRegion: c.region,
    });
  }
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const nation = { kind: 'region' as const, scope: { regionCode: null }, direct: true };

describe('supervision figures', () => {
  it('totals, per region (districts rolled up to the city) and per department', async () => {
    const s = await supervisionStats(db.db, nation, NOW, 4);
    // open 3, 4, 5; overdue 3; on time 1, 6; late 2; rate 2/3; median of 48, 96, 12 h = 48.
    expect(s.total).toEqual({ open: 3, overdue: 1, onTime: 2, late: 1, rate: 2 / 3, medianHours: 48 });
    expect(s.byRegion).toEqual([
      { regionCode: 330100, open: 1, overdue: 0, onTime: 1, late: 0, rate: 1, medianHours: 12 },
      { regionCode: 440100, open: 2, overdue: 1, onTime: 1, late: 1, rate: 0.5, medianHours: 72 },
    ]);
    expect(s.byDepartment).toEqual([
      {
        org: ORGS.gzTax.address,
        name: '广州市税务局',
        open: 2,
        overdue: 1,
        onTime: 0,
        late: 1,
        rate: 0,
        medianHours: 96,
      },
      {
        org: ORGS.tianheHospital.address,
        name: '天河区人民医院',
        open: 0,
        overdue: 0,
        onTime: 1,
        late: 0,
        rate: 1,
        medianHours: 48,
      },
      {
        org: ORGS.hzHealth.address,
        name: '杭州市卫生健康委',
        open: 1,
        overdue: 0,
        onTime: 1,
        late: 0,
        rate: 1,
        medianHours: 12,
      },
    ]);
  });

  it('weekly trend: hand-overs and closures per Monday-first week', async () => {
    const s = await supervisionStats(db.db, nation, NOW, 4);
    expect(s.trend).toEqual([
      { week: '2025-09-29', handedOver: 0, onTime: 0, late: 0 },
      { week: '2025-10-06', handedOver: 2, onTime: 1, late: 0 },
      { week: '2025-10-13', handedOver: 4, onTime: 1, late: 1 },
      { week: '2025-10-20', handedOver: 0, onTime: 0, late: 0 },
    ]);
    // The week holding the clock is not over: the chart marks it as to date.
    expect(s.partialWeek).toBe('2025-10-20');
  });

  it('a province sees its own cases only; a department only its own', async () => {
    const gd = await supervisionStats(
      db.db,
      { kind: 'region', scope: { regionCode: 440000 }, direct: true },
      NOW,
      4,
    );
    expect(gd.total).toEqual({ open: 2, overdue: 1, onTime: 1, late: 1, rate: 0.5, medianHours: 72 });
    const tax = await supervisionStats(db.db, { kind: 'department', org: ORGS.gzTax.address }, NOW, 4);
    expect(tax.total).toEqual({ open: 2, overdue: 1, onTime: 0, late: 1, rate: 0, medianHours: 96 });
    expect(tax.byDepartment.map((d) => d.org)).toEqual([ORGS.gzTax.address]);
  });

  it('each figure drills to exactly the cases behind it (the list filter of the same name)', async () => {
    const pick = async (f: Record<string, unknown>) =>
      (
        await db.db
          .select({ id: incidents.id })
          .from(incidents)
          .where(incidentConditions(f, { regionCode: null }, NOW))
          .orderBy(incidents.id)
      ).map((r) => ids.indexOf(r.id) + 1);
    expect(await pick({ deadline: 'open' })).toEqual([3, 4, 5]);
    expect(await pick({ deadline: 'red' })).toEqual([3]);
    expect(await pick({ deadline: 'yellow' })).toEqual([4]);
    expect(await pick({ deadline: 'ontime' })).toEqual([5]);
    expect(await pick({ deadline: 'closed' })).toEqual([1, 6]);
    expect(await pick({ deadline: 'late' })).toEqual([2]);
    expect(await pick({ deadline: 'open', dept: ORGS.gzTax.address })).toEqual([3, 4]);
    expect(await pick({ deadline: 'red', region: 440100 })).toEqual([3]);
    expect(await pick({ escalation: 0 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await pick({ escalation: 1 })).toEqual([]);
  });

  it('incidents by province and rule, and per week', async () => {
    const b = await incidentBreakdown(db.db, { regionCode: null }, NOW, 4);
    expect(b.level).toBe('province');
    expect(b.byRegion).toEqual([
      { region: 330000, rule: 'CROSS_PROVINCE_SENSITIVE', n: 2 },
      { region: 440000, rule: 'ACCESS_WITHOUT_GRANT', n: 2 },
      { region: 440000, rule: 'DUPLICATE_REIMBURSEMENT', n: 1 },
      { region: 440000, rule: 'MODE_NOT_GRANTED', n: 1 },
    ]);
    expect(b.weeks).toEqual(['2025-09-29', '2025-10-06', '2025-10-13', '2025-10-20']);
    // The week holding the clock is the running one, as in the case trend.
    expect(b.partialWeek).toBe('2025-10-20');
    expect(b.byWeek).toEqual([
      { week: '2025-10-06', rule: 'CROSS_PROVINCE_SENSITIVE', n: 1 },
      { week: '2025-10-06', rule: 'DUPLICATE_REIMBURSEMENT', n: 1 },
      { week: '2025-10-13', rule: 'ACCESS_WITHOUT_GRANT', n: 2 },
      { week: '2025-10-13', rule: 'CROSS_PROVINCE_SENSITIVE', n: 1 },
      { week: '2025-10-13', rule: 'MODE_NOT_GRANTED', n: 1 },
    ]);
  });

  // Last: it adds incidents the figures above do not count.
  it("the incident map opens at the viewer's region: a province by its cities, a municipality by its districts", async () => {
    const extra = async (regionCode: number, rule: string) =>
      insertIncident(db.db, {
        rule,
        severity: 'medium',
        regionCode,
        org: null,
        eventName: 'DataAccessed',
        args: { accessor: ORGS.gzTax.address },
        at: T('2025-10-15T10:00:00'),
      });
    await extra(440304, 'ACCESS_WITHOUT_GRANT'); // Shenzhen, Futian district
    await extra(440300, 'MODE_NOT_GRANTED'); // Shenzhen itself
    await extra(110105, 'ACCESS_WITHOUT_GRANT'); // Beijing, Chaoyang district
    await extra(110108, 'ACCESS_WITHOUT_GRANT'); // Beijing, Haidian district
    const perRegion = (rows: { region: number; n: number }[]) => {
      const m: Record<number, number> = {};
      for (const r of rows) m[r.region] = (m[r.region] ?? 0) + r.n;
      return m;
    };
    const counted = async (key: string, where: string) =>
      Object.fromEntries(
        (
          await db.db.execute<{ k: number; n: number }>(
            sql.raw(`select ${key} as k, count(*)::int as n from incidents where ${where} group by 1`),
          )
        ).rows.map((r) => [Number(r.k), Number(r.n)]),
      );

    const gd = await incidentBreakdown(db.db, { regionCode: 440000 }, NOW, 4);
    expect(gd.level).toBe('city');
    expect(gd.province).toBe(440000);
    // Guangzhou: cases 1 (Tianhe) to 4; Shenzhen: the two above.
    expect(perRegion(gd.byRegion)).toEqual({ 440100: 4, 440300: 2 });
    expect(perRegion(gd.byRegion)).toEqual(
      await counted('(region_code / 100) * 100', 'region_code between 440000 and 449999'),
    );

    const bj = await incidentBreakdown(db.db, { regionCode: 110000 }, NOW, 4);
    expect(bj.level).toBe('city');
    expect(perRegion(bj.byRegion)).toEqual({ 110105: 1, 110108: 1 });
    expect(perRegion(bj.byRegion)).toEqual(
      await counted('region_code', 'region_code between 110000 and 119999'),
    );

    const all = await incidentBreakdown(db.db, { regionCode: null }, NOW, 4);
    expect(perRegion(all.byRegion)).toEqual({ 110000: 2, 330000: 2, 440000: 6 });
    expect(perRegion(all.byRegion)).toEqual(await counted('(region_code / 10000) * 10000', 'true'));

    // A city's viewer: the codes the incidents carry, its districts where they have them (the page
    // draws the districts, or with one code only the counts per rule instead of a one-tile map).
    const sz = await incidentBreakdown(db.db, { regionCode: 440300 }, NOW, 4);
    expect(sz.level).toBe('district');
    expect(sz.region).toBe(440300);
    expect(perRegion(sz.byRegion)).toEqual({ 440300: 1, 440304: 1 });
    expect(perRegion(sz.byRegion)).toEqual(
      await counted('region_code', 'region_code between 440300 and 440399'),
    );
    const gz = await incidentBreakdown(db.db, { regionCode: 440100 }, NOW, 4);
    expect(gz.level).toBe('district');
    expect(perRegion(gz.byRegion)).toEqual(
      await counted('region_code', 'region_code between 440100 and 440199'),
    );
    const chaoyang = await incidentBreakdown(db.db, { regionCode: 110105 }, NOW, 4);
    expect(chaoyang.level).toBe('district');
    expect(perRegion(chaoyang.byRegion)).toEqual({ 110105: 1 });
  });
});
