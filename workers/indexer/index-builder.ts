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
  private readonly built = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Called after each month's build, once its partitions have every look-up index. */
  onMonthBuilt: (() => void) | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /**
   * Whether indexes are deferred as this sync starts (dropped by it, or left by one stopped
   * half-way): from now on, the months it leaves behind get theirs.
   */
  deferred(pending: boolean): void {
    if (pending) this.active = true;
  }

  /**
   * Whether `month`'s partitions have every look-up index: always, unless indexes are deferred
   * and that month's were not built by this sync yet (a month before it started waits for the end).
   */
  indexed(month: string): boolean {
    return !this.active || this.built.has(month);
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
      this.enqueue(async () => {
        await buildDeferredOnMonth(this.pool, month);
        this.built.add(month);
        this.onMonthBuilt?.();
      });
    }
  }

  /**
   * After more indexes were deferred mid-sync (kept-indexes.ts): the months already given theirs
   * get those too, behind the builds queued. They stay `indexed` meanwhile: the (accessor, time)
   * index that the VOLUME_SPIKE passes read is deferred from a sync's start, never later.
   */
  widened(): void {
    for (const month of [...this.started].sort()) this.enqueue(() => buildDeferredOnMonth(this.pool, month));
  }

  /** Runs `step` after the builds queued before it; a failure stops the queue and is thrown by finish(). */
  private enqueue(step: () => Promise<unknown>): void {
    this.queue = this.queue.then(step);
    this.queue.catch(() => {});
  }

  /** Waits for the months' builds, then builds what is left on the parents (and attaches the rest). */
  async finish(): Promise<number> {
    await this.queue;
    return buildDeferredIndexes(this.pool);
  }
}
