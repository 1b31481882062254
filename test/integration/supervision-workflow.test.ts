import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { sm3 } from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, incidents, supervisionCases } from '../../db/schema';
import type { UserView } from '../../server/services/users';
import { createServerFixture, type ServerFixture, type TestCaller } from '../helpers/web';
import { insertAccessWithoutGrant, insertDuplicateReimbursement, insertOrgs, ORGS } from './supervision-seed';

/**
 * 督办 workflow at the tRPC level with a pinned clock: 交办 → 签收 → 反馈 → 审核 (return, answer
 * again, accept) → 办结, and who may make each move (other regions and other departments denied).
 */
let f: ServerFixture;
let now = new Date('2025-09-30T10:00:00+08:00');
async function code(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

let gzRegulator: TestCaller;
let zjRegulator: TestCaller;
let analyst: TestCaller;
let taxDept: TestCaller;
let hospitalDept: TestCaller;
let unlinkedDept: TestCaller;
let accessId: number;
let dupId: number;

beforeAll(async () => {
  f = await createServerFixture();
  await insertOrgs(f.db.db);
  accessId = await insertAccessWithoutGrant(f.db.db, {
    org: ORGS.gzTax,
    at: new Date('2025-09-29T08:00:00+08:00'),
  });
  dupId = await insertDuplicateReimbursement(f.db.db, new Date('2025-09-29T09:00:00+08:00'));
  const as = (u: UserView) => f.callerAs(u, () => now);
  gzRegulator = as(await f.addUser('regulator', 440100));
  zjRegulator = as(await f.addUser('regulator', 330000));
  analyst = as(await f.addUser('analyst', null));
  taxDept = as(await f.addUser('department', 440100, undefined, ORGS.gzTax.address));
  hospitalDept = as(await f.addUser('department', 440106, undefined, ORGS.tianheHospital.address));
  // A department row without an org cannot be made through createUser; flip a regulator instead.
  const u = await f.addUser('regulator', 440100);
  await f.db.db.execute(`update users set role = 'department' where id = '${u.id}'`);
  unlinkedDept = as({ ...u, role: 'department' });
}, 120_000);
afterAll(async () => {
  await f?.close();
});

describe('supervision: 交办', () => {
  it('shows the responsible department the rule derives before hand-over', async () => {
    const c = await gzRegulator.supervision.case({ id: accessId });
    expect(c.derived).toMatchObject({ address: ORGS.gzTax.address, name: '广州市税务局' });
    expect(c.case).toBeNull();
  });

  it('only a regulator of the region hands over; analysts, departments and other regions are refused', async () => {
    const input = { id: accessId, instructions: '请核查该访问并说明情况' };
    expect(await code(analyst.supervision.handOver(input))).toBe('FORBIDDEN');
    expect(await code(taxDept.supervision.handOver(input))).toBe('FORBIDDEN');
    expect(await code(zjRegulator.supervision.handOver(input))).toBe('NOT_FOUND');
    expect(await code(gzRegulator.supervision.handOver({ id: accessId, instructions: '' }))).toBe(
      'BAD_REQUEST',
    );
  });

  it('hands over with a deadline of 3 working days over National Day (due end of make-up Saturday 11 Oct)', async () => {
    const r = await gzRegulator.supervision.handOver({
      id: accessId,
      instructions: '请核查该访问并说明情况',
    });
    expect(r.responsibleOrg).toBe(ORGS.gzTax.address);
    expect(r.days).toBe(3);
    expect(r.dueAt.toISOString()).toBe(new Date('2025-10-12T00:00:00+08:00').toISOString());
    const [inc] = await f.db.db.select().from(incidents).where(eq(incidents.id, accessId));
    expect(inc?.status).toBe('acknowledged');
    expect(await code(gzRegulator.supervision.handOver({ id: accessId, instructions: 'again' }))).toBe(
      'CONFLICT',
    );
    const audit = await f.db.db.select().from(auditLog).where(eq(auditLog.action, 'supervision.handover'));
    expect(audit.map((a) => a.target)).toEqual([`incident:${accessId}`]);
    // The incident list says where each case stands (on the caller's clock); no case, no state.
    const listed = (await analyst.incidents.list({})).rows;
    expect(listed.find((x) => x.id === accessId)?.supervision).toEqual({
      state: 'ontime',
      escalationLevel: 0,
    });
    expect(listed.find((x) => x.id === dupId)?.supervision).toBeNull();
  });

  it('choosing another department needs a reason and a registered org', async () => {
    const base = { id: dupId, instructions: '请说明重复报销原因', responsibleOrg: ORGS.gzPolice.address };
    expect(await code(gzRegulator.supervision.handOver(base))).toBe('BAD_REQUEST');
    expect(
      await code(
        gzRegulator.supervision.handOver({
          ...base,
          responsibleOrg: '0x00000000000000000000000000000000000000ee',
          reason: 'x',
        }),
      ),
    ).toBe('BAD_REQUEST');
  });
});

describe('supervision: 签收, 反馈, 审核, 办结', () => {
  it('another department sees nothing of the case and cannot sign it; an unlinked one is refused', async () => {
    expect(await code(hospitalDept.supervision.case({ id: accessId }))).toBe('NOT_FOUND');
    expect(await code(hospitalDept.supervision.sign({ id: accessId }))).toBe('NOT_FOUND');
    expect(await code(unlinkedDept.supervision.queue({}))).toBe('FORBIDDEN');
    expect(await hospitalDept.supervision.queue({})).toEqual([]);
    // Department users have no other door: the incident list and flows are closed to them.
    expect(await code(taxDept.incidents.list({}))).toBe('FORBIDDEN');
    expect(await code(taxDept.incidents.get({ id: accessId }))).toBe('FORBIDDEN');
  });

  it('the regulator cannot sign or answer for the department, nor accept before an answer', async () => {
    expect(await code(gzRegulator.supervision.sign({ id: accessId }))).toBe('FORBIDDEN');
    expect(await code(gzRegulator.supervision.answer({ id: accessId, text: 'x' }))).toBe('FORBIDDEN');
    expect(await code(gzRegulator.supervision.accept({ id: accessId }))).toBe('CONFLICT');
  });

  it('the department signs, sees it in its queue, and answers with a hashed attachment', async () => {
    now = new Date('2025-10-09T09:00:00+08:00');
    const q = await taxDept.supervision.queue({});
    expect(q.map((r) => [r.id, r.stage, r.state])).toEqual([[accessId, 'assigned', 'ontime']]);
    expect(await code(taxDept.supervision.answer({ id: accessId, text: '先签收' }))).toBe('CONFLICT');
    expect(await taxDept.supervision.sign({ id: accessId })).toEqual({ id: accessId, stage: 'signed' });
    expect(await code(taxDept.supervision.sign({ id: accessId }))).toBe('CONFLICT');
    now = new Date('2025-10-11T10:00:00+08:00'); // the make-up Saturday, a working day
    const file = Buffer.from('整改报告：已停止该访问。\n', 'utf8');
    const a = await taxDept.supervision.answer({
      id: accessId,
      text: '经核查，系接口配置错误，已整改。',
      attachments: [{ filename: '整改报告.txt', contentType: 'text/plain', base64: file.toString('base64') }],
    });
    const sha = createHash('sha256').update(file).digest('hex');
    expect(a.attachments).toEqual([{ filename: '整改报告.txt', sha256: sha, sm3: sm3(Array.from(file)) }]);
    expect(a.digest).toBe(
      createHash('sha256').update(`经核查，系接口配置错误，已整改。\n${sha}`).digest('hex'),
    );
    const c = await taxDept.supervision.case({ id: accessId });
    expect(c.case?.stage).toBe('answered');
    expect(c.case?.state).toBe('yellow'); // answered on Sat 11 Oct, after the 80 % mark (end of Fri 10)
    expect(c.answers[0]?.attachments[0]).toMatchObject({ sha256: sha, size: file.length });
  });

  it('the regulator returns it with reasons; the review days are added to the deadline', async () => {
    expect(await code(gzRegulator.supervision.return({ id: accessId, reason: '' }))).toBe('BAD_REQUEST');
    expect(await code(taxDept.supervision.return({ id: accessId, reason: 'x' }))).toBe('FORBIDDEN');
    now = new Date('2025-10-14T11:00:00+08:00');
    const r = await gzRegulator.supervision.return({ id: accessId, reason: '请补充访问日志' });
    // Waited from Sat 11 to Tue 14 Oct: Mon 13, Tue 14 = 2 working days.
    expect(r.pausedWorkingDays).toBe(2);
    // Due end of Sat 11 Oct + 2 working days = Mon 13, Tue 14 → end of Tue 14 Oct.
    expect(r.dueAt.toISOString()).toBe(new Date('2025-10-15T00:00:00+08:00').toISOString());
  });

  it('the department answers again and the regulator accepts: 办结 on time, incident resolved', async () => {
    now = new Date('2025-10-14T15:00:00+08:00');
    await taxDept.supervision.answer({ id: accessId, text: '已补充访问日志。' });
    now = new Date('2025-10-16T10:00:00+08:00');
    expect(await code(taxDept.supervision.accept({ id: accessId }))).toBe('FORBIDDEN');
    expect(await gzRegulator.supervision.accept({ id: accessId, comment: '同意办结' })).toEqual({
      id: accessId,
      stage: 'closed',
      closedLate: false,
    });
    const c = await gzRegulator.supervision.case({ id: accessId });
    expect(c.incident.status).toBe('resolved');
    expect(c.case?.state).toBe('closed');
    expect(c.history.map((h) => h.action)).toEqual([
      'status',
      'handover',
      'sign',
      'answer',
      'return',
      'answer',
      'status',
      'accept',
    ]);
    expect(c.history.map((h) => h.at.toISOString())).toEqual(
      [
        '2025-09-30T10:00:00+08:00',
        '2025-09-30T10:00:00+08:00',
        '2025-10-09T09:00:00+08:00',
        '2025-10-11T10:00:00+08:00',
        '2025-10-14T11:00:00+08:00',
        '2025-10-14T15:00:00+08:00',
        '2025-10-16T10:00:00+08:00',
        '2025-10-16T10:00:00+08:00',
      ].map((s) => new Date(s).toISOString()),
    );
    const actions = (await f.db.db.select({ a: auditLog.action }).from(auditLog))
      .map((r) => r.a)
      .filter((a) => a.startsWith('supervision.'));
    expect(actions).toEqual([
      'supervision.handover',
      'supervision.sign',
      'supervision.answer',
      'supervision.return',
      'supervision.answer',
      'supervision.accept',
    ]);
    expect(await code(taxDept.supervision.answer({ id: accessId, text: 'late' }))).toBe('CONFLICT');
  });

  it('a regulator may hand over to another department with a reason; the new one signs', async () => {
    now = new Date('2025-10-16T11:00:00+08:00');
    const r = await gzRegulator.supervision.handOver({
      id: dupId,
      instructions: '请说明重复报销原因',
      responsibleOrg: ORGS.gzPolice.address,
      reason: '报销单位为公安局下属',
    });
    expect(r.responsibleOrg).toBe(ORGS.gzPolice.address);
    // 一票多报 is high: 3 working days after Thu 16 Oct = Fri 17, Mon 20, Tue 21.
    expect(r.dueAt.toISOString()).toBe(new Date('2025-10-22T00:00:00+08:00').toISOString());
    expect(await code(hospitalDept.supervision.case({ id: dupId }))).toBe('NOT_FOUND');
    await gzRegulator.supervision.setResponsible({
      id: dupId,
      org: ORGS.tianheHospital.address,
      reason: '改由医院答复',
    });
    expect((await hospitalDept.supervision.case({ id: dupId })).case?.stage).toBe('assigned');
    const [row] = await f.db.db.select().from(supervisionCases).where(eq(supervisionCases.incidentId, dupId));
    expect(row).toMatchObject({
      responsibleOrg: ORGS.tianheHospital.address,
      responsibleSource: 'regulator',
    });
  });

  it('the assignee picker offers only users who may see the case', async () => {
    const opts = await analyst.supervision.assignees({ id: dupId });
    const roles = opts.map((o) => o.role).sort();
    // analyst (nation-wide), the Guangzhou regulator, the hospital department; not Zhejiang nor the tax department.
    expect(opts.some((o) => o.role === 'department' && o.email.startsWith('department'))).toBe(true);
    expect(opts.filter((o) => o.role === 'department')).toHaveLength(1);
    expect(roles.filter((r) => r === 'regulator')).toHaveLength(1);
    expect(roles.filter((r) => r === 'analyst')).toHaveLength(1);
  });
});
