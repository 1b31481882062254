import { and, eq, sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { incidentActivity, incidents } from '../../db/schema/incidents';
import { supervisionAnswers, supervisionAttachments, supervisionCases } from '../../db/schema/supervision';
import { loadSupervisionSettings, loadWorkCalendar } from '../../db/supervision-config';
import type { IncidentStatus, Severity } from '../../domain/rules';
import {
  canMove,
  CASE_ACTIONS,
  computeDeadline,
  extendForPause,
  type CaseAction,
} from '../../domain/supervision';
import { writeAudit, type AuditActor } from '../audit';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { scopeCondition } from '../scope';
import type { CaseViewer } from './supervision-access';
import { derivedResponsible, findOrgs } from './supervision-derive';
import { answerDigest, hashAttachment, type AttachmentInput } from './supervision-files';
import { canTransition } from './triage-transitions';

export interface SupervisionDeps {
  db: Db;
  viewer: CaseViewer;
  actor: AuditActor;
  ip: string | null;
  /** The clock of the change (tests pin it). */
  now: Date;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function requireDirect(v: CaseViewer): asserts v is Extract<CaseViewer, { kind: 'region' }> {
  if (v.kind !== 'region' || !v.direct) throw forbidden('only a regulator hands over and reviews cases');
}

function requireDepartment(v: CaseViewer): asserts v is Extract<CaseViewer, { kind: 'department' }> {
  if (v.kind !== 'department') throw forbidden('only the responsible department signs and answers');
}

/** The incident (in the regulator's scope), locked. */
async function lockIncident(tx: Tx, v: Extract<CaseViewer, { kind: 'region' }>, id: number) {
  const [row] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.id, id), scopeCondition(v.scope, incidents.regionCode)))
    .for('update');
  if (!row) throw notFound(`incident ${id}`);
  return row;
}

/** The case and its incident, locked, if the viewer may see it (else: not found). */
async function lockCase(tx: Tx, v: CaseViewer, id: number) {
  const [row] = await tx
    .select({ c: supervisionCases, status: incidents.status, regionCode: incidents.regionCode })
    .from(supervisionCases)
    .innerJoin(incidents, eq(incidents.id, supervisionCases.incidentId))
    .where(
      and(
        eq(supervisionCases.incidentId, id),
        v.kind === 'department'
          ? eq(supervisionCases.responsibleOrg, v.org)
          : scopeCondition(v.scope, incidents.regionCode),
      ),
    )
    .for('update');
  if (!row) throw notFound(`supervised case ${id}`);
  return row;
}

function requireStage(stage: string, action: CaseAction) {
  if (!canMove(stage, action))
    throw conflict(`a case that is ${stage} cannot be ${CASE_ACTIONS[action].to} (${action})`);
}

/** One history row (with the clock of the change) and one audit row, in the caller's transaction. */
async function record(
  tx: Tx,
  d: SupervisionDeps,
  id: number,
  action: string,
  comment: string | null,
  details: Record<string, unknown>,
) {
  await tx
    .insert(incidentActivity)
    .values({ incidentId: id, actor: d.actor.label, action, comment, at: d.now });
  await writeAudit(tx, {
    actor: d.actor,
    action: `supervision.${action}`,
    target: `incident:${id}`,
    details,
    ip: d.ip,
  });
}

/** Moves the triage status along with the case where the triage model allows it (DESIGN §5). */
async function moveStatus(tx: Tx, d: SupervisionDeps, id: number, from: string, to: IncidentStatus) {
  if (from === to || !canTransition(from, to)) return;
  await tx.update(incidents).set({ status: to, updatedAt: d.now }).where(eq(incidents.id, id));
  await tx.insert(incidentActivity).values({
    incidentId: id,
    actor: d.actor.label,
    action: 'status',
    fromStatus: from,
    toStatus: to,
    at: d.now,
  });
}

/**
 * 交办: hands an incident to its responsible department with instructions. The department is the
 * one the written rule derives unless the regulator names another (then with a reason). The
 * deadline starts now, in working days by severity; the incident becomes `acknowledged`.
 */
