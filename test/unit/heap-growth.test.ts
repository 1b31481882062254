import { runInNewContext } from 'node:vm';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import {
  boundHeapGrowth,
  growingPercentFor,
  MIN_GROWING_PERCENT,
  type HeapGrowthBound,
} from '~/workers/indexer/heap-growth';

const MB = 2 ** 20;

/** A full collection on demand, without starting the test process with --expose-gc. */
function fullCollection(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Until the controller has seen the collection (Node delivers GC entries asynchronously). */
async function settled(bound: HeapGrowthBound, expected: number): Promise<number> {
  for (let i = 0; i < 200 && bound.percent !== expected; i++) await new Promise((r) => setTimeout(r, 5));
  return bound.percent;
}

describe('heap growth bound', () => {
  it('leaves the factor to V8 while 4× what is live fits the budget, else reaches the budget, never below 1.2×', () => {
    expect(growingPercentFor(40 * MB, 200 * MB)).toBe(0);
    expect(growingPercentFor(50 * MB, 200 * MB)).toBe(0); // exactly 4×: V8 decides
    expect(growingPercentFor(51 * MB, 200 * MB)).toBe(292);
    expect(growingPercentFor(100 * MB, 200 * MB)).toBe(100);
    expect(growingPercentFor(150 * MB, 200 * MB)).toBe(33);
    expect(growingPercentFor(180 * MB, 200 * MB)).toBe(MIN_GROWING_PERCENT);
    expect(growingPercentFor(400 * MB, 200 * MB)).toBe(MIN_GROWING_PERCENT);
    expect(growingPercentFor(0, 200 * MB)).toBe(0);
  });

  let bound: HeapGrowthBound | undefined;
  afterEach(() => {
    bound?.stop();
    setFlagsFromString('--heap-growing-percent=0');
  });

  it('tightens after a full collection finds the live heap past the budget and lets go when it is freed', async () => {
    fullCollection();
    const base = getHeapStatistics().used_heap_size;
    // A budget that 4× the test process's own live heap fits, with room to spare.
    const budget = 5 * base;
    bound = boundHeapGrowth(budget);
    expect(bound.percent).toBe(0);

    let kept: number[][] | undefined = [];
    while (getHeapStatistics().used_heap_size < base + budget) kept.push(new Array<number>(MB / 8).fill(1.5));
    fullCollection();
    expect(await settled(bound, MIN_GROWING_PERCENT)).toBe(MIN_GROWING_PERCENT);
    expect(kept.length).toBeGreaterThan(0);

    kept = undefined;
    fullCollection();
    expect(await settled(bound, 0)).toBe(0);
  });
});
