import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { users } from '../../db/schema/auth';
import { cursors } from '../../db/schema/chain';
import { incidents } from '../../db/schema/incidents';
import { supervisionCases } from '../../db/schema/supervision';
import { loadSupervisionSettings, loadWorkCalendar } from '../../db/supervision-config';
import { dayOf, previousDay, startOfDay, type WorkCalendar } from '../../domain/calendar';
import type { Severity } from '../../domain/rules';
import {
  computeDeadline,
  deadlineState,
  overdueWorkingDays,
  type DeadlineState,
  type SupervisionSettings,
} from '../../domain/supervision';
import { CLI_ACTOR, type AuditActor } from '../../server/audit';
import { derivedResponsible, type OrgRef } from '../../server/services/supervision-derive';
import {
  accept,
  answer,
  handOver,
  sign,
  type SupervisionDeps,
} from '../../server/services/supervision-workflow';
import { createUser } from '../../server/services/users';

/**
 * The demo's 督办 cases: once the workers have indexed the simulated history, a regulator hands
 * a handful of incidents over, backdated so /supervision shows the workflow at every point — just
 * handed over, acknowledged, due soon (yellow), answered and awaiting review, closed on time,
 * overdue, and overdue long enough that the workers' sweep escalates it by itself. Each step goes
 * through the same services as the pages (history and audit rows included). Runs once: a demo
 * database that already holds a case is left alone.
 */

type Step = 'sign' | 'answer' | 'accept';

interface Scenario {
  /** What the case should look like now. */
  want: DeadlineState;
  /** Overdue working days wanted (red only): below the escalation span, or at least it. */
  overdue?: 'short' | 'escalate';
  steps: Step[];
  instructions: string;
}

const SCENARIOS: Scenario[] = [
  { want: 'ontime', steps: [], instructions: '请核查该异常并于期限内反馈处理情况。' },
  { want: 'ontime', steps: ['sign'], instructions: '请说明访问依据，并提供授权文件。' },
  { want: 'yellow', steps: ['sign'], instructions: '请尽快核实并反馈，临近办理期限。' },
  { want: 'ontime', steps: ['sign', 'answer'], instructions: '请核查并反馈整改措施。' },
  { want: 'closed', steps: ['sign', 'answer', 'accept'], instructions: '请核查并反馈整改措施。' },
  { want: 'red', overdue: 'short', steps: ['sign'], instructions: '已逾期，请立即反馈。' },
  { want: 'red', overdue: 'escalate', steps: [], instructions: '请核查该异常并于期限内反馈处理情况。' },
];

const H = 3600_000;

/**
 * The latest working-day hand-over time (10:00 Shanghai, or `now` today) from which the case
 * stands in the wanted state now; null when none within 60 days does.
 */
export function handOverTimeFor(
  cal: WorkCalendar,
  settings: SupervisionSettings,
  severity: Severity,
  s: Scenario,
  now: number,
): number | null {
  const days = settings.deadlineDays[severity];
  let day = dayOf(now);
  for (let back = 0; back < 60; back += 1, day = previousDay(day)) {
    if (!cal.isWorkingDay(day)) continue;
    const handedAt = back === 0 ? now - H : startOfDay(day) + 10 * H;
    if (handedAt > now - H) continue;
    const d = computeDeadline(cal, handedAt, days, settings.warnFraction);
    if (s.want === 'closed') {
      // Answered a working day after hand-over, before the deadline, and closed before now.
      if (handedAt + 26 * H < d.dueAt && handedAt + 30 * H < now) return handedAt;
      continue;
    }
    const state = deadlineState({ stage: 'signed', ...d, answeredAt: null, closedLate: null }, now);
    if (state !== s.want) continue;
    if (s.want !== 'red') return handedAt;
    const over = overdueWorkingDays(cal, d.dueAt, now);
    if (
      s.overdue === 'short'
        ? over === 1 && over < settings.escalateAfterDays
        : over >= settings.escalateAfterDays
    )
      return handedAt;
  }
  return null;
}

/** Waits (polling) until the indexer has reached `block`, or gives up after `timeoutMs`. */
async function indexedTo(db: Db, chainId: number, block: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [c] = await db
      .select({ b: cursors.indexedBlock })
      .from(cursors)
      .where(eq(cursors.chainId, chainId));
    if (c && Number(c.b) >= block) return true;
    await new Promise((r) => setTimeout(r, 3000));
  }
  return false;
}

