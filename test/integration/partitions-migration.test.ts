import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate';
import { PARTITIONED_TABLES } from '../../db/partitions';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { MONTH_CHAIN_GENESIS, seedMonthChain } from '../helpers/month-chain';

/**
 * Migration 0017 converts an existing database: a database at the schema before it (0016) holding
 * an indexed three-month chain is migrated, and every row of every table the indexer writes must
 * come out identical, each in its month's partition, nothing in the default partitions.
 */

let h: IndexerHarness;
let ctx: IndexerContext;
let old: { url: string; pool: pg.Pool };
let perMonth: Awaited<ReturnType<typeof seedMonthChain>>['perMonth'];

const OTHER_TABLES = ['cursors', 'indexed_ranges', 'malformed_logs'] as const;
const TABLES = [...INDEXED_TABLES, ...OTHER_TABLES];

/** The migrations up to and including 0016, as a folder of their own. */
function migrationsBefore0017(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lj-mig-'));
  cpSync(join(process.cwd(), 'db', 'migrations'), dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= 16);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

async function columnsOf(pool: pg.Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/**
 * Copies a table's rows (the columns both schemas have) from the indexed database into the old one.
 * Raw events come from chain_events: before migration 0024 DataAccessed had raw rows too.
 */
async function copyTable(from: pg.Pool, to: pg.Pool, table: string): Promise<void> {
  const cols = (await columnsOf(to, table)).map((c) => `"${c}"`).join(', ');
  const source = table === 'events' ? 'chain_events' : table;
  const src = await from.connect();
  const dst = await to.connect();
  try {
    await pipeline(
      src.query(copyTo(`COPY (SELECT ${cols} FROM ${source}) TO STDOUT`)),
      dst.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`)),
    );
  } finally {
    src.release();
    dst.release();
  }
}

/** Every row of a table as text, in a stable order. */
/** A table's rows as text: all columns, or only `columns` (those a later migration did not add). */
async function contents(pool: pg.Pool, table: string, columns?: string[]): Promise<string[]> {
  const row = columns ? `(${columns.map((c) => `t."${c}"`).join(', ')})` : 't';
  const { rows } = await pool.query<{ r: string }>(`SELECT ${row}::text AS r FROM ${table} t ORDER BY 1`);
  return rows.map((r) => r.r);
}

beforeAll(async () => {
  h = await createIndexerHarness({ genesisTimestamp: MONTH_CHAIN_GENESIS });
  ({ perMonth } = await seedMonthChain(h));
  ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);

  const url = new URL(h.db.url);
  url.pathname = `${url.pathname}_old`;
  old = { url: url.toString(), pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) };
  const admin = new URL(h.db.url);
  admin.pathname = '/postgres';
  const a = new pg.Client({ connectionString: admin.toString() });
  await a.connect();
  await a.query(`CREATE DATABASE "${url.pathname.slice(1)}"`);
  await a.end();
  const c = new pg.Client({ connectionString: old.url });
  await c.connect();
  await migrate(drizzle(c), { migrationsFolder: migrationsBefore0017() });
  await c.end();
  // Rows as the indexer wrote them, into the schema before partitions (incidents before their evidence).
  for (const t of TABLES) await copyTable(h.db.pool, old.pool, t);
}, 180_000);

afterAll(async () => {
  await old?.pool.end();
  if (old) {
    const admin = new URL(h.db.url);
    admin.pathname = '/postgres';
    const a = new pg.Client({ connectionString: admin.toString() });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS "${new URL(old.url).pathname.slice(1)}" WITH (FORCE)`);
    await a.end();
  }
  await ctx?.dbh.close();
  await h?.close();
});

describe('migration 0017 on an existing database', () => {
  it('the database before the migration holds the chain in plain tables', async () => {
    const { rows } = await old.pool.query<{ relkind: string }>(
      `SELECT relkind::text FROM pg_class WHERE relname = 'events'`,
    );
    expect(rows).toEqual([{ relkind: 'r' }]);
    expect(await columnsOf(old.pool, 'incident_evidence')).not.toContain('block_time');
    const n = await old.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(n.rows[0]!.n).toBe(27);
  });

  it('converts it: every row kept exactly, each in its month, the default partitions empty', async () => {
    // Compared over the columns the tables had before: later migrations may add some (0018: facts).
    const before = new Map<string, { columns: string[]; rows: string[] }>();
    for (const t of TABLES) {
      if (t === 'incident_evidence') continue;
      const columns = await columnsOf(old.pool, t);
      before.set(t, { columns, rows: await contents(old.pool, t, columns) });
    }
    await migrateDatabase(old.url);

    for (const { table } of PARTITIONED_TABLES) {
      const { rows } = await old.pool.query<{ relkind: string }>(
        `SELECT relkind::text FROM pg_class WHERE relname = $1`,
        [table],
      );
      expect(rows, table).toEqual([{ relkind: 'p' }]);
    }
    // Migration 0024 moved DataAccessed out of `events`: the raw shape is chain_events, exactly.
    for (const [t, b] of before)
      expect(await contents(old.pool, t === 'events' ? 'chain_events' : t, b.columns), t).toEqual(b.rows);
    const moved = await old.pool.query<{ raw: number; typed: number }>(
      `SELECT (SELECT count(*)::int FROM events WHERE event_name = 'DataAccessed') AS raw,
              (SELECT count(*)::int FROM accesses WHERE tx_index IS NOT NULL AND address_id IS NOT NULL) AS typed`,
    );
    expect(moved.rows[0]).toEqual({ raw: 0, typed: 12 });
    // Evidence gained its block time from its block: the same as the indexer writes today.
    expect(await contents(old.pool, 'incident_evidence')).toEqual(
      await contents(h.db.pool, 'incident_evidence'),
    );
    expect((await contents(old.pool, 'incident_evidence')).length).toBeGreaterThan(0);

    for (const table of ['events', 'accesses', 'cases'] as const) {
      const { rows } = await old.pool.query<{ part: string; n: number }>(
        `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM ${table} GROUP BY 1 ORDER BY 1`,
      );
      const want = Object.entries(perMonth)
        .filter(([, c]) => c[table] > 0)
        .map(([m, c]) => ({ part: `${table}_${m.replace('-', '_')}`, n: c[table] }));
      expect(rows, table).toEqual(want);
    }
    for (const { table } of PARTITIONED_TABLES) {
      const d = await old.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}_default`);
      expect(d.rows[0]!.n, `${table}_default`).toBe(0);
    }
  });

  it('the indexer wrote the same partitions on the new schema, and kept the first row of a repeated case id', async () => {
    const { rows } = await h.db.pool.query<{ part: string; channel: number }>(
      `SELECT tableoid::regclass::text AS part, channel FROM cases ORDER BY block_time`,
    );
    expect(rows).toEqual([
      { part: 'cases_2025_01', channel: 3 },
      { part: 'cases_2025_02', channel: 2 },
    ]);
    // The months the chain touched and the month after its last block, for every table.
    const parts = await h.db.pool.query<{ part: string }>(
      `SELECT c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
    );
    expect(parts.rows.map((r) => r.part)).toEqual([
      'events_2025_01',
      'events_2025_02',
      'events_2025_03',
      'events_2025_04',
      'events_default',
    ]);
  });
});
