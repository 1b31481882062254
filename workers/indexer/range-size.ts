/**
 * Blocks per range, adapted to the chain's density: aim at a target amount per range — events for
 * the live range jobs, bytes of the node's answer in a backfill (backfill.ts) — so a range's
 * transaction and memory stay small (the bench's `*_peak_rss_mb`), yet sparse stretches go in big
 * strides.
 */
export class RangeSizer {
  private span: number;

  constructor(
    /** Per range, in the unit `observe` is given (events or bytes). */
    private readonly target = 8000,
    private readonly minSpan = 1,
    private readonly maxSpan = 20_000,
    initial = 1,
  ) {
    this.span = initial;
  }

  next(): number {
    return this.span;
  }

  observe(blocks: number, amount: number): void {
    const density = amount / Math.max(1, blocks);
    // An empty stretch says little about what follows: grow geometrically, not straight to max.
    const ideal = density > 0 ? this.target / density : this.span * 4;
    // Move halfway towards the ideal: one odd range does not swing the size.
    this.span = Math.round(Math.min(this.maxSpan, Math.max(this.minSpan, (this.span + ideal) / 2)));
  }

  /** The node refused or timed out: halve. */
  shrink(): void {
    this.span = Math.max(this.minSpan, Math.floor(this.span / 2));
  }
}