export async function handOverDemoCases(p: {
  db: Db;
  chainId: number;
  /** The chain head when the simulated history ended: its incidents exist once it is indexed. */
  historyHead: number;
  regulator: { email: string; regionCode: number };
  department: { email: string; password: string };
  say: (s: string) => void;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<void> {
  const { db } = p;
  const [existing] = await db.select({ n: count() }).from(supervisionCases);
  if ((existing?.n ?? 0) > 0) return;
  if (!(await indexedTo(db, p.chainId, p.historyHead, p.timeoutMs ?? 15 * 60_000))) {
    p.say('督办: the history was not indexed in time; no demo cases handed over');
    return;
  }
  const [cal, settings] = await Promise.all([loadWorkCalendar(db), loadSupervisionSettings(db)]);
  const lo = p.regulator.regionCode;
  const hi = lo + 9999;
  // Open incidents of the regulator's province that are about a member (not CHAIN_STALLED).
  const candidates = await db
    .select({
      id: incidents.id,
      chainId: incidents.chainId,
      rule: incidents.rule,
      severity: incidents.severity,
      orgAddress: incidents.orgAddress,
    })
    .from(incidents)
    .where(
      and(
        eq(incidents.chainId, p.chainId),
        eq(incidents.status, 'open'),
        sql`${incidents.regionCode} between ${lo} and ${hi}`,
        sql`${incidents.rule} <> 'CHAIN_STALLED'`,
      ),
    )
    .orderBy(asc(incidents.id))
    .limit(200);
  const [reg] = await db.select({ id: users.id }).from(users).where(eq(users.email, p.regulator.email));
  const regActor: AuditActor = {
    id: reg?.id ?? null,
    label: p.regulator.email,
    regionCode: p.regulator.regionCode,
  };
  const regulatorAt = (now: Date): SupervisionDeps => ({
    db,
    viewer: { kind: 'region', scope: { regionCode: p.regulator.regionCode }, direct: true },
    actor: regActor,
    ip: null,
    now,
  });
  const now = (p.now ?? (() => new Date()))().getTime();

  // The department that answers in the demo: the responsible org most candidates point at.
  const responsible = new Map<number, Address>();
  const tally = new Map<Address, { org: OrgRef; n: number }>();
  for (const c of candidates) {
    const org = await derivedResponsible(db, c);
    if (!org) continue;
    responsible.set(c.id, org.address);
    tally.set(org.address, { org, n: (tally.get(org.address)?.n ?? 0) + 1 });
  }
  const top = [...tally.values()].sort((a, b) => b.n - a.n)[0]?.org;
  if (!top) {
    p.say('督办: no incident with a responsible department yet; no demo cases handed over');
    return;
  }
  // A run that stopped half-way may have created the department user already: keep its org.
  const [had] = await db
    .select({ id: users.id, email: users.email, org: users.orgAddress })
    .from(users)
    .where(eq(users.email, p.department.email));
  const deptUser =
    had ??
    (await createUser(
      { db, actor: CLI_ACTOR },
      {
        email: p.department.email,
        password: p.department.password,
        name: top.name,
        role: 'department',
        regionCode: top.regionCode,
        orgAddress: top.address,
      },
    ));
  const deptOrg = ((had?.org ?? top.address) as Address).toLowerCase() as Address;
  const deptActor: AuditActor = { id: deptUser.id, label: deptUser.email, regionCode: null };
  const departmentAt = (at: Date): SupervisionDeps => ({
    db,
    viewer: { kind: 'department', org: deptOrg },
    actor: deptActor,
    ip: null,
    now: at,
  });

  // The department's own incidents first (its user can walk them), then any other department's.
  const ordered = [...candidates]
    .filter((c) => responsible.has(c.id))
    .sort((a, b) => Number(responsible.get(b.id) === deptOrg) - Number(responsible.get(a.id) === deptOrg));
  const done: number[] = [];
  for (const s of SCENARIOS) {
    const needsDept = s.steps.length > 0;
    const c = ordered.find((x) => !done.includes(x.id) && (!needsDept || responsible.get(x.id) === deptOrg));
    if (!c) break;
    const handedAt = handOverTimeFor(cal, settings, c.severity as Severity, s, now);
    if (handedAt === null) continue;
    await handOver(regulatorAt(new Date(handedAt)), { id: c.id, instructions: s.instructions });
    let at = handedAt;
    for (const step of s.steps) {
      at += step === 'sign' ? 2 * H : step === 'answer' ? 24 * H : 3 * H;
      if (step === 'sign') await sign(departmentAt(new Date(at)), { id: c.id });
      else if (step === 'answer')
        await answer(departmentAt(new Date(at)), {
          id: c.id,
          text: '经核查，已暂停相关访问并补办授权手续，整改材料见附件。',
          attachments: [
            {
              filename: '整改说明.txt',
              contentType: 'text/plain',
              base64: Buffer.from('整改说明：已暂停相关访问，补办授权手续。\n', 'utf8').toString('base64'),
            },
          ],
        });
      else await accept(regulatorAt(new Date(at)), { id: c.id, comment: '整改到位，同意办结。' });
    }
    done.push(c.id);
  }
  const [n] = await db
    .select({ n: count() })
    .from(supervisionCases)
    .where(inArray(supervisionCases.incidentId, done.length ? done : [-1]));
  p.say(
    `督办: ${n?.n ?? 0} demo cases handed over (see /supervision); ${deptUser.email} answers for ${tally.get(deptOrg)?.org.name ?? deptOrg}`,
  );
}
