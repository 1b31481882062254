import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/**
 * The heap the indexing processes aim to stay within, in bytes. V8 collects the old generation
 * once it has grown by a factor of what survived the last full collection; left to itself it picks
 * up to 4 for a process that allocates fast. The large chain (9M events) keeps ≈ 60–100 MB live and
 * far more during a simulated morning's burst: its heap swung to 330 MB and the process peaked at
 * 562–587 MB RSS. A fixed factor of 1.2 held it to 390 MB, but the dense chain (≈ 40–65 MB live)
 * then collected forty times per 200k events instead of five: +45 % CPU, +1.5–2.5 s of 9. So the
 * factor follows what is live: the one that keeps the next limit within this budget, V8's own when
 * that is more, never below MIN_GROWING_PERCENT. Measured (docs/performance.md, 2026-12-03 12:55):
 * a budget of 200 MB let the large chain reach 549 MB; 128 MB gave 482 MB (380 MB once a busy
 * block was asked for alone, backfill.ts), and the dense chain six full collections per 200k
 * events at the unbounded process's speed.
 */
export const HEAP_BUDGET_BYTES = 128 * 2 ** 20;

/** The tightest bound: 1.2× what survived. Tighter collects nearly continuously. */
export const MIN_GROWING_PERCENT = 20;

/** V8's own factor is at most 4× (300 %): from there on V8 decides. */
const V8_MAX_GROWING_PERCENT = 300;

/**
 * `--heap-growing-percent` for a heap with `liveBytes` surviving a full collection: 0 (V8's own
 * factor) when even 4× stays within the budget, else the factor that reaches the budget, at least
 * MIN_GROWING_PERCENT.
 */
export function growingPercentFor(liveBytes: number, budgetBytes: number = HEAP_BUDGET_BYTES): number {
  if (liveBytes <= 0) return 0;
  const percent = Math.floor((budgetBytes / liveBytes - 1) * 100);
  if (percent >= V8_MAX_GROWING_PERCENT) return 0;
  return Math.max(MIN_GROWING_PERCENT, percent);
}

export interface HeapGrowthBound {
  /** The `--heap-growing-percent` in force (0: V8's own factor). */
  readonly percent: number;
  stop(): void;
}

/** How often the heap is checked for a burst between full collections. */
const BURST_CHECK_MS = 100;

/**
 * A heap this far past the budget between collections is a burst. Not the budget itself: a limit
 * set at the budget is passed a little while V8 marks incrementally, and tightening then would
 * make every other collection of a steady process a tight one.
 */
const BURST_OVER_BUDGET = 1.25;

/**
 * Bounds this process's heap growth by HEAP_BUDGET_BYTES, for the processes that index: `index`,
 * `reindex` and `work`. V8 reads the flag when a full collection sets the next limit, so the value
 * chosen after one collection applies from the next: after each full collection the factor is
 * set from what is in use then (live plus what was allocated since, an overestimate that errs
 * towards collecting sooner), and a burst that takes the heap past the budget between collections
 * (a quarter past it) sets the tightest factor at once, before the collection it triggers sets the limit.
 */
export function boundHeapGrowth(budgetBytes: number = HEAP_BUDGET_BYTES): HeapGrowthBound {
  let percent = -1;
  const set = (next: number) => {
    if (next === percent) return;
    percent = next;
    setFlagsFromString(`--heap-growing-percent=${next}`);
  };
  const followLive = () => set(growingPercentFor(getHeapStatistics().used_heap_size, budgetBytes));
  followLive();
  const observer = new PerformanceObserver((list) => {
    // Node adds the collection's kind to each entry; its typings here do not declare it.
    const major = list
      .getEntries()
      .some(
        (e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      );
    if (major) followLive();
  });
  observer.observe({ entryTypes: ['gc'] });
  const burstCheck = setInterval(() => {
    if (
      percent !== MIN_GROWING_PERCENT &&
      getHeapStatistics().used_heap_size > budgetBytes * BURST_OVER_BUDGET
    )
      set(MIN_GROWING_PERCENT);
  }, BURST_CHECK_MS);
  burstCheck.unref();
  return {
    get percent() {
      return percent;
    },
    stop() {
      observer.disconnect();
      clearInterval(burstCheck);
    },
  };
}
