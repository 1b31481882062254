import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
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
 * and hash; a reorg changes the hash), so an answer is stored under the cursor it was computed at.
 * Concurrent callers share one in-flight query: fifty leaders opening the overview at nine o'clock
 * cost Postgres one query per distinct scope, not fifty.
 *
 * Stale while revalidating, bounded by the chain. Each question (the key without the cursor) also
 * keeps a pointer to its newest answer and the cursor it was computed at. When the cursor has
 * moved and the current cursor's answer is not computed yet, the newest answer is served at once
 * — and its recomputation for the current cursor starts in the background, once across processes
 * — provided that (1) its block is still on the stored chain, i.e. the stored header at its
 * number still has its hash (a reorg below it deletes or replaces that header, so no answer that
 * counts an orphaned block is ever served), (2) it is at most MAX_STALE_SECONDS of block time
 * behind the current cursor, and (3) the latest indexed day (every period's default end) is the
 * same. Otherwise the caller waits for the computation, as for a question never asked. An answer
 * becomes the newest only when no commit or rollback happened while it was computed (the cursor
 * row did not move), so the cursor it is labelled with is the data it read. Callers that need to
 * say which block their figures are as of use `cachedRollupReadAsOf`.
 *
 * Two layers. Each process keeps answers (and in-flight promises) in memory; when the runtime
 * shares the cache (`shareRollupCache`, one Redis for every web process) a local miss reads
 * Redis — the answer and the question's newest pointer in one round trip — and on a Redis miss
 * one process computes while the others wait for its answer, or serve the newest one meanwhile
 * (a lock per key with a short expiry): two web processes behind a balancer pay each question
 * once per cursor, not once each. Without Redis the pointers are kept per process. Redis being
 * down costs the sharing, never the answer: the process computes for itself and says so in the
 * log (once a minute at most).
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
/**
 * How far (block time of the answer's block to block time of the current cursor) a served answer
 * may trail the indexed chain. An indexer at the head commits every few seconds and the slowest
 * rollup answers take up to ~2 s to recompute at ≈ 9M events, so a minute leaves every question
 * room to be recomputed many times over while a figure is never more than a minute of chain time
 * older than the indexed block the overview reports; after a pause of the indexer (catching up
 * after an outage, a backfill) the first readers wait for answers of the current data instead.
 */
export const MAX_STALE_SECONDS = 60;

/**
 * How often a question may be recomputed while its newest answer may stand (wall clock, from the
 * start of one computation to the start of the next). Without it every block recomputes every
 * question: at ≈ 9M events with a block every 3 s that is ≈ 3 CPU s of Postgres per block, more
 * than the two cores here can give beside the web processes, and every caller queued behind it
 * (bench dashboard-http: p95 1.6 s). Readers still get an answer at once, labelled with the block
 * it is as of (`cachedRollupReadAsOf`), never more than MAX_STALE_SECONDS of block time behind.
 * Half that bound: at ≈ 9M events the six scopes' costly questions take ≈ 4 s of Postgres per
 * round, a third of a core every 10 s (p95 55–103 ms over three runs) and an eighth every 30 s
 * (52–57 ms), leaving room for a round's queue (one at a time, `refresh`) inside the bound.
 */
const REFRESH_EVERY_MS = 30_000;
/**
 * A question whose last computation took less than this (ms) is recomputed for every new cursor,
 * as if there were no interval: on a chain of ordinary size every figure follows each block, and
 * only the questions that cost Postgres real work wait for the interval.
 */
const CHEAP_MS = 50;
let refreshEveryMs = REFRESH_EVERY_MS;
let clock: () => number = Date.now;

/**
 * Tests pin the wall clock the refresh interval is measured on, or set the interval (0: every new
 * cursor recomputes at once, as before the interval existed). Called without options: defaults.
 */
export function configureRollupRefresh(o: { everyMs?: number; now?: () => number } = {}): void {
  refreshEveryMs = o.everyMs ?? REFRESH_EVERY_MS;
  clock = o.now ?? Date.now;
}

/** The cursor an answer was computed at. */
export interface AsOf {
  block: number;
  hash: string | null;
}

export interface RollupAnswer<T> {
  value: T;
  /** The cursor the value was computed at (null when nothing is indexed). */
  asOf: AsOf | null;
}

/** A question's newest answer: where it was computed (its value lives under that cursor's key). */
interface Newest {
  version: string;
  block: number;
  hash: string;
  latestDay: string;
  /** When its computation started (ms, the refresh clock); absent in pointers from before. */
  computedAt?: number;
  /** How long that computation took (ms, the refresh clock). */
  tookMs?: number;
}

/** How long after its computation began a question's newest answer stands before recomputing. */
const intervalOf = (old: Newest): number =>
  old.tookMs !== undefined && old.tookMs < CHEAP_MS ? 0 : refreshEveryMs;

/**
 * Whether the question read at `at`, whose newest answer may stand, is due for recomputation: asked
 * again by `askWhenDue`, or its interval has passed.
 */
const refreshDue = (at: ReadAt, old: Newest): boolean =>
  at.due || old.computedAt === undefined || clock() - old.computedAt >= intervalOf(old);

interface Stamped {
  value: unknown;
  asOf: AsOf | null;
  /** Computed at the current cursor (as opposed to the newest earlier answer). */
  fresh: boolean;
}

export interface SharedRollupCache {
  redis: Redis;
  /** Keeps deployments, demos and tests on one Redis apart (CACHE_PREFIX). */
  prefix: string;
  warn: (message: string, err: unknown) => void;
}

interface PerDb {
  /** Answers computed at their key's cursor (or being computed, with callers waiting). */
  local: LRUCache<string, Promise<Stamped>>;
  /** Reads under way that may yet answer with the newest earlier answer: callers share them. */
  pending: Map<string, Promise<Stamped>>;
  /** Without Redis: each question's newest answer. */
  newest: LRUCache<string, Newest & { value: unknown }>;
  /** Recomputations running in the background, by key. */
  refreshing: Map<string, Promise<void>>;
  /**
   * The end of the last background recomputation queued: they run one after another. The costly
   * questions of every scope fall due together (one interval after the last round); run at once
   * they were dozens of heavy statements on two cores with every reader's query queued behind
   * them (bench dashboard-http at ≈ 9M events). One at a time, readers keep the other core, and
   * are answered meanwhile with the newest answers, within the bounds above.
   */
  lastRefresh: Promise<void>;
  /**
   * Questions served stale without recomputing (not due yet): the newest such read per question,
   * asked again once the question is due, so figures catch up with the last block even when nobody
   * reads after it.
   */
  trailing: Map<string, { dueAt: number; timer: NodeJS.Timeout; again: () => void }>;
  /** `old version>current version` → whether the old answer may stand for the current cursor. */
  verdicts: LRUCache<string, boolean>;
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
  if (!c)
    perDb.set(
      db,
      (c = {
        local: new LRUCache<string, Promise<Stamped>>({ max: MAX_ENTRIES, ttl: TTL_MS }),
        pending: new Map(),
        newest: new LRUCache<string, Newest & { value: unknown }>({ max: MAX_ENTRIES, ttl: TTL_MS }),
        refreshing: new Map(),
        lastRefresh: Promise.resolve(),
        trailing: new Map(),
        verdicts: new LRUCache<string, boolean>({ max: MAX_ENTRIES }),
      }),
    );
  return c;
}

/** Answers read through `db` are shared with every process given the same Redis and prefix. */
export function shareRollupCache(db: Db, shared: SharedRollupCache): void {
  cacheFor(db).shared = shared;
}

/** Settles when every background recomputation started through `db` has finished. */
export async function rollupRefreshesSettled(db: Db): Promise<void> {
  const c = perDb.get(db);
  while (c && c.refreshing.size > 0) await Promise.allSettled([...c.refreshing.values()]);
}

function warnOnce(shared: SharedRollupCache, err: unknown): void {
  const now = Date.now();
  if (now - lastWarn < WARN_EVERY_MS) return;
  lastWarn = now;
  shared.warn('rollup cache: Redis unavailable, computing answers in this process', err);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const digest = (s: string) => createHash('sha1').update(s).digest('base64url');
const valueKeyOf = (shared: SharedRollupCache, k: string) => `${shared.prefix}:rollup:${digest(k)}`;

/** Where a read stands: the chain it resolved, its question and its key under the cursor. */
interface ReadAt {
  db: Db;
  c: PerDb;
  chain: DashboardChain;
  /** The question: chain and key, without the cursor. */
  q: string;
  /** The question under the current cursor. */
  k: string;
  keyJson: string;
  asOf: AsOf | null;
  newest: Newest | null;
  /** The same read again, due then (served stale now because the question is not due yet). */
  again: () => void;
  /** Asked again by `askWhenDue`: recompute whatever the clock says. */
  due: boolean;
}

/** Served stale while not due: ask `at`'s read again when the question is due. */
function askWhenDue(at: ReadAt, old: Newest): void {
  const dueAt = (old.computedAt ?? 0) + intervalOf(old);
  const t = at.c.trailing.get(at.q);
  if (t && t.dueAt === dueAt) {
    t.again = at.again;
    return;
  }
  if (t) clearTimeout(t.timer);
  const entry = {
    dueAt,
    again: at.again,
    timer: setTimeout(
      () => {
        at.c.trailing.delete(at.q);
        entry.again();
      },
      Math.max(0, dueAt - clock()),
    ),
  };
  entry.timer.unref();
  at.c.trailing.set(at.q, entry);
}

/** What the pointer of an answer computed under `chain` says. */
function newestOf(chain: DashboardChain): Newest | null {
  const cursor = chain.cursor;
  if (!cursor?.hash) return null;
  return { version: chain.dataVersion, block: cursor.block, hash: cursor.hash, latestDay: chain.latestDay };
}

/**
 * Whether the cursor row is where it was when `chain` was resolved: no commit or rollback ran in
 * between, so an answer computed meanwhile read exactly the data at that cursor.
 */
async function cursorUnmoved(db: Db, chain: DashboardChain): Promise<boolean> {
  const cursor = chain.cursor;
  if (!cursor || chain.chainId === null) return false;
  const { rows } = await db.execute<{ block: string; hash: string | null; moved: string }>(sql`
    select indexed_block::text as block, indexed_hash as hash, updated_at::text as moved
      from cursors where chain_id = ${chain.chainId}`);
  const r = rows[0];
  return (
    r !== undefined &&
    Number(r.block) === cursor.block &&
    r.hash === cursor.hash &&
    r.moved === cursor.movedAt
  );
}

/** Computes the answer at the current cursor; `promote` says whether it may become the newest. */
async function computeAt<T>(at: ReadAt, compute: () => Promise<T>): Promise<{ value: T; promote: boolean }> {
  const started = clock();
  const value = await compute();
  if (at.newest) Object.assign(at.newest, { computedAt: started, tookMs: clock() - started });
  const promote = at.newest !== null && (await cursorUnmoved(at.db, at.chain).catch(() => false));
  return { value, promote };
}

/**
 * May the newest answer, computed at `old`, stand for the current cursor? Its block must be below
 * the current one and still carry its hash in the stored headers (a reorg below it deletes or
 * replaces that header), on the same latest day, and at most MAX_STALE_SECONDS of block time
 * behind. One indexed query for both headers; the verdict for a pair of cursors never changes
 * (a reorg moves the cursor, so the current cursor names a chain), so it is kept.
 */
async function mayStandFor(at: ReadAt, old: Newest): Promise<boolean> {
  const cur = at.newest;
  if (cur === null || at.chain.chainId === null) return false;
  if (old.version === cur.version || old.block >= cur.block || old.latestDay !== cur.latestDay) return false;
  const vk = `${old.version}>${cur.version}`;
  const known = at.c.verdicts.get(vk);
  if (known !== undefined) return known;
  const id = at.chain.chainId;
  const { rows } = await at.db.execute<{ behind: string | null }>(sql`
    select extract(epoch from
             (select timestamp from blocks where chain_id = ${id} and number = ${cur.block} and hash = ${cur.hash} limit 1)
           - (select timestamp from blocks where chain_id = ${id} and number = ${old.block} and hash = ${old.hash} limit 1)
           )::text as behind`);
  const behind = rows[0]?.behind;
  const ok = behind != null && Number(behind) >= 0 && Number(behind) <= MAX_STALE_SECONDS;
  at.c.verdicts.set(vk, ok);
  return ok;
}

/** Runs `work` in the background, once per key in this process, after the ones queued before. */
function refresh(c: PerDb, k: string, work: () => Promise<void>): void {
  if (c.refreshing.has(k)) return;
  // A failed recomputation is dropped: the next reader of this cursor starts another, and once the
  // newest answer is too old readers compute in the foreground and see the error.
  const p = c.lastRefresh
    .then(work)
    .catch(() => {})
    .finally(() => c.refreshing.delete(k));
  c.lastRefresh = p;
  c.refreshing.set(k, p);
}

/** Without Redis: this process's newest answer, else compute and wait. */
async function localRead<T>(at: ReadAt, compute: () => Promise<T>): Promise<Stamped> {
  const { c } = at;
  const old = c.newest.get(at.q);
  const remember = (value: T, promote: boolean) => {
    if (promote && at.newest) c.newest.set(at.q, { ...at.newest, value });
  };
  if (old && (await mayStandFor(at, old))) {
    if (!refreshDue(at, old)) askWhenDue(at, old);
    else
      refresh(c, at.k, async () => {
        const r = await computeAt(at, compute);
        c.local.set(at.k, Promise.resolve({ value: r.value, asOf: at.asOf, fresh: true }));
        remember(r.value, r.promote);
      });
    return { value: old.value, asOf: { block: old.block, hash: old.hash }, fresh: false };
  }
  const r = await computeAt(at, compute);
  remember(r.value, r.promote);
  return { value: r.value, asOf: at.asOf, fresh: true };
}

/**
 * Through Redis: the stored answer; else the question's newest answer when it may stand for the
 * current cursor (recomputing in the background if this process got the key's lock); else compute
 * under the key's lock, or wait for the lock's holder to store it (computing here if it does not
 * within WAIT_MS, or if Redis fails).
 */
async function sharedRead<T>(
  shared: SharedRollupCache,
  at: ReadAt,
  compute: () => Promise<T>,
): Promise<Stamped> {
  const valueKey = valueKeyOf(shared, at.k);
  const lockKey = `${valueKey}:lock`;
  const newestKey = `${shared.prefix}:rollup:newest:${digest(at.q)}`;
  const ttlSeconds = Math.ceil(TTL_MS / 1000);
  const fresh = (value: unknown): Stamped => ({ value, asOf: at.asOf, fresh: true });
  let stored: string | null;
  let locked: boolean;
  let old: Newest | null;
  try {
    // One round trip: the answer if there is one, else the lock if nobody holds it, and the
    // question's newest answer's cursor.
    const token = randomBytes(8).toString('hex');
    const r = await shared.redis
      .multi()
      .get(valueKey)
      .set(lockKey, token, 'PX', LOCK_MS, 'NX')
      .get(newestKey)
      .exec();
    stored = (r?.[0]?.[1] as string | null) ?? null;
    locked = r?.[1]?.[1] === 'OK';
    const pointer = (r?.[2]?.[1] as string | null) ?? null;
    old = pointer === null ? null : (JSON.parse(pointer) as Newest);
    if (stored !== null) {
      if (locked) await shared.redis.del(lockKey);
      return fresh(superjson.parse(stored));
    }
  } catch (err) {
    warnOnce(shared, err);
    return fresh(await compute());
  }
  const computeAndStore = async (): Promise<T> => {
    let r: { value: T; promote: boolean };
    try {
      r = await computeAt(at, compute);
    } catch (err) {
      await shared.redis.del(lockKey).catch(() => {});
      throw err;
    }
    try {
      const m = shared.redis.multi().set(valueKey, superjson.stringify(r.value), 'EX', ttlSeconds);
      if (r.promote) m.set(newestKey, JSON.stringify(at.newest), 'EX', ttlSeconds);
      await m.del(lockKey).exec();
    } catch (err) {
      warnOnce(shared, err);
    }
    return r.value;
  };
  if (old !== null) {
    const stale = await staleValue(shared, at, old);
    if (stale !== undefined) {
      // Due and the lock held elsewhere: that process is recomputing it, nothing to ask again.
      if (refreshDue(at, old)) {
        if (locked)
          refresh(at.c, at.k, async () => {
            const value = await computeAndStore();
            at.c.local.set(at.k, Promise.resolve(fresh(value)));
          });
      } else {
        askWhenDue(at, old);
        if (locked) shared.redis.del(lockKey).catch((err: unknown) => warnOnce(shared, err));
      }
      return { value: stale, asOf: { block: old.block, hash: old.hash }, fresh: false };
    }
  }
  if (locked) return fresh(await computeAndStore());
  const until = Date.now() + WAIT_MS;
  try {
    while (Date.now() < until) {
      await sleep(POLL_MS);
      const [v, held] = await Promise.all([shared.redis.get(valueKey), shared.redis.exists(lockKey)]);
      if (v !== null) return fresh(superjson.parse(v));
      // The holder gave up (its computation failed, or it died): compute here.
      if (held === 0) break;
    }
  } catch (err) {
    warnOnce(shared, err);
  }
  return fresh(await compute());
}

/**
 * The newest answer's value when it may stand for the current cursor: from this process's memory
 * if it holds it, else from Redis (read while the headers are checked). Undefined otherwise.
 */
async function staleValue(shared: SharedRollupCache, at: ReadAt, old: Newest): Promise<unknown> {
  const oldK = `${old.version}|${at.keyJson}`;
  const mine = at.c.local.get(oldK);
  const [ok, value] = await Promise.all([
    mayStandFor(at, old).catch(() => false),
    mine
      ? mine.then(
          (s) => ({ found: true, value: s.value }),
          () => ({ found: false, value: undefined }),
        )
      : shared.redis.get(valueKeyOf(shared, oldK)).then(
          (v) =>
            v === null ? { found: false, value: undefined } : { found: true, value: superjson.parse(v) },
          (err: unknown) => {
            warnOnce(shared, err);
            return { found: false, value: undefined };
          },
        ),
  ]);
  return ok && value.found ? value.value : undefined;
}

/**
 * `compute()` once per (key, cursor) while the entry lives — per process, and across processes
 * when the cache is shared — answering meanwhile with the question's newest answer where the
 * chain allows (see the module comment). A failed computation is forgotten at once, so the next
 * caller tries again instead of inheriting the error.
 */
export function cachedRollupReadAsOf<T>(
  db: Db,
  chain: DashboardChain,
  key: readonly unknown[],
  compute: () => Promise<T>,
): Promise<RollupAnswer<T>> {
  return readAsOf(db, chain, key, compute, false);
}

async function readAsOf<T>(
  db: Db,
  chain: DashboardChain,
  key: readonly unknown[],
  compute: () => Promise<T>,
  due: boolean,
): Promise<RollupAnswer<T>> {
  const asOf = chain.cursor ? { block: chain.cursor.block, hash: chain.cursor.hash } : null;
  if (!enabled || chain.dataVersion === '') return { value: await compute(), asOf };
  const c = cacheFor(db);
  const keyJson = JSON.stringify(key);
  const k = `${chain.dataVersion}|${keyJson}`;
  let p = c.local.get(k) ?? c.pending.get(k);
  if (!p) {
    const at: ReadAt = {
      db,
      c,
      chain,
      q: `${chain.chainId}|${keyJson}`,
      k,
      keyJson,
      asOf,
      newest: newestOf(chain),
      // Only while the cursor is still where this read found it: `compute` was made for that
      // chain (its latest day, its period), and after a new block the next reader finds the
      // question due and starts the recomputation itself.
      again: () =>
        void resolveChain(db, chain.chainId ?? undefined)
          .then((now) =>
            now.dataVersion === chain.dataVersion ? readAsOf(db, chain, key, compute, true) : null,
          )
          .catch(() => {}),
      due,
    };
    const read = c.shared ? sharedRead(c.shared, at, compute) : localRead(at, compute);
    p = read;
    c.pending.set(k, read);
    read
      .then(
        (r) => {
          if (r.fresh && !c.local.has(k)) c.local.set(k, read);
        },
        () => {},
      )
      .finally(() => {
        if (c.pending.get(k) === read) c.pending.delete(k);
      });
  }
  const r = await p;
  return { value: r.value as T, asOf: r.asOf };
}

/** `cachedRollupReadAsOf` for callers that do not say which block their figures are as of. */
export async function cachedRollupRead<T>(
  db: Db,
  chain: DashboardChain,
  key: readonly unknown[],
  compute: () => Promise<T>,
): Promise<T> {
  return (await cachedRollupReadAsOf(db, chain, key, compute)).value;
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
  return cachedRollupRead(db, chain, key, () => read(chain));
}