export async function handOver(
  d: SupervisionDeps,
  p: { id: number; instructions: string; responsibleOrg?: Address; reason?: string },
) {
  requireDirect(d.viewer);
  const viewer = d.viewer;
  const [cal, settings] = await Promise.all([loadWorkCalendar(d.db), loadSupervisionSettings(d.db)]);
  return d.db.transaction(async (tx) => {
    const inc = await lockIncident(tx, viewer, p.id);
    if (inc.status === 'resolved' || inc.status === 'dismissed')
      throw conflict(`an incident that is ${inc.status} cannot be handed over`);
    const [existing] = await tx
      .select({ id: supervisionCases.incidentId })
      .from(supervisionCases)
      .where(eq(supervisionCases.incidentId, p.id));
    if (existing) throw conflict(`incident ${p.id} has already been handed over`);
    const derived = await derivedResponsible(tx, inc);
    let org = derived;
    const overridden = p.responsibleOrg !== undefined && p.responsibleOrg !== derived?.address;
    if (overridden && p.responsibleOrg) {
      if (!p.reason)
        throw invalid('a reason is required to choose another responsible department', {
          reason: 'reason_required',
        });
      org = (await findOrgs(tx, inc.chainId, [p.responsibleOrg])).get(p.responsibleOrg) ?? null;
      if (!org)
        throw invalid(`${p.responsibleOrg} is not a registered, active member`, { reason: 'unknown_org' });
    }
    if (!org)
      throw invalid('no responsible department follows from the evidence; choose one', {
        reason: 'responsible_required',
      });
    const days = settings.deadlineDays[inc.severity as Severity] ?? settings.deadlineDays.medium;
    const { dueAt, warnAt } = computeDeadline(cal, d.now.getTime(), days, settings.warnFraction);
    await tx.insert(supervisionCases).values({
      incidentId: p.id,
      responsibleOrg: org.address,
      responsibleRegion: org.regionCode,
      responsibleSource: overridden ? 'regulator' : 'rule',
      stage: 'assigned',
      instructions: p.instructions,
      handedBy: d.actor.label,
      handedAt: d.now,
      days,
      dueAt: new Date(dueAt),
      warnAt: new Date(warnAt),
      supervisingRegion: inc.regionCode === 0 ? null : inc.regionCode,
      updatedAt: d.now,
    });
    await moveStatus(tx, d, p.id, inc.status, 'acknowledged');
    if (overridden)
      await record(tx, d, p.id, 'responsible', `${org.name} (${org.address}): ${p.reason ?? ''}`, {
        from: derived?.address ?? null,
        to: org.address,
        reason: p.reason,
      });
    await record(tx, d, p.id, 'handover', p.instructions, {
      responsibleOrg: org.address,
      days,
      dueAt: new Date(dueAt).toISOString(),
    });
    return { id: p.id, responsibleOrg: org.address, days, dueAt: new Date(dueAt), warnAt: new Date(warnAt) };
  });
}

/** 签收: the responsible department acknowledges the hand-over. */
export async function sign(d: SupervisionDeps, p: { id: number }) {
  requireDepartment(d.viewer);
  return d.db.transaction(async (tx) => {
    const { c } = await lockCase(tx, d.viewer, p.id);
    requireStage(c.stage, 'sign');
    await tx
      .update(supervisionCases)
      .set({ stage: 'signed', signedAt: d.now, updatedAt: d.now })
      .where(eq(supervisionCases.incidentId, p.id));
    await record(tx, d, p.id, 'sign', null, {});
    return { id: p.id, stage: 'signed' as const };
  });
}

/** 反馈: the department answers with text and attachments; the case waits for the regulator. */
export async function answer(
  d: SupervisionDeps,
  p: { id: number; text: string; attachments: AttachmentInput[] },
) {
  requireDepartment(d.viewer);
  const files = p.attachments.map(hashAttachment);
  const digest = answerDigest(p.text, files);
  return d.db.transaction(async (tx) => {
    const { c } = await lockCase(tx, d.viewer, p.id);
    requireStage(c.stage, 'answer');
    const [a] = await tx
      .insert(supervisionAnswers)
      .values({ incidentId: p.id, text: p.text, actor: d.actor.label, at: d.now, digest })
      .returning({ id: supervisionAnswers.id });
    if (files.length > 0 && a)
      await tx.insert(supervisionAttachments).values(files.map((f) => ({ answerId: a.id, ...f })));
    await tx
      .update(supervisionCases)
      .set({ stage: 'answered', answeredAt: d.now, updatedAt: d.now })
      .where(eq(supervisionCases.incidentId, p.id));
    await record(tx, d, p.id, 'answer', `${p.text}\nSHA-256 ${digest}`, {
      digest,
      attachments: files.map((f) => ({ filename: f.filename, size: f.size, sha256: f.sha256, sm3: f.sm3 })),
    });
    return {
      id: p.id,
      stage: 'answered' as const,
      digest,
      attachments: files.map((f) => ({ filename: f.filename, sha256: f.sha256, sm3: f.sm3 })),
    };
  });
}

