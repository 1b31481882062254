import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { users } from '../../db/schema/auth';
import { incidentActivity, incidentEvidence, incidents } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import {
  supervisionAnswers,
  supervisionAttachments,
  supervisionCases,
  supervisionEscalations,
} from '../../db/schema/supervision';
import { loadWorkCalendar } from '../../db/supervision-config';
import { deadlineState, overdueWorkingDays, type DeadlineState } from '../../domain/supervision';
import { notFound } from '../errors';
import { incidentSights, userSees, userSightColumns } from './assignees';
import { viewerCondition, viewerSees, type CaseViewer } from './supervision-access';
import { derivedResponsible, type OrgRef } from './supervision-derive';
import type { SummaryFacts } from '../../domain/incident-summary';

export type CaseRow = typeof supervisionCases.$inferSelect;

export interface CaseView extends CaseRow {
  state: DeadlineState;
  overdueDays: number;
  responsibleName: string | null;
}

function withState(c: CaseRow, name: string | null, overdue: number, now: Date): CaseView {
  return {
    ...c,
    responsibleName: name,
    overdueDays: overdue,
    state: deadlineState(
      {
        stage: c.stage,
        dueAt: c.dueAt.getTime(),
        warnAt: c.warnAt.getTime(),
        answeredAt: c.answeredAt?.getTime() ?? null,
        closedLate: c.closedLate,
      },
      now.getTime(),
    ),
  };
}

/**
 * One incident as the supervision panel shows it: the facts a department needs to answer, the
 * responsible department the rule derives, the case (if handed over) with its deadline state, the
 * answers with their hashes, escalations and the whole history. A department sees only its cases.
 */
export async function getCase(db: Db, viewer: CaseViewer, id: number, now: Date) {
  const [row] = await db
    .select({ inc: incidents, orgName: orgs.name, c: supervisionCases })
    .from(incidents)
    .leftJoin(orgs, and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, incidents.orgAddress)))
    .leftJoin(supervisionCases, eq(supervisionCases.incidentId, incidents.id))
    .where(eq(incidents.id, id));
  if (
    !row ||
    !viewerSees(viewer, { regionCode: row.inc.regionCode, responsibleOrg: row.c?.responsibleOrg ?? null })
  )
    throw notFound(`incident ${id}`);
  const { inc, c } = row;
  const [cal, derived, evidence, history, answers, escalations] = await Promise.all([
    loadWorkCalendar(db),
    derivedResponsible(db, inc),
    db
      .select({
        blockNumber: incidentEvidence.blockNumber,
        logIndex: incidentEvidence.logIndex,
        txHash: incidentEvidence.txHash,
      })
      .from(incidentEvidence)
      .where(eq(incidentEvidence.incidentId, id))
      .orderBy(asc(incidentEvidence.blockNumber), asc(incidentEvidence.logIndex)),
    db
      .select()
      .from(incidentActivity)
      .where(eq(incidentActivity.incidentId, id))
      .orderBy(asc(incidentActivity.at), asc(incidentActivity.id)),
    db
      .select()
      .from(supervisionAnswers)
      .where(eq(supervisionAnswers.incidentId, id))
      .orderBy(asc(supervisionAnswers.id)),
    db
      .select()
      .from(supervisionEscalations)
      .where(eq(supervisionEscalations.incidentId, id))
      .orderBy(asc(supervisionEscalations.level)),
  ]);
  const files =
    answers.length === 0
      ? []
      : await db
          .select({
            id: supervisionAttachments.id,
            answerId: supervisionAttachments.answerId,
            filename: supervisionAttachments.filename,
            contentType: supervisionAttachments.contentType,
            size: supervisionAttachments.size,
            sha256: supervisionAttachments.sha256,
            sm3: supervisionAttachments.sm3,
          })
          .from(supervisionAttachments)
          .where(
            inArray(
              supervisionAttachments.answerId,
              answers.map((a) => a.id),
            ),
          )
          .orderBy(asc(supervisionAttachments.id));
  let responsible: OrgRef | null = null;
  if (c) {
    const [o] = await db
      .select({ address: orgs.address, name: orgs.name, regionCode: orgs.regionCode })
      .from(orgs)
      .where(and(eq(orgs.chainId, inc.chainId), eq(orgs.address, c.responsibleOrg)));
    responsible = o ?? { address: c.responsibleOrg, name: c.responsibleOrg, regionCode: c.responsibleRegion };
  }
  return {
    incident: {
      id: inc.id,
      rule: inc.rule,
      severity: inc.severity,
      status: inc.status,
      regionCode: inc.regionCode,
      orgAddress: inc.orgAddress,
      orgName: row.orgName,
      summary: inc.summary,
      facts: inc.facts,
      occurredAt: inc.occurredAt,
      detectedAt: inc.detectedAt,
      assignee: inc.assignee,
      evidence,
    },
    derived,
    responsible,
    case: c
      ? withState(
          c,
          responsible?.name ?? null,
          overdueWorkingDays(cal, c.dueAt.getTime(), now.getTime()),
          now,
        )
      : null,
    answers: answers.map((a) => ({ ...a, attachments: files.filter((f) => f.answerId === a.id) })),
    escalations,
    history,
  };
}

