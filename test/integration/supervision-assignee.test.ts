import { TRPCError } from '@trpc/server';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, incidentActivity, incidents, users } from '../../db/schema';
import type { UserView } from '../../server/services/users';
import { createServerFixture, type ServerFixture, type TestCaller } from '../helpers/web';
import { insertAccessWithoutGrant, insertDuplicateReimbursement, insertOrgs, ORGS } from './supervision-seed';

/**
 * The assignee of an incident is a user who may see it: what the picker offers is exactly what
 * the server accepts, and a hand-made request naming anyone else is refused with nothing written.
 */
let f: ServerFixture;
const now = new Date('2025-09-30T10:00:00+08:00');
const as = (u: UserView): TestCaller => f.callerAs(u, now);

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
}

let u: Record<
  'analyst' | 'gzAnalyst' | 'zjAnalyst' | 'gzRegulator' | 'leader' | 'hospitalDept' | 'taxDept' | 'gone',
  UserView
>;
let analyst: TestCaller;
/** Handed over to the Tianhe hospital (district 440106). */
let dupId: number;
/** In Hangzhou, not handed over. */
let hzId: number;

beforeAll(async () => {
  f = await createServerFixture();
  await insertOrgs(f.db.db);
  dupId = await insertDuplicateReimbursement(f.db.db, new Date('2025-09-29T09:00:00+08:00'));
  hzId = await insertAccessWithoutGrant(f.db.db, {
    org: ORGS.hzHealth,
    severity: 'medium',
    at: new Date('2025-09-29T10:00:00+08:00'),
  });
  u = {
    analyst: await f.addUser('analyst', null),
    gzAnalyst: await f.addUser('analyst', 440100),
    zjAnalyst: await f.addUser('analyst', 330000),
    gzRegulator: await f.addUser('regulator', 440100),
    leader: await f.addUser('leadership', null),
    hospitalDept: await f.addUser('department', 440106, undefined, ORGS.tianheHospital.address),
    taxDept: await f.addUser('department', 440100, undefined, ORGS.gzTax.address),
    gone: await f.addUser('analyst', null),
  };
  await f.db.db.update(users).set({ disabled: true }).where(eq(users.id, u.gone.id));
  analyst = as(u.analyst);
  await as(u.gzRegulator).supervision.handOver({ id: dupId, instructions: '请核查重复报销' });
}, 120_000);
afterAll(async () => {
  await f?.close();
});

async function trail(id: number) {
  const activity = await f.db.db
    .select()
    .from(incidentActivity)
    .where(and(eq(incidentActivity.incidentId, id), eq(incidentActivity.action, 'assign')));
  const audits = await f.db.db
    .select()
    .from(auditLog)
    .where(inArray(auditLog.action, ['incident.assign', 'incident.bulk_assign']));
  const [row] = await f.db.db.select({ a: incidents.assignee }).from(incidents).where(eq(incidents.id, id));
  return { assignee: row?.a ?? null, activity: activity.length, audits: audits.length };
}

describe('incidents.assign: only a user who may see the case', () => {
  it('the picker offers exactly the active users who may see it (region, or the responsible department)', async () => {
    const offered = (await analyst.supervision.assignees({ id: dupId })).map((o) => o.email).sort();
    expect(offered).toEqual(
      [u.analyst, u.gzAnalyst, u.gzRegulator, u.hospitalDept].map((x) => x.email).sort(),
    );
    const hz = (await analyst.supervision.assignees({ id: hzId })).map((o) => o.email).sort();
    expect(hz).toEqual([u.analyst, u.zjAnalyst].map((x) => x.email).sort());
  });

  it('accepts every offered user (e-mail in any case, stored lower-case) and writes history and audit', async () => {
    for (const o of await analyst.supervision.assignees({ id: dupId })) {
      const before = await trail(dupId);
      const r = await analyst.incidents.assign({ id: dupId, assignee: o.email.toUpperCase() });
      expect(r).toEqual({ id: dupId, assignee: o.email });
      const after = await trail(dupId);
      expect(after).toEqual({
        assignee: o.email,
        activity: before.activity + 1,
        audits: before.audits + 1,
      });
    }
  });

  it.each([
    ['another region', 'zjAnalyst', 'may not see incident'],
    ['another department', 'taxDept', 'may not see incident'],
    ['leadership (figures, not cases)', 'leader', 'may not see incident'],
    ['a disabled user', 'gone', 'is not an active user'],
  ] as const)('refuses %s with a clear message and writes nothing', async (_l, who, message) => {
    const before = await trail(dupId);
    const r = await refusal(analyst.incidents.assign({ id: dupId, assignee: u[who].email }));
    expect(r?.code).toBe('BAD_REQUEST');
    expect(r?.message).toContain(`${u[who].email} ${message}`);
    if (message === 'may not see incident') expect(r?.message).toContain(`#${dupId}`);
    expect(await trail(dupId)).toEqual(before);
  });

  it('refuses a name that is no user (the field used to be free text)', async () => {
    const before = await trail(dupId);
    const r = await refusal(analyst.incidents.assign({ id: dupId, assignee: '张分析' }));
    expect(r).toEqual({ code: 'BAD_REQUEST', message: '张分析 is not an active user' });
    expect(await trail(dupId)).toEqual(before);
  });

  it('the bulk picker offers exactly the users who may see every targeted incident (ids or filter)', async () => {
    const offered = async (target: Parameters<TestCaller['incidents']['bulkAssignees']>[0]['target']) =>
      (await analyst.incidents.bulkAssignees({ target })).map((o) => o.email);
    const sorted = (xs: UserView[]) => xs.map((x) => x.email).sort();
    expect(await offered({ ids: [dupId] })).toEqual(
      sorted([u.analyst, u.gzAnalyst, u.gzRegulator, u.hospitalDept]),
    );
    expect(await offered({ filter: { region: 440106 } })).toEqual(await offered({ ids: [dupId] }));
    expect(await offered({ ids: [dupId, hzId] })).toEqual(sorted([u.analyst]));
    // Out of the caller's scope is as good as absent: a Zhejiang analyst's bulk on both sees only hzId.
    expect(await as(u.zjAnalyst).incidents.bulkAssignees({ target: { ids: [dupId, hzId] } })).toEqual(
      (await analyst.supervision.assignees({ id: hzId })).map(({ email, name, role }) => ({
        email,
        name,
        role,
      })),
    );
  });

  it('a bulk assign is refused whole when the assignee may not see one of the incidents', async () => {
    await analyst.incidents.assign({ id: dupId, assignee: null });
    const before = [await trail(dupId), await trail(hzId)];
    const r = await refusal(
      analyst.incidents.bulkAssign({ target: { ids: [dupId, hzId] }, assignee: u.gzRegulator.email }),
    );
    expect(r).toEqual({
      code: 'BAD_REQUEST',
      message: `${u.gzRegulator.email} may not see incident #${hzId}; choose someone who may`,
    });
    expect([await trail(dupId), await trail(hzId)]).toEqual(before);
    const ok = await analyst.incidents.bulkAssign({
      target: { ids: [dupId, hzId] },
      assignee: u.analyst.email,
    });
    expect(ok).toMatchObject({ matched: 2, changed: 2 });
  });

  it('unassigning needs no user', async () => {
    expect(await analyst.incidents.assign({ id: dupId, assignee: null })).toEqual({
      id: dupId,
      assignee: null,
    });
    expect((await trail(dupId)).assignee).toBeNull();
  });
});
