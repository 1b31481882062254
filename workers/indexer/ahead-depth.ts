/**
 * How many ranges a backfill prepares ahead of the one being written.
 *
 * Two, while preparing and writing take comparable time: then whichever is slower changes from
 * range to range, and a second prepared range keeps the writer busy when one preparation runs
 * long (the dense chain: 6.16 against 6.22 s, the large chain 418 against 455 s). One, once the
 * writer takes more than WRITER_BOUND times as long as a preparation: the writer sets the pace
 * whatever is prepared, and a second prepared range is only more memory alive across collections
 * (the unlawful chain, where Postgres writes 460k incidents: node CPU 21.6–22.5 s against
 * 15.2–18.7 s with one, the wall clock no better; docs/performance.md, 2026-12-05 20:20).
 */
export const WRITER_BOUND = 2;

/** Weight of the newest range in the running averages: a few ranges settle a change of pace. */
const NEWEST = 0.5;

export class AheadDepth {
  private prepareMs: number | null = null;
  private writeMs: number | null = null;

  /** A range's preparation took this long (its own work, not the wait for its answer). */
  prepared(ms: number): void {
    this.prepareMs = blend(this.prepareMs, ms);
  }

  /** A range's write took this long, from its start to its commit. */
  written(ms: number): void {
    this.writeMs = blend(this.writeMs, ms);
  }

  /** Ranges to hold prepared ahead of the one being written: 2 until the writer proves the pace. */
  get depth(): 1 | 2 {
    if (this.prepareMs === null || this.writeMs === null) return 2;
    return this.writeMs > WRITER_BOUND * this.prepareMs ? 1 : 2;
  }
}

const blend = (avg: number | null, ms: number): number => (avg === null ? ms : avg + NEWEST * (ms - avg));
