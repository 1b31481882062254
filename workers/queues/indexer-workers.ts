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
  // Short locks: a SIGKILLed worker's range is handed to another worker within seconds.
  const workerOpts = { connection, prefix, maxStalledCount: 5, lockDuration: 10_000, stalledInterval: 5_000 };
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
      rangeProcessor({ ctx, sizer: p.sizer, shouldStop: p.shouldStop, log }),
      { ...workerOpts, concurrency: p.concurrency, settings: { backoffStrategy: rangeBackoff } },
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
