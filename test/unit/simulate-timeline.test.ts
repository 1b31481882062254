import { describe, expect, it } from 'vitest';
import { SCALES, blockInterval, casesPerRule, windowBlocks } from '../../chain/simulate/scale';
import { createTimeline, placeSpan } from '../../chain/simulate/timeline';

describe('simulate timeline', () => {
  const tl = createTimeline({ start: 1_000_000, interval: 60, days: 2, window: 15 });

  it('spaces blocks exactly I apart except one stall of 20·I', () => {
    const gaps = Array.from({ length: tl.blockCount - 1 }, (_, k) => tl.ts(k + 1) - tl.ts(k));
    expect(gaps.filter((g) => g !== 60)).toEqual([1200]);
    expect(tl.ts(tl.stallAt) - tl.ts(tl.stallAt - 1)).toBe(1200);
    expect(tl.stallAt % tl.window).not.toBe(0);
    expect(tl.ts(tl.blockCount - 1) - tl.start).toBeLessThanOrEqual(2 * 86400);
  });

  it('finds the first block at or after a moment, across the stall', () => {
    expect(tl.blockAtOrAfter(tl.start)).toBe(0);
    expect(tl.blockAtOrAfter(tl.start + 61)).toBe(2);
    for (const k of [5, tl.stallAt - 1, tl.stallAt, tl.stallAt + 3]) {
      expect(tl.blockAtOrAfter(tl.ts(k))).toBe(k);
      expect(tl.blockAtOrAfter(tl.ts(k) - 1)).toBe(k);
    }
    expect(tl.blockAtOrAfter(tl.ts(tl.stallAt - 1) + 100)).toBe(tl.stallAt);
  });

  it('starts one interval after the head of a recent chain, whatever the wall clock', () => {
    expect(
      placeSpan({ headTimestamp: 5_000_000, now: 5_000_100, days: 7, interval: 300, maxBridgeBlocks: 100 }),
    ).toEqual({
      start: 5_000_300,
      bridgeBlocks: 0,
      leadingStall: false,
    });
    expect(
      placeSpan({ headTimestamp: 5_000_000, now: 4_000_000, days: 7, interval: 300, maxBridgeBlocks: 100 })
        .start,
    ).toBe(5_000_300);
  });

  it('ends an old chain’s span within a day of now, bridging the gap with empty blocks', () => {
    const head = 1_000_000;
    const now = head + 10 * 86400 + 3600;
    const p = placeSpan({ headTimestamp: head, now, days: 7, interval: 3600, maxBridgeBlocks: 1000 });
    expect(p.leadingStall).toBe(false);
    expect(p.bridgeBlocks).toBe(72);
    expect(p.start).toBe(head + 73 * 3600);
    const end = p.start + 7 * 86400;
    expect(Math.abs(now - end)).toBeLessThan(86400);
    expect(
      placeSpan({ headTimestamp: head, now, days: 7, interval: 60, maxBridgeBlocks: 1000 }).leadingStall,
    ).toBe(true);
  });

  it('ends simulated history at the present, never after it (the demo: genesis 91 days back)', () => {
    const now = Date.parse('2026-12-01T21:54:00+08:00') / 1000;
    for (const interval of [blockInterval(SCALES.small, 90), 3600, 600, 60]) {
      // Deploying takes seconds; up to a day less one interval still leaves room for a whole span.
      for (const deploySeconds of [0, 5, 3599, 86_400 - interval]) {
        const head = now - 91 * 86400 + deploySeconds;
        const p = placeSpan({ headTimestamp: head, now, days: 90, interval, maxBridgeBlocks: 10_000 });
        const tl = createTimeline({ start: p.start, interval, days: 90, window: 1 });
        const end = tl.ts(tl.blockCount - 1);
        expect(end, `I=${interval} deploy=${deploySeconds}`).toBeLessThanOrEqual(now);
        // …and close to it: within one interval plus the stall's extra time.
        expect(now - end).toBeLessThan(interval + tl.stallExtra + interval);
        expect(p.start).toBeGreaterThan(head);
      }
    }
  });

  it('picks the block interval per scale and span, keeping the block count bounded', () => {
    expect(blockInterval(SCALES.small, 1)).toBe(60);
    expect(blockInterval(SCALES.small, 7)).toBe(300);
    for (const s of Object.values(SCALES)) {
      for (const days of [1, 7, 30, 90, 365])
        expect((days * 86400) / blockInterval(s, days)).toBeLessThanOrEqual(s.maxBlocks);
    }
    expect(windowBlocks(SCALES.small, 60)).toBe(15);
    expect(windowBlocks(SCALES.small, 1800)).toBe(1);
    expect(casesPerRule(SCALES.small)).toBe(3);
    expect(casesPerRule(SCALES.medium)).toBeGreaterThan(50);
  });
});
