import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/client';
import type { Scope } from '../scope';
import { resolveChain, type DashboardChain } from './chain-select';
import { shanghaiToday } from './period';

/**
 * Results of rollup reads, shared by every caller asking the same question of the same indexed
 * data. Rollups change only when the indexer commits, and every commit moves the cursor (block
 * and hash; a reorg changes the hash), so a key that carries the cursor can never serve a stale
 * answer. Concurrent callers share one in-flight query: fifty leaders opening the overview at
 * nine o'clock cost Postgres one query per distinct scope, not fifty.
 *
 * Only rollup reads go through here. Incident counts change on triage without the cursor moving
 * and are read fresh (they are small).
 */
const MAX_ENTRIES = 2_000;
/** A safety net only: the cursor in the key is what keeps answers true. */
const TTL_MS = 10 * 60_000;

type Entry = Promise<unknown>;
const perDb = new WeakMap<Db, LRUCache<string, Entry>>();
let enabled = true;

/** Benchmarks switch the cache off to time the queries themselves (a cold first visit). */
export function setRollupCacheEnabled(on: boolean): void {
  enabled = on;
}

function cacheFor(db: Db): LRUCache<string, Entry> {
  let c = perDb.get(db);
  if (!c) perDb.set(db, (c = new LRUCache<string, Entry>({ max: MAX_ENTRIES, ttl: TTL_MS })));
  return c;
}

/**
 * `compute()` once per (key, dataVersion) while the entry lives. A failed computation is
 * forgotten at once, so the next caller tries again instead of inheriting the error.
 */
export function cachedRollupRead<T>(
  db: Db,
  dataVersion: string,
  key: readonly unknown[],
  compute: () => Promise<T>,
): Promise<T> {
  if (!enabled || dataVersion === '') return compute();
  const cache = cacheFor(db);
  const k = `${dataVersion}|${JSON.stringify(key)}`;
  const hit = cache.get(k) as Promise<T> | undefined;
  if (hit) return hit;
  const p = compute();
  cache.set(k, p);
  p.catch(() => {
    if (cache.get(k) === p) cache.delete(k);
  });
  return p;
}

/**
 * Resolves the dashboard's chain and serves `read` from the cache under the procedure's name,
 * the caller's scope and the whole input (so two filters never share an answer).
 */
export async function readRollups<T, I extends { chainId?: number }>(
  db: Db,
  scope: Scope,
  name: string,
  input: I,
  read: (chain: DashboardChain) => Promise<T>,
): Promise<T> {
  const chain = await resolveChain(db, input.chainId);
  // Answers depend on the clock only through today's date (periods end at today at the latest).
  const { now, ...rest } = input as I & { now?: Date };
  const key = [name, scope.regionCode, rest, shanghaiToday(now)];
  return cachedRollupRead(db, chain.dataVersion, key, () => read(chain));
}
