import type pg from 'pg';
import type { RuleSettings } from '../../domain/rules';
import { ProjectionStore } from '../projections/store';
import type { FetchedRange } from './fetch-range';
import { inRangeTransaction, rangeEndHash, type CommitOutcome } from './range-transaction';
import { keepStore, takeStore, type StoreCache } from './store-cache';
import { blockTimesOf } from './write-prepared';
import { writeEvents } from './write-events';

/**
 * A live range job: state is loaded inside the transaction, under the cursor lock, continuing the
 * cache when it was left exactly at the cursor.
 */
export async function commitRange(
  pool: pg.Pool,
  chainId: number,
  range: FetchedRange,
  settings: RuleSettings,
  cache?: StoreCache,
): Promise<CommitOutcome> {
  // The store this range applied to, kept for the next range once the commit has succeeded.
  const used: { store: ProjectionStore | null } = { store: null };
  const outcome = await inRangeTransaction(
    pool,
    chainId,
    range,
    true,
    async (client, tx, cursor, timings) => {
      const reusable = cache ? takeStore(cache, cursor) : null;
      const store = (used.store = reusable ?? new ProjectionStore(chainId));
      return writeEvents(client, tx, chainId, range.events, settings, true, {
        timings,
        store,
        blockTimes: blockTimesOf(range.headers),
      });
    },
  );
  if (outcome.kind === 'stale') throw new Error('unreachable: a live range never prepares ahead');
  if (outcome.kind === 'committed' && cache && used.store)
    keepStore(cache, used.store, { block: range.toBlock, hash: rangeEndHash(range) });
  return outcome;
}
