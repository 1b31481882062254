import { UnrecoverableError } from 'bullmq';
import { MalformedLogError } from '../events/raw-log';
import type { IndexerContext } from '../indexer/context';
import { fetchRange, type FetchedRange } from '../indexer/fetch-range';
import { recoverFromReorg } from '../indexer/reorg';
import { commitRange } from '../indexer/live-commit';
import { countByName } from '../metrics/job-log';
import type { RangeJobData } from '../queues/names';

/**
 * How long a range waits in its slot for its predecessor before it parks (gives the slot back),
 * when the predecessor is running now; otherwise it parks at once.
 */
const WAIT_FOR_PREDECESSOR_MS = 500;

/**
 * How a job that cannot commit yet steps aside: it is put back in the queue to run again a little
 * later without spending one of its attempts (attempts are for failures; waiting for an
 * earlier range is not one, however long the earlier range takes). Never returns.
 */
export type Park = (reason: string) => Promise<never>;

export type RangeJobResult = {
  outcome: string;
  events: number;
  incidents: number;
  /** Of a committed range: the blocks it wrote and its events by name (for the metrics). */
  fromBlock?: number;
  toBlock?: number;
  byEvent?: Record<string, number>;
};

/**
 * One range job: fetch and decode (in parallel with other ranges), then commit strictly in order.
 * Idempotent: a retried or duplicated job finds the cursor past its range and writes nothing.
 */
export async function indexRangeJob(
  ctx: IndexerContext,
  data: RangeJobData,
  opts: {
    shouldStop: () => boolean;
    park: Park;
    /** Whether the range holding block fromBlock−1 is being run by some worker now. */
    predecessorRunning: (fromBlock: number) => Promise<boolean>;
  },
): Promise<RangeJobResult> {
  const fetch = (from: number) =>
    fetchRange(
      ctx.reader,
      { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress },
      from,
      data.toBlock,
    );
  let range: FetchedRange;
  try {
    range = await fetch(data.fromBlock);
  } catch (e) {
    if (e instanceof MalformedLogError) throw new UnrecoverableError(e.message);
    throw e;
  }
  // Set at the first 'not-yet': how long this range may hold its slot waiting.
  let deadline: number | null = null;
  for (;;) {
    const outcome = await commitRange(ctx.dbh.pool, ctx.chainId, range, ctx.settings, ctx.storeCache);
    switch (outcome.kind) {
      case 'committed':
        return {
          outcome: 'committed',
          events: outcome.events,
          incidents: outcome.incidents,
          fromBlock: range.fromBlock,
          toBlock: range.toBlock,
          byEvent: countByName(range.events),
        };
      case 'already-done':
        return { outcome: 'already-done', events: 0, incidents: 0 };
      case 'reorg': {
        // The head follower re-plans from the rolled-back cursor on its next pass.
        await recoverFromReorg(ctx, outcome.cursor);
        return { outcome: 'reorg', events: 0, incidents: 0 };
      }
      case 'overlap':
        if (outcome.cursor >= data.toBlock) return { outcome: 'already-done', events: 0, incidents: 0 };
        range = await fetch(outcome.cursor + 1);
        continue;
      case 'not-yet':
        // On SIGTERM, give the job back rather than wait: another worker picks it up. The head
        // follower plans the missing predecessor first, whatever happened to it.
        deadline ??= (await opts.predecessorRunning(range.fromBlock))
          ? Date.now() + WAIT_FOR_PREDECESSOR_MS
          : 0;
        if (Date.now() > deadline || opts.shouldStop()) {
          return opts.park(`range ${data.fromBlock}-${data.toBlock} waits for block ${outcome.cursor + 1}`);
        }
        await new Promise((r) => setTimeout(r, 25));
        continue;
    }
  }
}
