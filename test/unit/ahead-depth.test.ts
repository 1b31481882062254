import { describe, expect, it } from 'vitest';
import { AheadDepth, WRITER_BOUND } from '~/workers/indexer/ahead-depth';

describe('ranges prepared ahead', () => {
  it('prepares two ahead until both halves have been timed', () => {
    const d = new AheadDepth();
    expect(d.depth).toBe(2);
    d.prepared(100);
    expect(d.depth).toBe(2);
  });

  it('keeps two while the writer takes up to WRITER_BOUND times a preparation, one beyond', () => {
    const d = new AheadDepth();
    d.prepared(100);
    d.written(WRITER_BOUND * 100);
    expect(d.depth).toBe(2);
    const e = new AheadDepth();
    e.prepared(100);
    e.written(WRITER_BOUND * 100 + 1);
    expect(e.depth).toBe(1);
  });

  it('follows a change of pace within a range or two, not on a write somewhat slower', () => {
    const d = new AheadDepth();
    for (let i = 0; i < 4; i++) {
      d.prepared(300);
      d.written(330); // the dense chain: the halves alike
    }
    expect(d.depth).toBe(2);
    d.written(800); // average 565, under 2 × 300
    expect(d.depth).toBe(2);
    d.written(1500); // the writer now sets the pace: 1032.5 > 600
    expect(d.depth).toBe(1);
    d.written(330); // 681.25
    expect(d.depth).toBe(1);
    d.written(330); // 505.6
    expect(d.depth).toBe(2);
  });
});
