import type pg from 'pg';
import type { RangeBlocks } from './fetch-range';
import type { PreparedEvents } from './prepare-events';
import { inRangeTransaction, type CommitOutcome } from './range-transaction';
import { writePrepared } from './write-prepared';

/**
 * A range prepared ahead (backfill): its rows were computed from state that continues the stored
 * chain at `basisHash`. If the cursor's hash is not that any more (another writer got there
 * first), nothing is written and the outcome is `stale`: the caller prepares it afresh.
 */
export function commitPrepared(
  pool: pg.Pool,
  chainId: number,
  range: RangeBlocks,
  prepared: PreparedEvents,
  basisHash: string | null,
): Promise<CommitOutcome | { kind: 'stale' }> {
  return inRangeTransaction(pool, chainId, range, false, async (client, tx, cursor, timings) => {
    if (cursor.hash !== basisHash) return 'stale';
    return writePrepared(client, tx, chainId, prepared, { withRules: true, timings });
  });
}
