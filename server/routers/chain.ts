import { z } from 'zod';
import { chainActivity, chainStalls, chainStatus } from '../services/chain';
import { periodFields } from '../services/period';
import { permitted, router } from '../trpc';

const chainId = z.number().int().positive().optional();

/** 链上运行: indexer health, event activity from events_daily, CHAIN_STALLED incidents. */
export const chainRouter = router({
  status: permitted('chain:read')
    .input(z.strictObject({ chainId }))
    .query(({ ctx, input }) => chainStatus(ctx.db, input)),

  activity: permitted('chain:read')
    .input(z.strictObject({ ...periodFields, chainId }))
    .query(({ ctx, input }) => chainActivity(ctx.db, input)),

  stalls: permitted('chain:read')
    .input(z.strictObject({ chainId, limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => chainStalls(ctx.db, input, ctx.scope)),
});
