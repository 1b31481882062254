import { z } from 'zod';
import { readReplicaLag } from '../health/replica-lag';
import { chainActivity, chainStalls, chainStatus } from '../services/chain';
import { periodFields } from '../services/period';
import { permitted, router } from '../trpc';

const chainId = z.number().int().positive().optional();

/** 链上运行: indexer health, event activity from events_daily, CHAIN_STALLED incidents. */
export const chainRouter = router({
  status: permitted('chain:read')
    .input(z.strictObject({ chainId }))
    // Health from the primary (the indexer writes it there); the replica's lag when reads use one.
    .query(async ({ ctx, input }) => {
      const status = await chainStatus(ctx.db, { ...input, now: ctx.now?.() });
      if (ctx.readDb === ctx.db) return { ...status, replica: undefined };
      return { ...status, replica: await readReplicaLag(ctx.db, ctx.readDb).catch(() => null) };
    }),

  activity: permitted('chain:read')
    .input(z.strictObject({ ...periodFields, chainId }))
    .query(({ ctx, input }) => chainActivity(ctx.readDb, { ...input, now: ctx.now?.() })),

  stalls: permitted('chain:read')
    .input(z.strictObject({ chainId, limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => chainStalls(ctx.readDb, input, ctx.scope)),
});
