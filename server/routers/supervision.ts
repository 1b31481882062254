import { z } from 'zod';
import { addressInput } from '../services/incidents-filter';
import { caseViewer } from '../services/supervision-access';
import { assigneeOptions, caseQueue, getCase } from '../services/supervision-read';
import { incidentBreakdown, supervisionStats, type IncidentBreakdown } from '../services/supervision-stats';
import {
  accept,
  answer,
  changeResponsible,
  handOver,
  returnCase,
  sign,
  type SupervisionDeps,
} from '../services/supervision-workflow';
import type { TrpcContext } from '../context';
import type { AuditActor } from '../audit';
import type { Caller } from '../auth/caller';
import type { Scope } from '../scope';
import { permitted, router } from '../trpc';

const idInput = z.number().int().positive();
/** Free text of a step (instructions, answer, reasons): lines allowed, other control characters not. */
const textInput = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^(?:[^\p{Cc}]|\n)*$/u, 'must not contain control characters');

/** Attachments travel base64 in the JSON body: at most 5 files of 2 MiB each. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const attachmentInput = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}/\\]*$/u, 'must be a plain file name'),
  contentType: z
    .string()
    .max(120)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type'),
  base64: z
    .string()
    .max(Math.ceil(MAX_FILE_BYTES / 3) * 4, 'a file may be at most 2 MiB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

type Ctx = TrpcContext & { caller: Caller; actor: AuditActor; scope: Scope };

const nowOf = (ctx: TrpcContext) => ctx.now?.() ?? new Date();

async function deps(ctx: Ctx): Promise<SupervisionDeps> {
  return {
    db: ctx.db,
    viewer: await caseViewer(ctx.db, ctx.caller, ctx.scope),
    actor: ctx.actor,
    ip: ctx.ip,
    now: nowOf(ctx),
  };
}

/** 督办: hand-over, the department's acknowledgement and answer, review, the queue and one case. */
export const supervisionRouter = router({
  case: permitted('supervision:read')
    .input(z.strictObject({ id: idInput }))
    .query(async ({ ctx, input }) =>
      getCase(ctx.db, await caseViewer(ctx.db, ctx.caller, ctx.scope), input.id, nowOf(ctx)),
    ),

  queue: permitted('supervision:read')
    .input(
      z.strictObject({
        escalatedToMe: z.boolean().default(false),
        includeClosed: z.boolean().default(false),
      }),
    )
    .query(async ({ ctx, input }) =>
      caseQueue(ctx.db, await caseViewer(ctx.db, ctx.caller, ctx.scope), nowOf(ctx), input),
    ),

  /** Figures by region and department, weekly trend (docs/supervision.md defines each). */
  stats: permitted('supervision:read')
    .input(z.strictObject({ weeks: z.number().int().min(4).max(52).default(12) }))
    .query(async ({ ctx, input }) =>
      supervisionStats(ctx.db, await caseViewer(ctx.db, ctx.caller, ctx.scope), nowOf(ctx), input.weeks),
    ),

  /** Incidents by region (province, or the caller's province's cities) and rule, and per week and rule, in scope. */
  breakdown: permitted('supervision:read')
    .input(z.strictObject({ weeks: z.number().int().min(4).max(52).default(12) }))
    .query(({ ctx, input }): IncidentBreakdown | Promise<IncidentBreakdown> =>
      ctx.caller.role === 'department'
        ? {
            level: 'province',
            province: null,
            region: null,
            byRegion: [],
            weeks: [],
            byWeek: [],
            partialWeek: null,
          }
        : incidentBreakdown(ctx.db, ctx.scope, nowOf(ctx), input.weeks),
    ),

  assignees: permitted('incidents:triage')
    .input(z.strictObject({ id: idInput }))
    .query(async ({ ctx, input }) =>
      assigneeOptions(ctx.db, await caseViewer(ctx.db, ctx.caller, ctx.scope), input.id),
    ),

  handOver: permitted('supervision:direct')
    .input(
      z.strictObject({
        id: idInput,
        instructions: textInput(4000),
        responsibleOrg: addressInput.optional(),
        reason: textInput(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => handOver(await deps(ctx), input)),

  sign: permitted('supervision:answer')
    .input(z.strictObject({ id: idInput }))
    .mutation(async ({ ctx, input }) => sign(await deps(ctx), input)),

  answer: permitted('supervision:answer')
    .input(
      z.strictObject({
        id: idInput,
        text: textInput(8000),
        attachments: z.array(attachmentInput).max(5).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => answer(await deps(ctx), input)),

  accept: permitted('supervision:direct')
    .input(z.strictObject({ id: idInput, comment: textInput(2000).optional() }))
    .mutation(async ({ ctx, input }) => accept(await deps(ctx), input)),

  return: permitted('supervision:direct')
    .input(z.strictObject({ id: idInput, reason: textInput(2000) }))
    .mutation(async ({ ctx, input }) => returnCase(await deps(ctx), input)),

  setResponsible: permitted('supervision:direct')
    .input(z.strictObject({ id: idInput, org: addressInput, reason: textInput(2000) }))
    .mutation(async ({ ctx, input }) => changeResponsible(await deps(ctx), input)),
});
