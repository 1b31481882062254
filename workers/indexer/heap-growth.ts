import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again, in percent. Left to itself V8 picks a factor of up to 4 for a process that
 * allocates fast: the indexer keeps ≈ 100 MB live (three ranges in flight) but promotes the
 * decoded logs and prepared rows of every range, so between full collections its heap filled with
 * 200–250 MB of garbage and the large chain (9M events) peaked at 562–587 MB RSS. Within 1.2× of
 * what is live it peaked at 390 MB over the whole chain, 6 % slower by wall clock and for half as
 * much CPU again in the indexer (the collector's marking, mostly on the other core). 1.5× cost less
 * CPU (+20 % in 120 s) but let a simulated morning's burst reach 547 MB (docs/performance.md).
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Bounds this process's heap growth (read by V8 at every full collection, so it applies from the
 * next one on). For the processes that index: `index`, `reindex` and `work`.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
