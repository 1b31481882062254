import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supervisionCases, supervisionEscalations } from '../../db/schema';
import { regionContains } from '../../domain/regions';
import type { ReportFigures } from '../../server/reports/figures-types';
import { supervisionSection } from '../../server/reports/html-supervision';
import {
  BY_DEPARTMENT_LIMIT,
  supervisionReportFigures,
  type SupervisionLine,
  type SupervisionReportFigures,
} from '../../server/reports/supervision';
import type { TestDb } from '../helpers/db';
import { CHAIN, insertIncident, ORGS, seededTestDb } from './supervision-seed';

/**
 * The adoption report's 督办 section against a seeded random set of cases: every figure is
 * recomputed here from the cases as they were inserted (a plain model of the written definition,
 * not SQL), for the nation, a province, a city and a district, for a closed and a running period.
 * The seed is printed; SEED=… replays a failure.
 */
const SEED = Number(process.env.SEED ?? 20261201);
const H = 3600_000;
const D = 24 * H;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  org: (typeof ORGS)[keyof typeof ORGS];
  regionCode: number;
  stage: 'assigned' | 'signed' | 'answered' | 'returned' | 'closed';
  handedAt: number;
  dueAt: number;
  answeredAt: number | null;
  closedAt: number | null;
  closedLate: boolean | null;
  escalatedAt: number | null;
}

let t: TestDb;
const specs: Spec[] = [];
// October 2026, Asia/Shanghai.
const FROM = '2026-10-01';
const TO = '2026-10-31';
const START = Date.parse('2026-10-01T00:00:00+08:00');
const END = Date.parse('2026-11-01T00:00:00+08:00');

