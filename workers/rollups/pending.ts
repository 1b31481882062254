import type pg from 'pg';
import { RollupAccumulator, type BlockSpan } from './accumulator';
import { catchUpRollups } from './catch-up';
import { writeRollups } from './write';

/**
 * Keys carried at most between two writes (≈ 250 bytes each, 40 MB in all): beyond this every sum
 * is written at once, whatever day it belongs to.
 */
const MAX_PENDING_KEYS = 150_000;

/** Where the stored rollups stand, as the range's transaction found the cursor row (locked). */
export interface RollupsCursor {
  /** The cursor: the last block committed. */
  block: number;
  /** The last block whose events the rollups hold; null: the cursor's. */
  rollupsBlock: number | null;
}

/**
 * A backfill's rollup sums, carried from range to range until their day is over.
 *
 * A day of a busy chain is read in many ranges (the simulator's large chain: ≈ 17), and each
 * range's upserts rewrote the same day's rows again: 210 s of a 622 s sync. So each range's sums
 * join those of the ranges before it, and a day's sums are written once, in the transaction of
 * the first range that reaches the next day (block times only grow). The cursor row keeps where
 * the rollups stand (`rollups_block`, null when at the cursor): the typed rows of the ranges
 * after it are committed, their sums not yet written. Should the backfill stop there, the next
 * range commit, by this process or any other, first adds those sums from the stored rows
 * (catch-up.ts); a backfill's last range writes everything.
 */
export class PendingRollups {
  private sums = new RollupAccumulator();
  /** The stored rollups hold every event up to this block, and `sums` those after it up to `through`. */
  private from = Number.NaN;
  private through = Number.NaN;

  /**
   * Inside the transaction of a range that follows `cursor` (its rows written): adds the range's
   * sums, writes those of the days that are over (all of them when `final`), and moves the
   * cursor row's rollups_block. Returns the last block whose events the rollups now hold.
   */
  async commit(
    client: pg.ClientBase,
    chainId: number,
    cursor: RollupsCursor,
    range: { toBlock: number },
    rangeSums: RollupAccumulator,
    final: boolean,
  ): Promise<number> {
    const stored = cursor.rollupsBlock ?? cursor.block;
    // Carried sums continue the stored rollups only if nothing moved them meanwhile (another
    // writer caught up, a rollback, a transaction of ours that did not commit): else they are
    // made afresh from what is stored.
    if (stored !== this.from || cursor.block !== this.through) {
      this.sums = new RollupAccumulator();
      if (stored < cursor.block) await catchUpRollups(client, chainId, stored, cursor.block, this.sums);
      this.from = stored;
    }
    this.sums.merge(rangeSums);
    this.through = range.toBlock;
    const due = final || this.sums.size > MAX_PENDING_KEYS ? null : daysOver(this.sums.dayBlocks());
    const written = due === null ? this.sums : this.sums.takeDays(due.days);
    if (due === null) this.sums = new RollupAccumulator();
    const now = due === null || this.sums.size === 0 ? range.toBlock : due.through;
    await writeRollups(client, chainId, written);
    const column = now === range.toBlock ? null : now;
    if (column !== cursor.rollupsBlock) {
      await client.query('UPDATE cursors SET rollups_block = $2 WHERE chain_id = $1', [chainId, column]);
    }
    this.from = now;
    return now;
  }
}

/**
 * The days whose sums can be written: all but the day of the newest event, and but any day whose
 * blocks reach into the blocks of a day kept (a chain whose block times go back and forth), so
 * that the written sums are exactly those of the events up to `through`.
 */
export function daysOver(spans: ReadonlyMap<string, BlockSpan>): { days: Set<string>; through: number } {
  let open: string | null = null;
  for (const [day, s] of spans) if (open === null || s.last > spans.get(open)!.last) open = day;
  if (open === null) return { days: new Set(), through: Number.NaN };
  const kept = new Set([open]);
  let keptFrom = spans.get(open)!.first;
  for (let grew = true; grew;) {
    grew = false;
    for (const [day, s] of spans) {
      if (kept.has(day) || s.last < keptFrom) continue;
      kept.add(day);
      keptFrom = Math.min(keptFrom, s.first);
      grew = true;
    }
  }
  return { days: new Set([...spans.keys()].filter((d) => !kept.has(d))), through: keptFrom - 1 };
}