export type CaseDetail = Awaited<ReturnType<typeof getCase>>;

export interface QueueRow {
  id: number;
  rule: string;
  severity: string;
  status: string;
  regionCode: number;
  summary: string;
  facts: SummaryFacts | null;
  stage: string;
  responsibleOrg: Address;
  responsibleName: string | null;
  dueAt: Date;
  handedAt: Date;
  escalationLevel: number;
  supervisingRegion: number | null;
  state: DeadlineState;
}

/**
 * The viewer's open cases, soonest deadline first: a department's own; a regulator's in scope.
 * `escalatedToMe`: only cases escalated to the regulator's own level (supervising region = theirs).
 */
export async function caseQueue(
  db: Db,
  viewer: CaseViewer,
  now: Date,
  opts: { escalatedToMe?: boolean; includeClosed?: boolean; limit?: number } = {},
): Promise<QueueRow[]> {
  const mine =
    opts.escalatedToMe && viewer.kind === 'region'
      ? and(
          sql`${supervisionCases.escalationLevel} > 0`,
          viewer.scope.regionCode === null
            ? isNull(supervisionCases.supervisingRegion)
            : eq(supervisionCases.supervisingRegion, viewer.scope.regionCode),
        )
      : undefined;
  const rows = await db
    .select({ c: supervisionCases, inc: incidents, orgName: orgs.name })
    .from(supervisionCases)
    .innerJoin(incidents, eq(incidents.id, supervisionCases.incidentId))
    .leftJoin(
      orgs,
      and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, supervisionCases.responsibleOrg)),
    )
    .where(
      and(
        viewerCondition(viewer),
        opts.includeClosed ? undefined : sql`${supervisionCases.stage} <> 'closed'`,
        mine,
      ),
    )
    .orderBy(asc(supervisionCases.dueAt), desc(supervisionCases.incidentId))
    .limit(opts.limit ?? 200);
  return rows.map(({ c, inc, orgName }) => ({
    id: inc.id,
    rule: inc.rule,
    severity: inc.severity,
    status: inc.status,
    regionCode: inc.regionCode,
    summary: inc.summary,
    facts: inc.facts,
    stage: c.stage,
    responsibleOrg: c.responsibleOrg,
    responsibleName: orgName,
    dueAt: c.dueAt,
    handedAt: c.handedAt,
    escalationLevel: c.escalationLevel,
    supervisingRegion: c.supervisingRegion,
    state: withState(c, orgName, 0, now).state,
  }));
}

export interface AssigneeOption {
  email: string;
  name: string;
  role: string;
}

/**
 * The assignee picker's choices: enabled users who may see this incident (`userSees`, the same
 * rule the triage service enforces when an assignee is set).
 */
export async function assigneeOptions(db: Db, viewer: CaseViewer, id: number): Promise<AssigneeOption[]> {
  const [row] = await db
    .select({ regionCode: incidents.regionCode, org: supervisionCases.responsibleOrg })
    .from(incidents)
    .leftJoin(supervisionCases, eq(supervisionCases.incidentId, incidents.id))
    .where(eq(incidents.id, id));
  if (!row || !viewerSees(viewer, { regionCode: row.regionCode, responsibleOrg: row.org }))
    throw notFound(`incident ${id}`);
  const sight = { id, regionCode: row.regionCode, responsibleOrg: row.org?.toLowerCase() ?? null };
  const all = await db
    .select(userSightColumns)
    .from(users)
    .where(eq(users.disabled, false))
    .orderBy(asc(users.email));
  return all.filter((u) => userSees(u, sight)).map(({ email, name, role }) => ({ email, name, role }));
}

/**
 * The bulk bar's assignee choices: enabled users who may see every incident the bulk action
 * targets (`where`, already limited to the caller's scope), so the pick is one bulkAssign accepts.
 * Only the distinct (region, responsible org) pairs decide, so a filter matching thousands of
 * incidents costs one pass over the users per pair.
 */
export async function bulkAssigneeOptions(db: Db, where: SQL): Promise<AssigneeOption[]> {
  const rows = await db
    .select({ id: incidents.id, regionCode: incidents.regionCode })
    .from(incidents)
    .where(where);
  if (rows.length === 0) return [];
  const sights = new Map(
    (await incidentSights(db, rows)).map((s) => [`${s.regionCode}|${s.responsibleOrg ?? ''}`, s]),
  );
  const all = await db
    .select(userSightColumns)
    .from(users)
    .where(eq(users.disabled, false))
    .orderBy(asc(users.email));
  return all
    .filter((u) => [...sights.values()].every((s) => userSees(u, s)))
    .map(({ email, name, role }) => ({ email, name, role }));
}
