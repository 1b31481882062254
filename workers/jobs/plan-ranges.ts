import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { updateHealth } from '../health/update';
import type { IndexerContext } from '../indexer/context';
import type { RangeSizer } from '../indexer/range-size';
import { checkTip } from '../indexer/reorg';
import { buildDeferredIndexes } from '~/db/deferred-indexes';
import { rangeJobId, retriedKey, type RangeJobData } from '../queues/names';

/** Job states in which a range still counts as planned (it will run, or runs now). */
const PENDING_STATES = ['active', 'waiting', 'prioritized', 'delayed'] as const;

/** What planning ranges works with: the indexer, the queue of ranges and how many may wait. */
export interface PlanRangesDeps {
  ctx: IndexerContext;
  redis: Redis;
  prefix: string;
  ranges: Queue<RangeJobData>;
  sizer: RangeSizer;
  maxQueued: number;
}

interface Span {
  from: number;
  to: number;
  job: Job<RangeJobData>;
}

/**
 * The head follower: makes sure every block of [cursor+1, head−CONFIRMATIONS] is covered by a
 * pending range job, the cursor's own continuation first.
 *
 * Postgres holds the truth and Redis may lose any job or key at any moment (a Redis restarted
 * empty, a job BullMQ gave up on). So nothing is remembered between passes: each pass reads the
 * cursor and the pending jobs, walks from cursor+1 and plans every uncovered stretch it meets.
 * The range continuing the cursor is planned whatever else is queued (and put at the front of
 * the queue); further gaps and the tail only while fewer than `maxQueued` ranges are pending, so
 * ranges planned past a gap can never starve it: the gap is always the next thing planned.
 */
export async function planRanges(
  p: PlanRangesDeps,
): Promise<{ cursor: number; added: number; head: number; pending: number }> {
  const { ctx, redis, prefix, ranges } = p;
  // Indexes a backfill deferred and did not live to build (db/deferred-indexes.ts): one query
  // when there are none.
  await buildDeferredIndexes(ctx.dbh.pool);
  await checkTip(ctx);
  const head = await ctx.reader.getHead();
  const target = head.number - ctx.confirmations;
  // The queue first, then the cursor: a range committing in between then lies at or below the
  // cursor read, so it is never mistaken for a gap (the opposite order would re-plan it, harmlessly).
  const jobs = (await ranges.getJobs([...PENDING_STATES], 0, -1, true)).filter(
    (j): j is Job<RangeJobData> => j !== undefined && j.data?.chainId === ctx.chainId,
  );
  const { rows } = await ctx.dbh.pool.query<{ indexed_block: string }>(
    'SELECT indexed_block FROM cursors WHERE chain_id = $1',
    [ctx.chainId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no cursor for chain ${ctx.chainId}`);
  const cursor = Number(row.indexed_block);

  const spans: Span[] = jobs
    .map((job) => ({ from: job.data.fromBlock, to: job.data.toBlock, job }))
    .filter((s) => s.to > cursor)
    .sort((a, b) => a.from - b.from);
  let pending = spans.length;
  let added = 0;
  let continuation: { from: number; to: number; job: Job<RangeJobData> | null } | null = null;
  let pos = cursor;
  let i = 0;
  while (pos < target) {
    const s = spans[i];
    if (s && s.from <= pos + 1) {
      if (pos === cursor) continuation = s;
      pos = Math.max(pos, s.to);
      i += 1;
      continue;
    }
    const first = pos === cursor;
    if (!first && pending >= p.maxQueued) break;
    const from = pos + 1;
    const gapEnd = s ? Math.min(target, s.from - 1) : target;
    const to = Math.min(gapEnd, pos + p.sizer.next());
    const jobId = rangeJobId(ctx.chainId, from, to);
    // BullMQ silently ignores an add whose id a kept completed or failed job still holds. After a
    // reorg rollback or a lost range the same range must run again, so the finished one goes.
    const state = await ranges.getJobState(jobId);
    if (state === 'completed' || state === 'failed') await ranges.remove(jobId);
    // The continuation goes to the front: every other range waits for it.
    await ranges.add('range', { chainId: ctx.chainId, fromBlock: from, toBlock: to }, { jobId, lifo: first });
    if (first) continuation = { from, to, job: null };
    pos = to;
    pending += 1;
    added += 1;
  }

  // What the cursor waits for, in words an operator can act on (shown by /api/health and /chain).
  let waiting: { block: number; reason: string; plannedFrom: number | null } | null = null;
  if (cursor < target && continuation) {
    const range = `range ${continuation.from}–${continuation.to}`;
    const j = continuation.job;
    let reason: string;
    if (!j) reason = `${range} was missing and is planned`;
    else if (j.failedReason && j.attemptsMade > 0)
      reason = `${range} retrying (attempt ${j.attemptsMade + 1}): ${j.failedReason.slice(0, 200)}`;
    else reason = `${range} queued`;
    waiting = { block: cursor + 1, reason, plannedFrom: j ? null : continuation.from };
  }

  const failed = await ranges.getJobCounts('failed');
  const retried = Number((await redis.get(retriedKey(prefix, ctx.chainId))) ?? 0);
  await updateHealth(ctx.dbh.pool, {
    chainId: ctx.chainId,
    head,
    rpcOkAt: ctx.rpcOk.at || null,
    failedJobs: failed.failed ?? 0,
    retriedJobs: retried,
    waiting,
  });
  return { cursor, added, head: head.number, pending };
}
