import type pg from 'pg';
import { buildDeferredIndexes, buildDeferredOnMonth } from '~/db/deferred-indexes';
import { shanghaiMonthOf } from '~/db/partitions';
import type { BlockHeader } from '../chain/reader';

/**
 * The look-up indexes a backfill deferred (db/deferred-indexes.ts), built as it goes: once the
 * committed blocks have moved into a later month, the months behind them are complete, and their
 * partitions get the indexes beside the ranges still being written — Postgres has a core to spare
 * while the indexer prepares the next range. At the end only the last months are left to build.
 */
export class DeferredIndexBuilder {
  private active = false;
  private readonly seen = new Set<string>();
  private readonly started = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {}

  /** This sync deferred indexes: from now on, the months it leaves behind get theirs. */
  deferred(names: readonly string[]): void {
    if (names.length > 0) this.active = true;
  }

  /** After a range's commit: every month before its last block's month is complete. */
  committed(headers: readonly BlockHeader[]): void {
    const last = headers[headers.length - 1];
    if (!this.active || !last) return;
    for (const h of headers) this.seen.add(shanghaiMonthOf(h.timestamp));
    const current = shanghaiMonthOf(last.timestamp);
    for (const month of [...this.seen].sort()) {
      if (month >= current || this.started.has(month)) continue;
      this.started.add(month);
      this.queue = this.queue.then(() => buildDeferredOnMonth(this.pool, month));
    }
    this.queue.catch(() => {}); // its error is thrown by finish()
  }

  /** Waits for the months' builds, then builds what is left on the parents (and attaches the rest). */
  async finish(): Promise<number> {
    await this.queue;
    return buildDeferredIndexes(this.pool);
  }
}
