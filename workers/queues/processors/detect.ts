import type { Job } from 'bullmq';
import { runWindowedDetection } from '../../incidents/detect-windowed';
import type { IndexerContext } from '../../indexer/context';
import type { LogLine } from '../log';
import { QUEUES } from '../names';

/** The detect queue's processor: the rules that judge a window of time (volume spikes, stalls). */
export function detectProcessor(d: { ctx: IndexerContext; log: LogLine }) {
  return async (job: Job) => {
    const started = Date.now();
    const r = await runWindowedDetection({
      db: d.ctx.dbh.db,
      chainId: d.ctx.chainId,
      settings: d.ctx.settings,
    });
    d.log({
      level: 'info',
      msg: 'detect job',
      queue: QUEUES.detect,
      jobId: job.id,
      ...r,
      durationMs: Date.now() - started,
    });
    return r;
  };
}
