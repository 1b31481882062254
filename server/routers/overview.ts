import { z } from 'zod';
import { latestHighIncidents, overviewSummary } from '../services/overview';
import { periodFields } from '../services/period';
import { permitted, router } from '../trpc';
import { regionCodeInput } from './inputs';

const chainId = z.number().int().positive().optional();

/** 总览: KPI cards with change vs the previous period, sparklines, newest high incidents. */
export const overviewRouter = router({
  summary: permitted('overview:read')
    .input(z.strictObject({ ...periodFields, chainId, region: regionCodeInput.optional() }))
    .query(({ ctx, input }) => overviewSummary(ctx.readDb, ctx.scope, { ...input, now: ctx.now?.() })),

  // Incident detail work is not every overview reader's business (leadership reads aggregates).
  highIncidents: permitted('incidents:read')
    .input(z.strictObject({ chainId, limit: z.number().int().min(1).max(50).default(8) }))
    .query(({ ctx, input }) => latestHighIncidents(ctx.readDb, ctx.scope, input)),
});
