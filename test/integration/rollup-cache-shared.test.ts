import { and, eq, gt, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { blocks, cursors } from '../../db/schema/chain';
import { eventsDaily } from '../../db/schema/rollups';
import { resolveChain } from '../../server/services/chain-select';
import {
  cachedRollupReadAsOf,
  configureRollupRefresh,
  MAX_STALE_SECONDS,
  readRollups,
  rollupRefreshesSettled,
  shareRollupCache,
} from '../../server/services/rollup-cache';
import type { Scope } from '../../server/scope';
import { createTestDb, testQueuePrefix, type TestDb } from '../helpers/db';

/**
 * Two web processes = two pools on one database, each with its own in-process cache, sharing one
 * Redis under one prefix (as server/db.ts wires them).
 */
let db: TestDb;
let a: DbHandle;
let b: DbHandle;
let redis: Redis;
const prefix = testQueuePrefix();
const warnings: string[] = [];
const nation: Scope = { regionCode: null };
const now = new Date('2026-03-01T04:00:00Z');

beforeAll(async () => {
  // Every new cursor recomputes at once here; the interval between recomputations has its own test.
  configureRollupRefresh({ everyMs: 0 });
  db = await createTestDb();
  a = createDb(db.url, { max: 2 });
  b = createDb(db.url, { max: 2 });
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  for (const h of [a, b]) shareRollupCache(h.db, { redis, prefix, warn: (m) => void warnings.push(m) });
  await db.db
    .insert(cursors)
    .values({ chainId: 31337, indexedBlock: 100, indexedHash: `0x${'1'.repeat(64)}` });
});

afterAll(async () => {
  configureRollupRefresh();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await a.close();
  await b.close();
  await db.drop();
});

/** A rollup read whose answer says which process computed it, and how many times it ran. */
interface Answer {
  by: string;
  version: string;
  at: Date;
}

/** `onCompute` runs as each computation starts (a test's clock may advance there). */
function reader(name: string, onCompute: () => void = () => {}) {
  let runs = 0;
  /** While set, computations wait for it: a recomputation still running. */
  let gate: Promise<void> | null = null;
  return {
    runs: () => runs,
    hold: () => {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
    read: (h: DbHandle, by: string, input: { chainId?: number; region?: number } = {}) =>
      readRollups<Answer, { chainId?: number; region?: number; now: Date }>(
        h.db,
        nation,
        name,
        { ...input, now },
        async (chain) => {
          runs += 1;
          onCompute();
          if (gate) await gate;
          return { by, version: chain.dataVersion, at: new Date(0) };
        },
      ),
  };
}

/**
 * A chain of its own for the stale-while-revalidate cases, written as the indexer commits: the
 * block's header and the cursor in one transaction (the cursor row's time moves with every commit).
 */
const SWR_CHAIN = 7;
const t0 = Date.parse('2026-03-01T03:00:00Z');
const hashOf = (n: number, fork = 'a'): `0x${string}` => `0x${fork}${String(n).padStart(63, '0')}`;
const versionOf = (n: number, fork = 'a') => `${SWR_CHAIN}:${n}:${hashOf(n, fork)}`;

async function commit(n: number, seconds: number, fork = 'a'): Promise<void> {
  await db.db.transaction(async (tx) => {
    await tx.insert(blocks).values({
      chainId: SWR_CHAIN,
      number: n,
      hash: hashOf(n, fork),
      parentHash: hashOf(n - 1, fork),
      timestamp: new Date(t0 + seconds * 1000),
    });
    await tx
      .insert(cursors)
      .values({ chainId: SWR_CHAIN, indexedBlock: n, indexedHash: hashOf(n, fork) })
      .onConflictDoUpdate({
        target: cursors.chainId,
        set: { indexedBlock: n, indexedHash: hashOf(n, fork), updatedAt: sql`clock_timestamp()` },
      });
  });
}

/** A reorg as the indexer rolls back: headers above `ancestor` deleted, the cursor moved back. */
async function rollBackTo(ancestor: number): Promise<void> {
  await db.db.transaction(async (tx) => {
    await tx.delete(blocks).where(and(eq(blocks.chainId, SWR_CHAIN), gt(blocks.number, ancestor)));
    await tx
      .update(cursors)
      .set({ indexedBlock: ancestor, indexedHash: hashOf(ancestor), updatedAt: sql`clock_timestamp()` })
      .where(eq(cursors.chainId, SWR_CHAIN));
  });
}

describe('rollup cache shared by two web processes', () => {
  it('the second process reads the answer the first computed (dates intact)', async () => {
    const r = reader('shared.first');
    const first = await r.read(a, 'a');
    const second = await r.read(b, 'b');
    expect(first).toEqual({ by: 'a', version: `31337:100:0x${'1'.repeat(64)}`, at: new Date(0) });
    expect(second).toEqual(first);
    expect(second.at).toBeInstanceOf(Date);
    expect(r.runs()).toBe(1);
  });

  it('both asking at once: one computes, the other waits for its answer', async () => {
    const r = reader('shared.together');
    const [x, y] = await Promise.all([r.read(a, 'a'), r.read(b, 'b')]);
    expect(x).toEqual(y);
    expect(r.runs()).toBe(1);
  });

  it('a new cursor whose header is not stored misses in both processes: the old answer is never served', async () => {
    const r = reader('shared.cursor');
    await r.read(a, 'a');
    await db.db
      .update(cursors)
      .set({ indexedBlock: 101, indexedHash: `0x${'2'.repeat(64)}` })
      .where(eq(cursors.chainId, 31337));
    const after = await r.read(b, 'b');
    expect(after).toMatchObject({ by: 'b', version: `31337:101:0x${'2'.repeat(64)}` });
    expect(await r.read(a, 'a')).toEqual(after);
    expect(r.runs()).toBe(2);
  });

  it('different inputs never share an answer', async () => {
    const r = reader('shared.inputs');
    await r.read(a, 'a', { region: 440000 });
    const other = await r.read(b, 'b', { region: 110000 });
    expect(other.by).toBe('b');
    expect(r.runs()).toBe(2);
  });

  it('after a commit both processes serve the previous answer at once; one recomputes it for both', async () => {
    // The latest indexed day is fixed by the data, not by the wall clock.
    await db.db
      .insert(eventsDaily)
      .values({ chainId: SWR_CHAIN, day: '2026-03-01', eventName: 'X', count: 1 });
    await commit(200, 0);
    const r = reader('swr.commit');
    const chain7 = { chainId: SWR_CHAIN };
    const before = await r.read(a, 'a', chain7);
    expect(before).toMatchObject({ by: 'a', version: versionOf(200) });

    await commit(201, 3);
    const release = r.hold();
    // The recomputation for block 201 is held: these reads can only return without waiting for it.
    expect(await r.read(a, 'a', chain7)).toEqual(before);
    expect(await r.read(b, 'b', chain7)).toEqual(before);
    expect(await r.read(a, 'a', chain7)).toEqual(before);
    expect(r.runs()).toBe(2);

    release();
    await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
    const after = await r.read(b, 'b', chain7);
    expect(after).toEqual({ by: 'a', version: versionOf(201), at: new Date(0) });
    expect(await r.read(a, 'a', chain7)).toEqual(after);
    expect(r.runs()).toBe(2);
  });

  it('after a reorg below the newest answer it is never served: the caller waits for the new chain', async () => {
    const r = reader('swr.reorg');
    const chain7 = { chainId: SWR_CHAIN };
    await commit(202, 6);
    expect(await r.read(a, 'a', chain7)).toMatchObject({ version: versionOf(202) });
    // Blocks 201 and 202 are orphaned; the new fork's 201 to 203 replace them.
    await rollBackTo(200);
    await commit(201, 4, 'b');
    await commit(202, 5, 'b');
    await commit(203, 7, 'b');
    const release = r.hold();
    const read = r.read(b, 'b', chain7);
    // Block 202 is below the new cursor and 4 s behind it, but its header is not the chain's: the
    // read waits for the computation on the new fork (the held one).
    await expect.poll(() => r.runs()).toBe(2);
    release();
    expect(await read).toMatchObject({ by: 'b', version: versionOf(203, 'b') });
    expect(await r.read(a, 'a', chain7)).toMatchObject({ by: 'b', version: versionOf(203, 'b') });
    expect(r.runs()).toBe(2);
  });

  it(`an answer more than ${MAX_STALE_SECONDS} s of block time behind the cursor is not served`, async () => {
    const r = reader('swr.bound');
    const chain7 = { chainId: SWR_CHAIN };
    await commit(204, 10, 'b');
    expect(await r.read(a, 'a', chain7)).toMatchObject({ version: versionOf(204, 'b') });
    await commit(205, 10 + MAX_STALE_SECONDS + 1, 'b');
    expect(await r.read(b, 'b', chain7)).toMatchObject({ by: 'b', version: versionOf(205, 'b') });
    // Exactly at the bound it is still served.
    await commit(206, 10 + 2 * MAX_STALE_SECONDS + 1, 'b');
    expect(await r.read(a, 'a', chain7)).toMatchObject({ by: 'b', version: versionOf(205, 'b') });
    await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
    expect(await r.read(b, 'b', chain7)).toMatchObject({ by: 'a', version: versionOf(206, 'b') });
    expect(r.runs()).toBe(3);
  });

  it('without Redis a process keeps its own newest answers and says which block they are as of', async () => {
    const solo = createDb(db.url, { max: 1 });
    try {
      let runs = 0;
      const read = async (key: string) => {
        const chain = await resolveChain(solo.db, SWR_CHAIN);
        return cachedRollupReadAsOf(solo.db, chain, ['solo', key], () => {
          runs += 1;
          return Promise.resolve(chain.dataVersion);
        });
      };
      expect(await read('k')).toEqual({
        value: versionOf(206, 'b'),
        asOf: { block: 206, hash: hashOf(206, 'b') },
      });
      await commit(207, 10 + 2 * MAX_STALE_SECONDS + 4, 'b');
      expect(await read('k')).toEqual({
        value: versionOf(206, 'b'),
        asOf: { block: 206, hash: hashOf(206, 'b') },
      });
      await rollupRefreshesSettled(solo.db);
      expect(await read('k')).toEqual({
        value: versionOf(207, 'b'),
        asOf: { block: 207, hash: hashOf(207, 'b') },
      });
      expect(runs).toBe(2);
      // Another question (another day, another filter) never borrows this one's answer.
      expect(await read('other')).toMatchObject({ asOf: { block: 207 } });
      expect(runs).toBe(3);
    } finally {
      await solo.close();
    }
  });

  it('an answer computed while the indexer committed is not kept as the newest', async () => {
    const r = reader('swr.moved');
    const chain7 = { chainId: SWR_CHAIN };
    const release = r.hold();
    const first = r.read(a, 'a', chain7);
    await expect.poll(() => r.runs()).toBe(1);
    await commit(208, 10 + 2 * MAX_STALE_SECONDS + 6, 'b');
    release();
    // Labelled block 207, it may have read block 208's rows: it stands for 207 only.
    expect(await first).toMatchObject({ version: versionOf(207, 'b') });
    expect(await r.read(b, 'b', chain7)).toMatchObject({ by: 'b', version: versionOf(208, 'b') });
    expect(r.runs()).toBe(2);
  });

  it('a costly question is recomputed at most once per interval; the last block is caught up without a reader', async () => {
    let clock = Date.parse('2026-03-01T05:00:00Z');
    configureRollupRefresh({ everyMs: 10_000, now: () => clock });
    try {
      // Each computation of this question takes 100 ms of the interval's clock; a cheap one, none.
      const r = reader('swr.interval', () => {
        clock += 100;
      });
      const cheap = reader('swr.cheap');
      const chain7 = { chainId: SWR_CHAIN };
      await commit(209, 10 + 2 * MAX_STALE_SECONDS + 7, 'b');
      expect(await r.read(a, 'a', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      expect(await cheap.read(a, 'a', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      expect(r.runs()).toBe(1);

      // A block 1 s later (of the interval's clock): both processes serve block 209's answer and
      // nobody recomputes (the answer is asked again when due, 9 s from now).
      await commit(210, 10 + 2 * MAX_STALE_SECONDS + 8, 'b');
      clock += 1_000;
      expect(await r.read(a, 'a', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      expect(await r.read(b, 'b', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
      expect(r.runs()).toBe(1);
      // The cheap question follows the block as if there were no interval.
      expect(await cheap.read(b, 'b', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
      expect(await cheap.read(a, 'a', chain7)).toMatchObject({ version: versionOf(210, 'b') });
      expect(cheap.runs()).toBe(2);

      // Due: the reader still gets the answer at once, and one process recomputes for both.
      clock += 9_000;
      expect(await r.read(b, 'b', chain7)).toMatchObject({ version: versionOf(209, 'b') });
      await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
      expect(r.runs()).toBe(2);
      expect(await r.read(a, 'a', chain7)).toMatchObject({ by: 'b', version: versionOf(210, 'b') });

      // The last block before the chain goes quiet: served stale 1 ms before the question is due,
      // then recomputed when it is due with no further read.
      await commit(211, 10 + 2 * MAX_STALE_SECONDS + 9, 'b');
      clock += 9_899;
      expect(await r.read(a, 'a', chain7)).toMatchObject({ version: versionOf(210, 'b') });
      await expect.poll(() => r.runs()).toBe(3);
      await Promise.all([rollupRefreshesSettled(a.db), rollupRefreshesSettled(b.db)]);
      expect(await r.read(b, 'b', chain7)).toMatchObject({ version: versionOf(211, 'b') });
      expect(r.runs()).toBe(3);
    } finally {
      configureRollupRefresh({ everyMs: 0 });
    }
  });

  it('a due question whose recomputation another process holds is served stale there, and not asked again meanwhile', async () => {
    let clock = Date.parse('2026-03-01T06:00:00Z');
    configureRollupRefresh({ everyMs: 10_000, now: () => clock });
    // Process d's Redis commands counted: each read is one MULTI round trip.
    let multis = 0;
    const counting = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop === 'multi') multis += 1;
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
    const c = createDb(db.url, { max: 2 });
    const d = createDb(db.url, { max: 2 });
    shareRollupCache(c.db, { redis, prefix, warn: (m) => void warnings.push(m) });
    shareRollupCache(d.db, { redis: counting, prefix, warn: (m) => void warnings.push(m) });
    try {
      const r = reader('swr.held', () => {
        clock += 100;
      });
      const chain7 = { chainId: SWR_CHAIN };
      await commit(212, 10 + 2 * MAX_STALE_SECONDS + 10, 'b');
      expect(await r.read(c, 'c', chain7)).toMatchObject({ version: versionOf(212, 'b') });
      await commit(213, 10 + 2 * MAX_STALE_SECONDS + 11, 'b');
      clock += 10_000;

      // Due: c serves block 212's answer and recomputes, held until released.
      const release = r.hold();
      expect(await r.read(c, 'c', chain7)).toMatchObject({ version: versionOf(212, 'b') });
      await expect.poll(() => r.runs()).toBe(2);
      // d finds it due too, with the lock held by c: the stale answer, one round trip, and no
      // timer asking again (which would re-read it every turn until c finished).
      multis = 0;
      expect(await r.read(d, 'd', chain7)).toMatchObject({ version: versionOf(212, 'b') });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(multis).toBe(1);

      release();
      await rollupRefreshesSettled(c.db);
      expect(await r.read(d, 'd', chain7)).toMatchObject({ by: 'c', version: versionOf(213, 'b') });
      expect(r.runs()).toBe(2);
    } finally {
      configureRollupRefresh({ everyMs: 0 });
      await c.close();
      await d.close();
    }
  });

  it('background recomputations in one process run one after another, each reader answered meanwhile', async () => {
    const x = reader('swr.queue.x');
    const y = reader('swr.queue.y');
    const chain7 = { chainId: SWR_CHAIN };
    await commit(214, 10 + 2 * MAX_STALE_SECONDS + 12, 'b');
    expect(await x.read(a, 'a', chain7)).toMatchObject({ version: versionOf(214, 'b') });
    expect(await y.read(a, 'a', chain7)).toMatchObject({ version: versionOf(214, 'b') });
    await commit(215, 10 + 2 * MAX_STALE_SECONDS + 13, 'b');

    // Both due at the new block: both readers get block 214's answers at once; x's recomputation
    // runs, y's waits for it to end.
    const releaseX = x.hold();
    const releaseY = y.hold();
    expect(await x.read(a, 'a', chain7)).toMatchObject({ version: versionOf(214, 'b') });
    expect(await y.read(a, 'a', chain7)).toMatchObject({ version: versionOf(214, 'b') });
    await expect.poll(() => x.runs()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(y.runs()).toBe(1);
    releaseX();
    await expect.poll(() => y.runs()).toBe(2);
    releaseY();
    await rollupRefreshesSettled(a.db);
    expect(await x.read(b, 'b', chain7)).toMatchObject({ by: 'a', version: versionOf(215, 'b') });
    expect(await y.read(b, 'b', chain7)).toMatchObject({ by: 'a', version: versionOf(215, 'b') });
  });

  it('Redis down: each process computes its answer, logs why once, and raises nothing', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    down.on('error', () => {});
    const c = createDb(db.url, { max: 1 });
    const d = createDb(db.url, { max: 1 });
    const logged: string[] = [];
    for (const h of [c, d]) shareRollupCache(h.db, { redis: down, prefix, warn: (m) => void logged.push(m) });
    try {
      const r = reader('shared.outage');
      expect(await r.read(c, 'c')).toMatchObject({ by: 'c' });
      expect(await r.read(d, 'd')).toMatchObject({ by: 'd' });
      expect(r.runs()).toBe(2);
      expect(logged).toEqual(['rollup cache: Redis unavailable, computing answers in this process']);
    } finally {
      down.disconnect();
      await c.close();
      await d.close();
    }
  });
});
