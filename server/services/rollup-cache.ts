import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import superjson from 'superjson';
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
 * Two layers. Each process keeps answers (and in-flight promises) in memory; when the runtime
 * shares the cache (`shareRollupCache`, one Redis for every web process) a local miss reads
 * Redis, and on a Redis miss one process computes while the others wait for its answer
 * (a lock per key with a short expiry): two web processes behind a balancer pay each question
 * once per cursor, not once each. An answer is only ever read under the cursor it was computed
 * at. Redis being down costs the sharing, never the answer: the process computes for itself and
 * says so in the log (once a minute at most).
 *
 * Only rollup reads go through here. Incident counts change on triage without the cursor moving
 * and are read fresh (they are small).
 */
const MAX_ENTRIES = 2_000;
/** A safety net only: the cursor in the key is what keeps answers true. */
const TTL_MS = 10 * 60_000;
/** Longest a computation may hold a key's lock; past it another process computes. */
const LOCK_MS = 15_000;
/** How long a process waits for another's answer before computing it itself. */
const WAIT_MS = 5_000;
const POLL_MS = 10;
/** Redis failures are logged at most this often (an outage would otherwise log per request). */
const WARN_EVERY_MS = 60_000;

type Entry = Promise<unknown>;

export interface SharedRollupCache {
  redis: Redis;
  /** Keeps deployments, demos and tests on one Redis apart (CACHE_PREFIX). */
  prefix: string;
  warn: (message: string, err: unknown) => void;
}

interface PerDb {
  local: LRUCache<string, Entry>;
  shared?: SharedRollupCache;
}

const perDb = new WeakMap<Db, PerDb>();
let enabled = true;
let lastWarn = -Infinity;

/** Benchmarks switch the cache off to time the queries themselves (a cold first visit). */
export function setRollupCacheEnabled(on: boolean): void {
  enabled = on;
}

function cacheFor(db: Db): PerDb {
  let c = perDb.get(db);
  if (!c) perDb.set(db, (c = { local: new LRUCache<string, Entry>({ max: MAX_ENTRIES, ttl: TTL_MS }) }));
  return c;
}

/** Answers read through `db` are shared with every process given the same Redis and prefix. */
export function shareRollupCache(db: Db, shared: SharedRollupCache): void {
  cacheFor(db).shared = shared;
}

function warnOnce(shared: SharedRollupCache, err: unknown): void {
  const now = Date.now();
  if (now - lastWarn < WARN_EVERY_MS) return;
  lastWarn = now;
  shared.warn('rollup cache: Redis unavailable, computing answers in this process', err);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Through Redis: the stored answer, else compute under the key's lock, else wait for the lock's
 * holder to store it (computing here if it does not within WAIT_MS, or if Redis fails).
 */
async function sharedRead<T>(shared: SharedRollupCache, k: string, compute: () => Promise<T>): Promise<T> {
  const digest = createHash('sha1').update(k).digest('base64url');
  const valueKey = `${shared.prefix}:rollup:${digest}`;
  const lockKey = `${valueKey}:lock`;
  const ttlSeconds = Math.ceil(TTL_MS / 1000);
  let stored: string | null;
  let locked: boolean;
  try {
    // One round trip: the answer if there is one, else the lock if nobody holds it.
    const token = randomBytes(8).toString('hex');
    const r = await shared.redis.multi().get(valueKey).set(lockKey, token, 'PX', LOCK_MS, 'NX').exec();
    stored = (r?.[0]?.[1] as string | null) ?? null;
    locked = r?.[1]?.[1] === 'OK';
    if (stored !== null) {
      if (locked) await shared.redis.del(lockKey);
      return superjson.parse<T>(stored);
    }
  } catch (err) {
    warnOnce(shared, err);
    return compute();
  }
  if (locked) {
    const value = await compute();
    try {
      await shared.redis
        .multi()
        .set(valueKey, superjson.stringify(value), 'EX', ttlSeconds)
        .del(lockKey)
        .exec();
    } catch (err) {
      warnOnce(shared, err);
    }
    return value;
  }
  const until = Date.now() + WAIT_MS;
  try {
    while (Date.now() < until) {
      await sleep(POLL_MS);
      const [v, held] = await Promise.all([shared.redis.get(valueKey), shared.redis.exists(lockKey)]);
      if (v !== null) return superjson.parse<T>(v);
      // The holder gave up (its computation failed, or it died): compute here.
      if (held === 0) break;
    }
  } catch (err) {
    warnOnce(shared, err);
  }
  return compute();
}

/**
 * `compute()` once per (key, dataVersion) while the entry lives — per process, and across
 * processes when the cache is shared. A failed computation is forgotten at once, so the next
 * caller tries again instead of inheriting the error.
 */
export function cachedRollupRead<T>(
  db: Db,
  dataVersion: string,
  key: readonly unknown[],
  compute: () => Promise<T>,
): Promise<T> {
  if (!enabled || dataVersion === '') return compute();
  const { local, shared } = cacheFor(db);
  const k = `${dataVersion}|${JSON.stringify(key)}`;
  const hit = local.get(k) as Promise<T> | undefined;
  if (hit) return hit;
  const p = shared ? sharedRead(shared, k, compute) : compute();
  local.set(k, p);
  p.catch(() => {
    if (local.get(k) === p) local.delete(k);
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