beforeAll(async () => {
  console.log(`reports-supervision: SEED=${SEED}`);
  const rnd = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  t = await seededTestDb();
  const orgs = Object.values(ORGS);
  for (let i = 0; i < 60; i += 1) {
    const org = pick(orgs);
    // The incident's region: the org's own, or (for the district hospital) its city.
    const regionCode = org.regionCode === 440106 && rnd() < 0.5 ? 440100 : org.regionCode;
    const handedAt = START - 12 * D + Math.floor(rnd() * 45 * D);
    const dueAt = handedAt + (1 + Math.floor(rnd() * 10)) * D;
    const stage = pick(['assigned', 'signed', 'answered', 'returned', 'closed'] as const);
    const answeredAt =
      stage === 'answered' || stage === 'closed' || stage === 'returned'
        ? handedAt + Math.floor(rnd() * 14 * D)
        : null;
    const closedAt =
      stage === 'closed' && answeredAt !== null ? answeredAt + Math.floor(rnd() * 5 * D) : null;
    const escalatedAt = rnd() < 0.3 ? dueAt + 2 * D + Math.floor(rnd() * D) : null;
    specs.push({
      org,
      regionCode,
      stage,
      handedAt,
      dueAt,
      answeredAt,
      closedAt,
      closedLate: closedAt === null || answeredAt === null ? null : answeredAt >= dueAt,
      escalatedAt,
    });
  }
  for (const s of specs) {
    const id = await insertIncident(t.db, {
      rule: 'ACCESS_WITHOUT_GRANT',
      severity: 'high',
      regionCode: s.regionCode,
      org: s.org.address,
      eventName: 'DataAccessed',
      args: { accessor: s.org.address },
      at: new Date(s.handedAt - H),
    });
    await t.db.insert(supervisionCases).values({
      incidentId: id,
      responsibleOrg: s.org.address,
      responsibleRegion: s.org.regionCode,
      responsibleSource: 'rule',
      stage: s.stage,
      instructions: '请核查',
      handedBy: 'reg@example.gov.cn',
      handedAt: new Date(s.handedAt),
      days: 3,
      dueAt: new Date(s.dueAt),
      warnAt: new Date(s.dueAt - D),
      answeredAt: s.answeredAt === null ? null : new Date(s.answeredAt),
      closedAt: s.closedAt === null ? null : new Date(s.closedAt),
      closedLate: s.closedLate,
      escalationLevel: s.escalatedAt === null ? 0 : 1,
    });
    if (s.escalatedAt !== null)
      await t.db.insert(supervisionEscalations).values({
        incidentId: id,
        level: 1,
        fromRegion: s.regionCode,
        toRegion: 440000,
        at: new Date(s.escalatedAt),
      });
  }
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

/** The definition, written out over the specs: the cohort handed over in [START, asOf), states at asOf. */
function model(region: number, asOf: number) {
  const inRegion = (s: Spec) => region === 0 || regionContains(region, s.regionCode);
  const cohort = specs.filter((s) => inRegion(s) && s.handedAt >= START && s.handedAt < asOf);
  const lineOf = (cases: Spec[]): SupervisionLine => {
    const closed = (s: Spec) => s.closedAt !== null && s.closedAt < asOf;
    const clock = (s: Spec) =>
      (s.stage === 'answered' || s.stage === 'closed') && s.answeredAt !== null && s.answeredAt < asOf
        ? s.answeredAt
        : asOf;
    const onTime = cases.filter((s) => closed(s) && !s.closedLate).length;
    const late = cases.filter((s) => closed(s) && s.closedLate).length;
    return {
      handedOver: cases.length,
      open: cases.filter((s) => !closed(s)).length,
      overdue: cases.filter((s) => !closed(s) && clock(s) >= s.dueAt).length,
      escalated: cases.filter((s) => s.escalatedAt !== null && s.escalatedAt < asOf).length,
      closedOnTime: onTime,
      closedLate: late,
      rate: onTime + late === 0 ? null : onTime / (onTime + late),
    };
  };
  const byOrg = new Map<string, Spec[]>();
  for (const s of cohort) byOrg.set(s.org.address, [...(byOrg.get(s.org.address) ?? []), s]);
  const byDepartment = [...byOrg.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))
    .slice(0, BY_DEPARTMENT_LIMIT)
    .map(([org, cases]) => ({
      org,
      name: cases[0]!.org.name,
      regionCode: cases[0]!.org.regionCode,
      ...lineOf(cases),
    }));
  return {
    asOf: new Date(asOf).toISOString(),
    total: lineOf(cohort),
    byDepartment,
    departments: byOrg.size,
  };
}

describe('report: 督办 figures equal the definition over the seeded cases', () => {
  it.each([0, 440000, 440100, 440106, 330000])(
    'a closed period (October) for region %i, as at its end',
    async (region) => {
      const got = await supervisionReportFigures(t.db, {
        chainId: CHAIN,
        regionCode: region,
        from: FROM,
        to: TO,
        now: new Date('2026-12-15T10:00:00+08:00'),
      });
      const want = model(region, END);
      expect(got).toEqual(want);
      // The cohort splits exactly: every case handed over is open or closed, once.
      expect(got.total.open + got.total.closedOnTime + got.total.closedLate).toBe(got.total.handedOver);
    },
  );

  it('the seeded set exercises every figure (so the comparison above is not vacuous)', () => {
    const nation = model(0, END).total;
    expect(nation.handedOver).toBeGreaterThan(10);
    for (const k of ['open', 'overdue', 'escalated', 'closedOnTime', 'closedLate'] as const)
      expect(nation[k], k).toBeGreaterThan(0);
  });

  it('a running period counts the cases handed over so far, in their state now', async () => {
    const now = new Date('2026-10-20T12:00:00+08:00');
    const got = await supervisionReportFigures(t.db, {
      chainId: CHAIN,
      regionCode: 0,
      from: FROM,
      to: TO,
      now,
    });
    expect(got).toEqual(model(0, now.getTime()));
    expect(got.asOf).toBe('2026-10-20T04:00:00.000Z');
  });

  it('another chain has no cases', async () => {
    const got = await supervisionReportFigures(t.db, {
      chainId: CHAIN + 1,
      regionCode: 0,
      from: FROM,
      to: TO,
      now: new Date(END),
    });
    expect(got.total.handedOver).toBe(0);
    expect(got.byDepartment).toEqual([]);
  });
});

describe('report: the 督办 section in Chinese and English', () => {
  it('states the totals and one row per department, in both languages', async () => {
    const s = await supervisionReportFigures(t.db, {
      chainId: CHAIN,
      regionCode: 0,
      from: FROM,
      to: TO,
      now: new Date(END),
    });
    const f = { supervision: s } as ReportFigures;
    const zh = supervisionSection(f, 'zh', '六、督办');
    const l = s.total;
    expect(zh).toContain(
      `本期交办督办件 ${l.handedOver} 件：按期办结 ${l.closedOnTime} 件，逾期办结 ${l.closedLate} 件，在办 ${l.open} 件（其中逾期 ${l.overdue} 件）`,
    );
    expect(zh).toContain(`升级督办 ${l.escalated} 件`);
    expect(zh).toContain('状态截至 2026-11-01 00:00');
    const en = supervisionSection(f, 'en', '6. Supervision');
    expect(en).toContain(
      `${l.handedOver} cases handed over in the period: ${l.closedOnTime} closed on time, ${l.closedLate} closed late, ${l.open} open (${l.overdue} of them overdue)`,
    );
    for (const d of s.byDepartment) {
      expect(zh).toContain(`<td class="t">${d.name}</td>`);
      expect(en).toContain(`<td class="t">${d.name}</td>`);
    }
    expect((zh.match(/<tr>/g) ?? []).length).toBe(1 + s.byDepartment.length);
  });

  it('says so when nothing was handed over, and is absent from reports stored before it', () => {
    const empty: SupervisionReportFigures = {
      asOf: '2026-10-31T16:00:00.000Z',
      total: {
        handedOver: 0,
        open: 0,
        overdue: 0,
        escalated: 0,
        closedOnTime: 0,
        closedLate: 0,
        rate: null,
      },
      byDepartment: [],
      departments: 0,
    };
    expect(supervisionSection({ supervision: empty } as ReportFigures, 'zh', '六、督办')).toContain(
      '本期未交办督办件。',
    );
    expect(supervisionSection({ supervision: empty } as ReportFigures, 'en', '6.')).toContain(
      'No case was handed over in the period.',
    );
    expect(supervisionSection({} as ReportFigures, 'zh', '六、督办')).toBe('');
  });
});
