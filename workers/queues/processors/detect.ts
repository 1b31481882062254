import type { Job } from 'bullmq';
import { runWindowedDetection } from '../../incidents/detect-windowed';
import { checkpointIfDue } from '~/db/derived-checkpoints';
import { analyzeIfStale } from '../../indexer/analyze';
import { compactTallies } from '../../incidents/tallies';
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
    // Periodic upkeep rides on this job: a checkpoint keeps reorg recovery short (db/derived-checkpoints.ts).
    // A failed checkpoint (node or database briefly away) waits for the next job; detection stands.
    const checkpoint = await d.ctx.reader
      .getHead()
      .then((head) => checkpointIfDue(d.ctx.dbh.pool, d.ctx.chainId, head.number))
      .catch((e: unknown) => {
        d.log({ level: 'warn', msg: 'checkpoint failed', error: (e as Error).message });
        return null;
      });
    // Planner statistics too, at most every ten minutes: autovacuum may be off, and the live
    // indexer's months of accesses and events grow past what their statistics say.
    const analyzed = await analyzeIfStale(d.ctx.dbh.pool).catch((e: unknown) => {
      d.log({ level: 'warn', msg: 'planner statistics not refreshed', error: (e as Error).message });
      return [];
    });
    // And the overview's incident counts, appended by triggers, folded once they have grown.
    const tallies = await compactTallies(d.ctx.dbh.pool).catch((e: unknown) => {
      d.log({ level: 'warn', msg: 'incident tallies not compacted', error: (e as Error).message });
      return null;
    });
    d.log({
      level: 'info',
      msg: 'detect job',
      tallies,
      analyzed,
      queue: QUEUES.detect,
      jobId: job.id,
      ...r,
      checkpointBlock: checkpoint?.blockNumber ?? null,
      durationMs: Date.now() - started,
    });
    return r;
  };
}
