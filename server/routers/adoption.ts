import { z } from 'zod';
import { adoptionRegions, adoptionTrend } from '../services/adoption';
import { periodFields } from '../services/period';
import { permitted, router } from '../trpc';
import { provinceCodeInput } from './inputs';

const chainId = z.number().int().positive().optional();
const province = provinceCodeInput.optional();

/** 区域应用: adoption per province (or the cities of one), and monthly trends. */
export const adoptionRouter = router({
  regions: permitted('adoption:read')
    .input(
      z.strictObject({
        ...periodFields,
        chainId,
        province,
        // A city-scoped user's own city by the district codes in the data (ignored for wider scopes).
        districts: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => adoptionRegions(ctx.readDb, ctx.scope, { ...input, now: ctx.now?.() })),

  trend: permitted('adoption:read')
    .input(
      z.strictObject({ ...periodFields, chainId, province, top: z.number().int().min(1).max(20).default(8) }),
    )
    .query(({ ctx, input }) => adoptionTrend(ctx.readDb, ctx.scope, { ...input, now: ctx.now?.() })),
});
