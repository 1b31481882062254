/**
 * Blocks per range, adapted to the chain's density: aim at a few thousand events per range so a
 * range's transaction and memory stay small (the backfill bench's backfill_peak_rss_mb, `npm run
 * bench -- --quick --only=indexer-backfill`; viem refuses answers over 10 MB), yet sparse stretches
 * go in big strides.
 */
export class RangeSizer {
  private span: number;

  constructor(
    private readonly targetEvents = 8000,
    private readonly minSpan = 1,
    private readonly maxSpan = 20_000,
    initial = 1,
  ) {
    this.span = initial;
  }

  next(): number {
    return this.span;
  }

  observe(blocks: number, events: number): void {
    const density = events / Math.max(1, blocks);
    // An empty stretch says little about what follows: grow geometrically, not straight to max.
    const ideal = density > 0 ? this.targetEvents / density : this.span * 4;
    // Move halfway towards the ideal: one odd range does not swing the size.
    this.span = Math.round(Math.min(this.maxSpan, Math.max(this.minSpan, (this.span + ideal) / 2)));
  }

  /** The node refused or timed out: halve. */
  shrink(): void {
    this.span = Math.max(this.minSpan, Math.floor(this.span / 2));
  }
}
