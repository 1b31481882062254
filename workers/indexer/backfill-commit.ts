import type pg from 'pg';
import type { RangeBlocks } from './fetch-range';
import type { PreparedEvents } from './prepare-events';
import { inRangeTransaction, type CommitOutcome } from './range-transaction';
import { blockTimesOf, writePrepared } from './write-prepared';
import type { PendingRollups } from '../rollups/pending';
import type { WrittenKeys } from './written-keys';
import { deferKeptIndexes } from '~/db/deferred-indexes';

/**
 * A range prepared ahead (backfill): its rows were computed from state that continues the stored
 * chain at `basisHash`. If the cursor's hash is not that any more (another writer got there
 * first), nothing is written and the outcome is `stale`: the caller prepares it afresh.
 */
export async function commitPrepared(
  pool: pg.Pool,
  chainId: number,
  range: RangeBlocks,
  prepared: PreparedEvents,
  basisHash: string | null,
  /** The range's rollup sums join these; `final`: the sync's last range, which writes them all. */
  rollups: { pending: PendingRollups; final: boolean },
  /** The case ids this sync wrote, when they are every case stored (written-keys.ts). */
  writtenCases: WrittenKeys | null = null,
  /** Defer the look-up indexes kept while the backfill was small, before the range's rows (kept-indexes.ts). */
  deferKept = false,
): Promise<
  | (CommitOutcome & { kind: 'committed'; rollupsBlock: number })
  | Exclude<CommitOutcome, { kind: 'committed' }>
  | { kind: 'stale' }
> {
  let rollupsBlock = Number.NaN;
  const outcome = await inRangeTransaction(
    pool,
    chainId,
    range,
    false,
    async (client, tx, cursor, timings) => {
      if (cursor.hash !== basisHash) return 'stale';
      if (deferKept) await deferKeptIndexes(client);
      const created = await writePrepared(client, tx, chainId, prepared, {
        withRules: true,
        timings,
        rollups: false,
        writtenCases,
        blockTimes: blockTimesOf(range.headers),
      });
      const t0 = performance.now();
      rollupsBlock = await rollups.pending.commit(
        client,
        chainId,
        cursor,
        range,
        prepared.rollups,
        rollups.final,
      );
      timings.rollups = (timings.rollups ?? 0) + performance.now() - t0;
      return created;
    },
    'body',
  );
  return outcome.kind === 'committed' ? { ...outcome, rollupsBlock } : outcome;
}
