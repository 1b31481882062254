import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { cursors } from '../../db/schema/chain';
import { readRollups, shareRollupCache } from '../../server/services/rollup-cache';
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

function reader(name: string) {
  let runs = 0;
  return {
    runs: () => runs,
    read: (h: DbHandle, by: string, input: { region?: number } = {}) =>
      readRollups<Answer, { chainId?: number; region?: number; now: Date }>(
        h.db,
        nation,
        name,
        { ...input, now },
        (chain) => {
          runs += 1;
          return Promise.resolve({ by, version: chain.dataVersion, at: new Date(0) });
        },
      ),
  };
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

  it('a new cursor misses in both processes: the old answer is never served', async () => {
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
