import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IndexerContext } from '../../indexer/context';
import type { RangeSizer } from '../../indexer/range-size';
import { indexRangeJob, type Park, type RangeJobResult } from '../../jobs/index-range';
import { errorLine } from '../../metrics/job-log';
import type { LogLine } from '../log';
import { QUEUES, retriedKey, type RangeJobData } from '../names';
import { predecessorRunning as isPredecessorRunning } from '../predecessor';
import { wakeSuccessor } from '../wake-successor';

/** Retries after a failure: 100 ms, doubling to at most 2 s (the queue's 'capped' backoff). */
export const rangeBackoff = (attemptsMade: number) =>
  Math.min(2_000, 100 * 2 ** Math.max(0, attemptsMade - 1));

/**
 * The ranges queue's processor: indexes one range (indexRangeJob), feeds the sizer what it
 * committed, and parks a range that must wait for its predecessor.
 */
export function rangeProcessor(d: {
  ctx: IndexerContext;
  ranges: Queue<RangeJobData>;
  sizer: RangeSizer;
  shouldStop: () => boolean;
  log: LogLine;
}) {
  return async (job: Job<RangeJobData>, token?: string): Promise<RangeJobResult> => {
    const started = Date.now();
    const park: Park = async (reason) => {
      const waits = (job.data.waits ?? 0) + 1;
      await job.updateData({ ...job.data, waits });
      // 50 ms, doubling to at most 1 s: a successor re-runs soon after its predecessor commits.
      await job.moveToDelayed(Date.now() + Math.min(1_000, 25 * 2 ** Math.min(waits, 6)), token);
      d.log({ level: 'debug', msg: 'range job parked', queue: QUEUES.ranges, jobId: job.id, waits, reason });
      throw new DelayedError(reason);
    };
    const predecessorRunning = async (fromBlock: number) =>
      isPredecessorRunning(await d.ranges.getActive(), d.ctx.chainId, fromBlock);
    const r = await indexRangeJob(d.ctx, job.data, { shouldStop: d.shouldStop, park, predecessorRunning });
    if (r.outcome === 'committed') {
      d.sizer.observe(job.data.toBlock - job.data.fromBlock + 1, r.events);
      if (r.toBlock !== undefined)
        await wakeSuccessor(d.ranges, d.ctx.chainId, r.toBlock + 1).catch((e: Error) =>
          d.log({ level: 'debug', msg: 'waking the next range failed', err: errorLine(e) }),
        );
    }
    const { byEvent: _byEvent, ...line } = r;
    d.log({
      level: 'info',
      msg: 'range job',
      queue: QUEUES.ranges,
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      ...line,
      durationMs: Date.now() - started,
    });
    return r;
  };
}

/**
 * Logs each failed attempt and counts the ones that will be retried (shown by /api/health as
 * retried jobs; the head follower reads the counter).
 */
export function countRangeFailures(
  worker: Worker<RangeJobData>,
  d: { redis: Redis; prefix: string; chainId: number; log: LogLine },
): void {
  worker.on('failed', (job, err) => {
    d.log({
      level: 'warn',
      msg: 'range job failed',
      queue: QUEUES.ranges,
      jobId: job?.id,
      attempt: job?.attemptsMade,
      durationMs: job?.processedOn ? Date.now() - job.processedOn : undefined,
      err: errorLine(err),
    });
    if (job && job.attemptsMade < (job.opts.attempts ?? 1))
      void d.redis.incr(retriedKey(d.prefix, d.chainId)).catch(() => {});
  });
}
