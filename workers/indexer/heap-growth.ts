import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again, in percent. Left to itself V8 picks a factor of up to 4 for a process that
 * allocates fast: the indexer keeps ≈ 100 MB live (three ranges in flight) but promotes the
 * decoded logs and prepared rows of every range, so between full collections its heap filled with
 * 200–250 MB of garbage and the large chain (9M events) peaked at 562–587 MB RSS. Within 1.5× of
 * what is live, the first 120 s of that chain peaked at 314 MB instead of 466–532 MB, for ≈ 20 %
 * more CPU in the indexer (the collector's marking, mostly on the other core); 1.2× gave 302 MB
 * for 50 % more (docs/performance.md).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds this process's heap growth (read by V8 at every full collection, so it applies from the
 * next one on). For the processes that index: `index`, `reindex` and `work`.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