/** 审核 → 办结: the regulator accepts the answer; the incident is resolved. */
export async function accept(d: SupervisionDeps, p: { id: number; comment?: string }) {
  requireDirect(d.viewer);
  return d.db.transaction(async (tx) => {
    const { c, status } = await lockCase(tx, d.viewer, p.id);
    requireStage(c.stage, 'accept');
    const closedLate = (c.answeredAt ?? d.now).getTime() >= c.dueAt.getTime();
    await tx
      .update(supervisionCases)
      .set({ stage: 'closed', closedAt: d.now, closedLate, updatedAt: d.now })
      .where(eq(supervisionCases.incidentId, p.id));
    await moveStatus(tx, d, p.id, status, 'resolved');
    await record(tx, d, p.id, 'accept', p.comment ?? null, { closedLate });
    return { id: p.id, stage: 'closed' as const, closedLate };
  });
}

/**
 * 审核 → 退回: the regulator returns the answer with reasons; the department answers again. The
 * working days the case waited for the review are added to its deadline (the clock was paused).
 */
export async function returnCase(d: SupervisionDeps, p: { id: number; reason: string }) {
  requireDirect(d.viewer);
  const cal = await loadWorkCalendar(d.db);
  return d.db.transaction(async (tx) => {
    const { c } = await lockCase(tx, d.viewer, p.id);
    requireStage(c.stage, 'return');
    const moved = extendForPause(
      cal,
      { dueAt: c.dueAt.getTime(), warnAt: c.warnAt.getTime() },
      (c.answeredAt ?? d.now).getTime(),
      d.now.getTime(),
    );
    await tx
      .update(supervisionCases)
      .set({
        stage: 'returned',
        dueAt: new Date(moved.dueAt),
        warnAt: new Date(moved.warnAt),
        updatedAt: d.now,
      })
      .where(eq(supervisionCases.incidentId, p.id));
    await record(tx, d, p.id, 'return', p.reason, {
      pausedWorkingDays: moved.days,
      dueAt: new Date(moved.dueAt).toISOString(),
    });
    return {
      id: p.id,
      stage: 'returned' as const,
      dueAt: new Date(moved.dueAt),
      pausedWorkingDays: moved.days,
    };
  });
}

/**
 * A regulator names another responsible department (with a reason). The new department must sign
 * again; the deadline stands. Not once answered or closed: review that answer first.
 */
export async function changeResponsible(d: SupervisionDeps, p: { id: number; org: Address; reason: string }) {
  requireDirect(d.viewer);
  return d.db.transaction(async (tx) => {
    const { c } = await lockCase(tx, d.viewer, p.id);
    if (c.stage === 'answered' || c.stage === 'closed')
      throw conflict(`the responsible department of a case that is ${c.stage} cannot change`);
    const [inc] = await tx
      .select({ chainId: incidents.chainId })
      .from(incidents)
      .where(eq(incidents.id, p.id));
    const org = (await findOrgs(tx, inc?.chainId ?? 0, [p.org])).get(p.org);
    if (!org) throw invalid(`${p.org} is not a registered, active member`, { reason: 'unknown_org' });
    await tx
      .update(supervisionCases)
      .set({
        responsibleOrg: org.address,
        responsibleRegion: org.regionCode,
        responsibleSource: 'regulator',
        stage: 'assigned',
        signedAt: null,
        updatedAt: sql`${d.now.toISOString()}::timestamptz`,
      })
      .where(eq(supervisionCases.incidentId, p.id));
    await record(tx, d, p.id, 'responsible', `${org.name} (${org.address}): ${p.reason}`, {
      from: c.responsibleOrg,
      to: org.address,
      reason: p.reason,
    });
    return { id: p.id, responsibleOrg: org.address };
  });
}
