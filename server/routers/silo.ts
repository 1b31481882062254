import { z } from 'zod';
import { siloIndexFor } from '../services/silo';
import { permitted, router } from '../trpc';
import { provinceCodeInput } from './inputs';

const province = provinceCodeInput.optional();

/** 信息孤岛指数: which departments and kinds share least (docs/silo-index.md). */
export const siloRouter = router({
  index: permitted('adoption:read')
    .input(
      z.strictObject({
        chainId: z.number().int().positive().optional(),
        province,
        top: z.number().int().min(1).max(100).default(10),
      }),
    )
    .query(({ ctx, input }) => siloIndexFor(ctx.db, ctx.scope, input)),
});
