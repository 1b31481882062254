import { z } from 'zod';
import { PERIOD_PATTERN } from '../reports/period';
import { REPORT_LANGS } from '../reports/render';
import { generateForCaller, listForCaller, viewForCaller } from '../reports/service';
import { auditedRead, permitted, router } from '../trpc';

/** 0 = the nation; otherwise a province, a city (XXXX00) or a municipality's district. */
const regionCode = z.number().int().min(0).max(829999);
const period = z.string().regex(PERIOD_PATTERN, 'a month 2026-09, a quarter 2026-Q3 or a year 2026');

/** Adoption reports for leadership: generate (stored + audited), history, one report. */
export const reportsRouter = router({
  // Its own permission: generating is a write and costs seconds of database time (rate-limited
  // in the service); reading reports does not imply it.
  generate: permitted('reports:generate')
    .input(z.strictObject({ regionCode, period, lang: z.enum(REPORT_LANGS).optional() }))
    .mutation(({ ctx, input }) =>
      generateForCaller(ctx.db, ctx.scope, ctx.actor, { ...input, ip: ctx.ip, now: ctx.now?.() }),
    ),

  list: permitted('reports:read')
    .input(
      z.strictObject({
        regionCode: regionCode.optional(),
        period: period.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listForCaller(ctx.db, ctx.scope, input)),

  // Viewing a report is on record, like downloading it (reports.download).
  get: auditedRead('reports:read')
    .input(z.strictObject({ id: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const view = await viewForCaller(ctx.db, ctx.scope, input.id);
      await ctx.auditRead({
        action: 'reports.view',
        target: `report:${input.id}`,
        details: { regionCode: view.regionCode, period: view.period },
      });
      return view;
    }),
});
