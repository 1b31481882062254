import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { updateHealth } from '../health/update';
import type { IndexerContext } from '../indexer/context';
import type { RangeSizer } from '../indexer/range-size';
import { checkTip } from '../indexer/sync';
import { plannedKey, rangeJobId, retriedKey, type RangeJobData } from '../queues/names';

/** A cursor that has not moved for this long while ranges are planned past it is a gap. */
export const GAP_TIMEOUT_MS = 15_000;

/**
 * The head follower: cuts [planned+1, head−CONFIRMATIONS] into range jobs with deterministic ids.
 * Postgres holds the truth: when the cursor has stood still behind what was planned for
 * GAP_TIMEOUT_MS (a job BullMQ gave up on, a Redis that lost its data), planning restarts at the
 * cursor, so no range is ever lost. Re-planned ranges that were in fact done commit nothing.
 */
export async function planRanges(p: {
  ctx: IndexerContext;
  redis: Redis;
  prefix: string;
  ranges: Queue<RangeJobData>;
  sizer: RangeSizer;
  maxQueued: number;
}): Promise<{ planned: number; added: number; head: number }> {
  const { ctx, redis, prefix, ranges } = p;
  const key = plannedKey(prefix, ctx.chainId);
  const tip = await checkTip(ctx);
  if (tip.reorged) await redis.set(key, String(tip.cursor));
  const head = await ctx.reader.getHead();
  const target = head.number - ctx.confirmations;
  const { rows } = await ctx.dbh.pool.query<{ indexed_block: string; stale: boolean }>(
    `SELECT indexed_block, updated_at < now() - make_interval(secs => $2::double precision / 1000) AS stale
     FROM cursors WHERE chain_id = $1`,
    [ctx.chainId, GAP_TIMEOUT_MS],
  );
  const row = rows[0];
  if (!row) throw new Error(`no cursor for chain ${ctx.chainId}`);
  const cursor = Number(row.indexed_block);
  const stored = Number((await redis.get(key)) ?? cursor);
  let planned = Math.max(cursor, Number.isFinite(stored) ? stored : cursor);
  if (planned > cursor && row.stale) planned = cursor;
  // A reorg can move the head below what was planned.
  if (planned > target) planned = Math.max(cursor, target);

  const counts = await ranges.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  let queued =
    (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
  let added = 0;
  while (planned < target && queued < p.maxQueued) {
    const from = planned + 1;
    const to = Math.min(target, planned + p.sizer.next());
    const jobId = rangeJobId(ctx.chainId, from, to);
    // BullMQ silently ignores an add whose id a kept completed or failed job still holds. After a
    // reorg rollback or a gap re-plan the same range must run again, so the finished one goes.
    const state = await ranges.getJobState(jobId);
    if (state === 'completed' || state === 'failed') await ranges.remove(jobId);
    await ranges.add('range', { chainId: ctx.chainId, fromBlock: from, toBlock: to }, { jobId });
    planned = to;
    queued += 1;
    added += 1;
  }
  await redis.set(key, String(planned));
  const failed = await ranges.getJobCounts('failed');
  const retried = Number((await redis.get(retriedKey(prefix, ctx.chainId))) ?? 0);
  await updateHealth(ctx.dbh.pool, {
    chainId: ctx.chainId,
    head,
    rpcOkAt: ctx.rpcOk.at || null,
    failedJobs: failed.failed ?? 0,
    retriedJobs: retried,
  });
  return { planned, added, head: head.number };
}
