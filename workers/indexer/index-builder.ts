import type pg from 'pg';
import { buildDeferredIndexes } from '~/db/deferred-indexes';

/**
 * The look-up indexes a backfill deferred (db/deferred-indexes.ts), built at its end — not month
 * by month beside the ranges still being written. A build holds its snapshot for as long as it
 * runs, and meanwhile no row version the writer leaves behind can be pruned: every range updates
 * its grants' access counts, and invoices and certificates as they are reimbursed and verified. On
 * the simulator's large chain November's builds beside the writer (≈ 90 s) grew `grants` from
 * 1.5k to 10.5k pages, and every later range scanned them; with every build at the end the sync
 * took 463.7 s against 486.6 s, Postgres 229 CPU s against 283 (docs/performance.md, 2026-12-04
 * 15:00–16:30).
 */
export class DeferredIndexBuilder {
  private active = false;

  constructor(private readonly pool: pg.Pool) {}

  /**
   * Whether indexes are deferred as this sync starts (dropped by it, or left by one stopped
   * half-way): then none is built before the end.
   */
  deferred(pending: boolean): void {
    if (pending) this.active = true;
  }

  /** Whether the look-up indexes are in place while the sync goes on: unless it deferred them. */
  indexed(): boolean {
    return !this.active;
  }

  /** Builds what is deferred (a sync that deferred nothing may find some left by another). */
  finish(): Promise<number> {
    return buildDeferredIndexes(this.pool);
  }
}
