import { z } from 'zod';
import { INCIDENT_STATUSES } from '../../domain/rules';
import { getIncidentDetail } from '../services/incidents-detail';
import { bulkAssigneeOptions } from '../services/supervision-read';
import { incidentFilterInput } from '../services/incidents-filter';
import { countIncidents, latestIncidents, listIncidents } from '../services/incidents-list';
import {
  addComment,
  assign,
  BULK_LIMIT,
  bulkAssign,
  bulkChangeStatus,
  changeStatus,
  targetCondition,
  type TriageDeps,
} from '../services/triage';
import { auditedRead, permitted, router } from '../trpc';
import { labelInput } from './inputs';

const idInput = z.number().int().positive();
const statusInput = z.enum(INCIDENT_STATUSES);
/** Free text of an analyst: lines allowed, other control characters not. */
const commentInput = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .regex(/^(?:[^\p{Cc}]|\n)*$/u, 'must not contain control characters');
/** Who an incident is assigned to (an e-mail or a name), null to unassign. */
const assigneeInput = labelInput(320).nullable();
const bulkTarget = z.union([
  z.strictObject({ ids: z.array(idInput).min(1).max(BULK_LIMIT) }),
  z.strictObject({ filter: incidentFilterInput }),
]);

function triageDeps(ctx: TriageDeps): TriageDeps {
  return { db: ctx.db, scope: ctx.scope, actor: ctx.actor, ip: ctx.ip };
}

/** 异常事件: the list, its counts, one incident, live alerts, and triage (status, assignee, comments). */
export const incidentsRouter = router({
  list: permitted('incidents:read')
    .input(
      z.strictObject({
        filter: incidentFilterInput.default({}),
        limit: z.number().int().min(1).max(200).default(50),
        /** Keyset cursor: `next` of the previous page (named for tRPC infinite queries). */
        cursor: z.strictObject({ at: z.number().int().nonnegative(), id: idInput }).nullish(),
        direction: z.enum(['forward', 'backward']).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listIncidents(
        ctx.db,
        ctx.scope,
        input.filter,
        { limit: input.limit, after: input.cursor ?? undefined },
        ctx.now?.(),
      ),
    ),

  counts: permitted('incidents:read')
    .input(z.strictObject({ filter: incidentFilterInput.default({}) }))
    .query(({ ctx, input }) => countIncidents(ctx.db, ctx.scope, input.filter)),

  // Opening an incident is on record (one row per detail fetch; lists are not audited).
  get: auditedRead('incidents:read')
    .input(z.strictObject({ id: idInput }))
    .query(async ({ ctx, input }) => {
      const detail = await getIncidentDetail(ctx.db, ctx.scope, input.id);
      await ctx.auditRead({ action: 'incidents.view', target: `incident:${input.id}` });
      return detail;
    }),

  /** Polled by the open list page for the live banner (see latestIncidents). */
  latest: permitted('incidents:read')
    .input(
      z.strictObject({
        afterId: z.number().int().nonnegative().nullable(),
        severity: z.enum(['high', 'medium', 'low']).default('high'),
      }),
    )
    .query(({ ctx, input }) => latestIncidents(ctx.db, ctx.scope, input)),

  setStatus: permitted('incidents:triage')
    .input(z.strictObject({ id: idInput, to: statusInput, comment: commentInput.optional() }))
    .mutation(({ ctx, input }) => changeStatus(triageDeps(ctx), input)),

  assign: permitted('incidents:triage')
    .input(z.strictObject({ id: idInput, assignee: assigneeInput }))
    .mutation(({ ctx, input }) => assign(triageDeps(ctx), input)),

  comment: permitted('incidents:triage')
    .input(z.strictObject({ id: idInput, comment: commentInput }))
    .mutation(({ ctx, input }) => addComment(triageDeps(ctx), input)),

  bulkStatus: permitted('incidents:triage')
    .input(z.strictObject({ target: bulkTarget, to: statusInput, comment: commentInput.optional() }))
    .mutation(({ ctx, input }) => bulkChangeStatus(triageDeps(ctx), input)),

  /** The bulk bar's assignee picker: users who may see every incident the bulk action targets. */
  bulkAssignees: permitted('incidents:triage')
    .input(z.strictObject({ target: bulkTarget }))
    .query(({ ctx, input }) => bulkAssigneeOptions(ctx.db, targetCondition(ctx.scope, input.target))),

  bulkAssign: permitted('incidents:triage')
    .input(z.strictObject({ target: bulkTarget, assignee: assigneeInput }))
    .mutation(({ ctx, input }) => bulkAssign(triageDeps(ctx), input)),
});
