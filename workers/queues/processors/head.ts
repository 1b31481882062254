import type { Job } from 'bullmq';
import { planRanges, type PlanRangesDeps } from '../../jobs/plan-ranges';
import type { LogLine } from '../log';
import { QUEUES } from '../names';

/** The head queue's processor: each tick plans range jobs up to the chain's head (planRanges). */
export function headProcessor(d: PlanRangesDeps & { log: LogLine }) {
  const { log, ...deps } = d;
  return async (job: Job) => {
    const started = Date.now();
    const r = await planRanges(deps);
    // Four head jobs a second: one line each only at debug level.
    log({
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
