import { z } from 'zod';
import { TARGET_METRIC_META, TARGET_METRICS } from '../../domain/targets';
import { dayString } from '../services/period';
import { targetRegionProblem } from '../targets/csv';
import { targetsProgress } from '../targets/progress';
import { deleteTarget, upsertTargets } from '../targets/store';
import { permitted, router } from '../trpc';

const targetInput = z
  .strictObject({
    regionCode: z.number().int(),
    metric: z.enum(TARGET_METRICS),
    /** A share as a fraction (0.85); a count as a whole number. */
    value: z.number().nonnegative(),
    targetDate: dayString,
  })
  .superRefine((t, ctx) => {
    const problem = targetRegionProblem(t.regionCode);
    if (problem) ctx.addIssue({ code: 'custom', path: ['regionCode'], message: problem });
    if (TARGET_METRIC_META[t.metric].unit === 'share' && t.value > 1)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a share is a fraction between 0 and 1' });
    if (TARGET_METRIC_META[t.metric].unit === 'count' && !Number.isInteger(t.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a count is a whole number' });
  });

/** Adoption targets: progress for everyone who reads adoption, setting for (scoped) admins. */
export const targetsRouter = router({
  progress: permitted('adoption:read')
    .input(z.strictObject({}).optional())
    .query(({ ctx }) => targetsProgress(ctx.db, ctx.scope)),

  set: permitted('targets:write')
    .input(targetInput)
    .mutation(({ ctx, input }) =>
      upsertTargets(ctx.db, { scope: ctx.scope, actor: ctx.actor, ip: ctx.ip, rows: [input], source: 'web' }),
    ),

  remove: permitted('targets:write')
    .input(z.strictObject({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      await deleteTarget(ctx.db, { scope: ctx.scope, actor: ctx.actor, ip: ctx.ip, id: input.id });
      return { ok: true };
    }),
});
