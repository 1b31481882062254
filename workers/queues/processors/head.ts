import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IndexerContext } from '../../indexer/context';
import type { RangeSizer } from '../../indexer/range-size';
import { planRanges } from '../../jobs/plan-ranges';
import type { LogLine } from '../log';
import { QUEUES, type RangeJobData } from '../names';

/** The head queue's processor: each tick plans range jobs up to the chain's head (planRanges). */
export function headProcessor(d: {
  ctx: IndexerContext;
  redis: Redis;
  prefix: string;
  ranges: Queue<RangeJobData>;
  sizer: RangeSizer;
  maxQueued: number;
  log: LogLine;
}) {
  return async (job: Job) => {
    const started = Date.now();
    const r = await planRanges({
      ctx: d.ctx,
      redis: d.redis,
      prefix: d.prefix,
      ranges: d.ranges,
      sizer: d.sizer,
      maxQueued: d.maxQueued,
    });
    // Four head jobs a second: one line each only at debug level.
    d.log({
      level: 'debug',
      msg: 'head job',
      queue: QUEUES.head,
      jobId: job.id,
      ...r,
      durationMs: Date.now() - started,
    });
    return r;
  };
}
