import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMonthPartitions } from '~/db/partitions';
import { analyzeIfStale } from '~/workers/indexer/analyze';
import { createTestDb, type TestDb } from '../helpers/db';

/*
 * The indexer refreshes planner statistics itself (autovacuum may be off). A partitioned table's
 * rows are in its months, which Postgres counts and the parent it does not: a first version asked
 * only for the parents' change counts, left every month of `accesses` without statistics after a
 * backfill, and the dashboard at 9M events answered in minutes. Months far from today's, so that
 * the partitions a migration makes for the present stay empty and out of the way.
 */

let db: TestDb;
/** One connection that writes and then flushes its change counts, so the next read sees them. */
let writer: pg.Client;

beforeAll(async () => {
  db = await createTestDb();
  await ensureMonthPartitions(db.pool, ['2031-03', '2031-04']);
  writer = new pg.Client({ connectionString: db.url });
  await writer.connect();
});
afterAll(async () => {
  await writer.end();
  await db.drop();
});

async function write(sql: string): Promise<void> {
  await writer.query(sql);
  // Counts reach the shared statistics when the backend goes idle, at most once a second unless
  // forced: forced, they are there before this statement's reply.
  await writer.query('SELECT pg_stat_force_next_flush()');
}

/** `n` blocks from `first`, one a minute from the start of `month` (Asia/Shanghai). */
const blocks = (first: number, n: number, month: string) =>
  `INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp)
   SELECT 1, g, '0x' || lpad(to_hex(g), 64, '0'), '0x' || lpad(to_hex(g - 1), 64, '0'),
          timestamptz '${month}-01 00:00:00+08' + (g - ${first}) * interval '1 minute'
     FROM generate_series(${first}, ${first + n - 1}) g`;

/** How many histogram bounds the statistics of `relation`.`column` hold (target + 1 at most). */
async function histogramBounds(relation: string, column: string): Promise<number | null> {
  const { rows } = await db.pool.query<{ n: number | null }>(
    `SELECT cardinality(histogram_bounds::text::text[]) AS n FROM pg_stats
     WHERE tablename = $1 AND attname = $2`,
    [relation, column],
  );
  return rows[0]?.n ?? null;
}

async function analyzedAt(relation: string): Promise<Date | null> {
  const { rows } = await db.pool.query<{ at: Date | null }>(
    'SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = $1',
    [relation],
  );
  return rows[0]?.at ?? null;
}

describe('planner statistics of the tables the indexer writes', () => {
  it('a fresh database has nothing to analyze', async () => {
    expect(await analyzeIfStale(db.pool, true)).toEqual([]);
  });

  it('a partitioned table whose months changed enough is analyzed as a whole, every month with it', async () => {
    await write(blocks(1, 1000, '2031-03'));
    await write(blocks(1001, 100, '2031-04'));
    expect(await analyzeIfStale(db.pool, true)).toEqual(['blocks']);
    expect(await analyzedAt('blocks_2031_03')).not.toBeNull();
    expect(await analyzedAt('blocks_2031_04')).not.toBeNull();
    const { rows } = await db.pool.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples FROM pg_class WHERE relname IN ('blocks_2031_03', 'blocks_2031_04') ORDER BY 1`,
    );
    expect(rows).toEqual([
      { relname: 'blocks_2031_03', reltuples: 1000 },
      { relname: 'blocks_2031_04', reltuples: 100 },
    ]);
    // Sampled at statistics target 10, not the default 100: 11 bounds of 1,000 distinct numbers.
    expect(await histogramBounds('blocks_2031_03', 'number')).toBe(11);
    expect(await analyzeIfStale(db.pool, true)).toEqual([]);
  });

  it('one month that changed enough, while the whole did not, is analyzed alone', async () => {
    // April: 100 rows analyzed, so more than 50 + 10 = 60 changes make it stale; the table as a
    // whole (1,100 rows) needs more than 160.
    const march = await analyzedAt('blocks_2031_03');
    await write(blocks(1101, 61, '2031-04'));
    expect(await analyzeIfStale(db.pool, true)).toEqual(['blocks_2031_04']);
    expect(await analyzedAt('blocks_2031_03')).toEqual(march);
  });

  it('right after a sync, months analyzed before stand, and a month never analyzed is analyzed', async () => {
    await ensureMonthPartitions(db.pool, ['2031-05']);
    await write(blocks(1162, 200, '2031-03'));
    await write(blocks(1362, 70, '2031-05'));
    expect(await analyzeIfStale(db.pool, true, { analyzedStand: true })).toEqual(['blocks_2031_05']);
    // Otherwise March's 200 changes (of 1,000 analyzed rows; 1,231 in all, 173 needed) make the whole stale.
    expect(await analyzeIfStale(db.pool, true)).toEqual(['blocks']);
  });

  it('a table that is not partitioned is analyzed by its own count', async () => {
    await write(
      `INSERT INTO events_daily (chain_id, day, event_name, count)
       SELECT 1, '2031-03-01', 'E' || g, g FROM generate_series(1, 51) g`,
    );
    expect(await analyzeIfStale(db.pool, true)).toEqual(['events_daily']);
    // At the default target: every one of the 51 distinct counts is a bound.
    expect(await histogramBounds('events_daily', 'count')).toBe(51);
    expect(await analyzeIfStale(db.pool, true)).toEqual([]);
  });

  it('right after a sync, a table analyzed before stands until it more than doubled', async () => {
    const regionDays = (from: number, n: number) =>
      `INSERT INTO flow_region_daily (chain_id, day, owner_region, accessor_region, mode, accesses, records)
       SELECT 1, '2031-03-01', g, 1, 1, 1, 1 FROM generate_series(${from}, ${from + n - 1}) g`;
    await write(regionDays(1, 100));
    expect(await analyzeIfStale(db.pool, true)).toEqual(['flow_region_daily']);
    const analyzed = await analyzedAt('flow_region_daily');
    // 70 changes of 100 analyzed rows: stale (more than 50 + 10), yet the statistics describe most rows.
    await write(regionDays(101, 70));
    expect(await analyzeIfStale(db.pool, true, { analyzedStand: true })).toEqual([]);
    expect(await analyzedAt('flow_region_daily')).toEqual(analyzed);
    // 101 changes: more than the 100 rows analyzed, so they describe under half the table.
    await write(regionDays(171, 31));
    expect(await analyzeIfStale(db.pool, true, { analyzedStand: true })).toEqual(['flow_region_daily']);
  });
});
