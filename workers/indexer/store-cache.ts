import type { ProjectionStore } from '../projections/store';

/**
 * Projection state kept in memory between ranges committed by this process. It is valid only
 * while the cursor is exactly where this process left it (same block and hash): any other
 * writer, rollback or reindex moves the cursor elsewhere and the state is loaded afresh.
 */
export interface StoreCache {
  store: ProjectionStore | null;
  toBlock: number;
  toHash: string | null;
}

/** Past this many rows the cache is dropped rather than grown. */
export const STORE_CACHE_LIMIT = 300_000;

/**
 * The cached state when it was left exactly at the cursor `at` (same block and hash), else null.
 * The cache is emptied either way: it holds a store again only once a commit has succeeded and
 * the store is handed back with keepStore.
 */
export function takeStore(
  cache: StoreCache,
  at: { block: number; hash: string | null },
): ProjectionStore | null {
  const store = cache.store && cache.toBlock === at.block && cache.toHash === at.hash ? cache.store : null;
  cache.store = null;
  return store;
}

/**
 * Hands a store back after its last range committed, so the next range continuing from `at` can
 * reuse it. One-off subjects (invoices, certificates) are stored and rarely come up again, so they
 * are evicted first; a store still past the limit is dropped rather than kept.
 */
export function keepStore(
  cache: StoreCache,
  store: ProjectionStore,
  at: { block: number; hash: string | null },
): void {
  store.evictColdSubjects();
  if (store.size() < STORE_CACHE_LIMIT) Object.assign(cache, { store, toBlock: at.block, toHash: at.hash });
}
