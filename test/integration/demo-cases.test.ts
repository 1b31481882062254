import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverDemoCases } from '../../cli/demo/cases';
import { cursors, incidents, supervisionCases, users } from '../../db/schema';
import { loadWorkCalendar } from '../../db/supervision-config';
import { deadlineState, overdueWorkingDays } from '../../domain/supervision';
import { createUser } from '../../server/services/users';
import type { TestDb } from '../helpers/db';
import { CHAIN, insertIncident, ORGS, seededTestDb } from './supervision-seed';

/**
 * `npm run demo` hands a handful of cases over once the history is indexed, backdated so that
 * /supervision shows each point of the workflow. Pinned clocks: a Wednesday, and a Monday after a
 * weekend (the backdating must count working days, not calendar days).
 */
let t: TestDb;
const said: string[] = [];

async function world(): Promise<TestDb> {
  const db = await seededTestDb();
  for (let i = 0; i < 9; i += 1)
    await insertIncident(db.db, {
      rule: 'ACCESS_WITHOUT_GRANT',
      severity: i % 3 === 0 ? 'medium' : 'high',
      regionCode: i < 7 ? 440100 : 330100,
      org: i < 7 ? ORGS.gzTax.address : ORGS.hzHealth.address,
      eventName: 'DataAccessed',
      args: { accessor: i < 7 ? ORGS.gzTax.address : ORGS.hzHealth.address },
      at: new Date('2025-11-01T10:00:00+08:00'),
    });
  await createUser(
    { db: db.db, actor: { id: null, label: 'test' } },
    { email: 'regulator.gd@lianjian.local', password: 'x'.repeat(12), role: 'regulator', regionCode: 440000 },
  );
  await db.db.insert(cursors).values({ chainId: CHAIN, indexedBlock: 500 });
  return db;
}

async function run(db: TestDb, now: string) {
  await handOverDemoCases({
    db: db.db,
    chainId: CHAIN,
    historyHead: 500,
    regulator: { email: 'regulator.gd@lianjian.local', regionCode: 440000 },
    department: { email: 'dept@lianjian.local', password: 'Lianjian#demo2026' },
    say: (s) => said.push(s),
    now: () => new Date(now),
    timeoutMs: 5_000,
  });
}

async function states(db: TestDb, now: string) {
  const cal = await loadWorkCalendar(db.db);
  const rows = await db.db.select().from(supervisionCases).orderBy(supervisionCases.incidentId);
  const at = Date.parse(now);
  return rows.map((c) => {
    const st = deadlineState(
      {
        stage: c.stage,
        dueAt: c.dueAt.getTime(),
        warnAt: c.warnAt.getTime(),
        answeredAt: c.answeredAt?.getTime() ?? null,
        closedLate: c.closedLate,
      },
      at,
    );
    const over = st === 'red' ? overdueWorkingDays(cal, c.dueAt.getTime(), at) : 0;
    return `${c.stage}:${st}${over ? `:${over >= 2 ? 'escalates' : `${over}d`}` : ''}`;
  });
}

const EXPECTED = [
  'assigned:ontime',
  'signed:ontime',
  'signed:yellow',
  'answered:ontime',
  'closed:closed',
  'signed:red:1d',
  'assigned:red:escalates',
];

beforeAll(async () => {
  t = await world();
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

describe('demo: 督办 cases after indexing', () => {
  const now = '2025-11-19T15:00:00+08:00'; // a Wednesday
  it('hands over seven cases of the regulator province, one at each point of the workflow', async () => {
    await run(t, now);
    expect(await states(t, now)).toEqual(EXPECTED);
    const handed = await t.db.select().from(supervisionCases);
    expect(
      handed.every(
        (c) => c.responsibleOrg === ORGS.gzTax.address && c.handedBy === 'regulator.gd@lianjian.local',
      ),
    ).toBe(true);
    const [dept] = await t.db.select().from(users).where(eq(users.email, 'dept@lianjian.local'));
    expect(dept).toMatchObject({ role: 'department', orgAddress: ORGS.gzTax.address });
    // Zhejiang's incidents are not the Guangdong regulator's to hand over.
    const zj = await t.db.select().from(incidents).where(eq(incidents.regionCode, 330100));
    expect(zj.every((i) => i.status === 'open')).toBe(true);
    expect(said.at(-1)).toBe(
      '督办: 7 demo cases handed over (see /supervision); dept@lianjian.local answers for 广州市税务局',
    );
  });

  it('a second run hands nothing more over', async () => {
    await run(t, now);
    expect(await t.db.select().from(supervisionCases)).toHaveLength(7);
  });

  it('counts working days: run on a Monday after a weekend, the states are the same', async () => {
    const other = await world();
    try {
      const monday = '2025-11-24T09:30:00+08:00';
      await run(other, monday);
      expect(await states(other, monday)).toEqual(EXPECTED);
    } finally {
      await other.drop();
    }
  });
});
