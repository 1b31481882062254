import type pg from 'pg';
import { INDEXED_TABLES } from '~/db/indexed-tables';

const EVERY_MS = 10 * 60_000;
let lastRun = 0;

/**
 * Of the tables the indexer writes (the dashboard's plans depend on their statistics), those
 * whose rows changed by more than autovacuum's own analyze threshold (50 rows + 10%)
 * since their statistics were taken: the ones a fresh ANALYZE actually improves.
 */
async function staleTables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ relname: string }>(
    `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = current_schema() AND s.relname = ANY($1::text[])
       AND s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`,
    [INDEXED_TABLES],
  );
  return rows.map((r) => r.relname);
}

/**
 * Refreshes planner statistics after bulk loads. Autovacuum may be off (it is on the machines this
 * was built on), and a planner that believes `accesses` has one row nested-loops over millions.
 * Runs at most every ten minutes per process unless forced; only tables that changed enough are
 * analyzed, one per pooled connection at a time (side by side, they use every core Postgres has).
 * Returns the tables analyzed.
 */
export async function analyzeIfStale(pool: pg.Pool, force = false): Promise<string[]> {
  if (!force && Date.now() - lastRun < EVERY_MS) return [];
  lastRun = Date.now();
  const tables = await staleTables(pool);
  const queue = [...tables];
  const lanes = Math.max(1, Math.min(queue.length, pool.options.max ?? 4, 4));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await pool.query(`ANALYZE ${t}`);
    }),
  );
  return tables;
}
