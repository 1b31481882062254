/**
 * Accesses a first backfill writes with the look-up indexes of KEPT_WHILE_SMALL kept up
 * (db/deferred-indexes.ts): the range that would take it to this defers them in its own
 * transaction, before its rows. Above the dense 1M chain's 997,400 accesses, so that the bench's
 * chains and a province's first weeks keep them to the end; the simulator's large chain (5.2M
 * accesses, most in one month) defers them after its first quarter or so.
 */
export const KEPT_INDEX_ACCESSES = 1_200_000;

/**
 * Whether a sync still keeps the KEPT_WHILE_SMALL indexes up, and when its ranges must stop doing
 * so. Nothing is kept until decided, once its first range has deferred what it defers (backfill.ts):
 *
 * - a first backfill (it deferred indexes of an empty `accesses` itself) keeps them up to `bound`
 *   accesses;
 * - a sync that finds indexes deferred by a first backfill stopped half-way defers them at its
 *   first range: how many rows that backfill wrote is not known, and at a million rows and more
 *   upkeep costs more than a build;
 * - any other sync has nothing to do with them.
 */
export class KeptIndexes {
  private live = false;
  private bound = 0;
  private written = 0;

  decide(start: { deferredAccesses: boolean; anyDeferred: boolean }, bound = KEPT_INDEX_ACCESSES): void {
    this.live = start.deferredAccesses || start.anyDeferred;
    this.bound = start.deferredAccesses ? bound : 0;
  }

  /** Before a range of `accesses` accesses is written: whether its transaction defers them first. */
  dueBefore(accesses: number): boolean {
    return this.live && this.written + accesses >= this.bound;
  }

  /** After a range's commit: its accesses, and whether its transaction deferred them. */
  committed(accesses: number, deferred: boolean): void {
    this.written += accesses;
    if (deferred) this.live = false;
  }
}
