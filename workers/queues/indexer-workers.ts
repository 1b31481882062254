import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IndexerContext } from '../indexer/context';
import type { RangeSizer } from '../indexer/range-size';
import { errorLine } from '../metrics/job-log';
import type { IndexerQueues } from './indexer-queues';
import type { LogLine } from './log';
import { QUEUES, type RangeJobData } from './names';
import { detectProcessor } from './processors/detect';
import { headProcessor } from './processors/head';
import { countRangeFailures, rangeBackoff, rangeProcessor } from './processors/ranges';

export interface IndexerWorkers {
  head: Worker;
  ranges: Worker<RangeJobData>;
  detect: Worker;
}

/**
 * One worker per indexer queue, each running its processor module. Range jobs run `concurrency`
 * at a time (fetching in parallel, committing in order); the head follower and detection one.
 */
export function createIndexerWorkers(p: {
  ctx: IndexerContext;
  connection: Redis;
  prefix: string;
  queues: IndexerQueues;
  concurrency: number;
  sizer: RangeSizer;
  shouldStop: () => boolean;
  log: LogLine;
}): IndexerWorkers {
  const { ctx, connection, prefix, log } = p;
  const workerOpts = { connection, prefix, maxStalledCount: 5, lockDuration: 10_000, stalledInterval: 5_000 };
  // A range held by a SIGKILLed process blocks the cursor until its lock expires and a stalled-job
  // check (run by every live worker) hands it back: at most lockDuration + stalledInterval. The
  // lock is renewed every lockDuration / 2, so a live worker loses it only if its event loop stands
  // still for 2 s; even then the range merely runs twice (commits are idempotent, in cursor order).
  // With 10 s + 5 s a kill held the chain back ~15 s; 4 s + 1 s keeps it within ~5 s.
  const rangeOpts = { ...workerOpts, maxStalledCount: 20, lockDuration: 4_000, stalledInterval: 1_000 };
  const workers: IndexerWorkers = {
    head: new Worker(
      QUEUES.head,
      headProcessor({
        ctx,
        redis: connection,
        prefix,
        ranges: p.queues.ranges,
        sizer: p.sizer,
        maxQueued: p.concurrency * 4,
        log,
      }),
      { ...workerOpts, concurrency: 1 },
    ),
    ranges: new Worker<RangeJobData>(
      QUEUES.ranges,
      rangeProcessor({ ctx, ranges: p.queues.ranges, sizer: p.sizer, shouldStop: p.shouldStop, log }),
      { ...rangeOpts, concurrency: p.concurrency, settings: { backoffStrategy: rangeBackoff } },
    ),
    detect: new Worker(QUEUES.detect, detectProcessor({ ctx, log }), { ...workerOpts, concurrency: 1 }),
  };
  countRangeFailures(workers.ranges, { redis: connection, prefix, chainId: ctx.chainId, log });
  for (const [queue, w] of [
    [QUEUES.head, workers.head],
    [QUEUES.detect, workers.detect],
  ] as const) {
    w.on('failed', (job, err) =>
      log({ level: 'warn', msg: `${queue} job failed`, queue, jobId: job?.id, err: errorLine(err) }),
    );
  }
  for (const w of [workers.head, workers.ranges, workers.detect]) {
    w.on('error', (e: Error) => log({ level: 'warn', msg: 'worker error', err: errorLine(e) }));
  }
  return workers;
}
