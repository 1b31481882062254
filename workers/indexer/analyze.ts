import type pg from 'pg';
import { INDEXED_TABLES } from '~/db/indexed-tables';

const EVERY_MS = 10 * 60_000;
let lastRun = 0;

/**
 * Refreshes planner statistics after bulk loads. Autovacuum may be off (it is on the machines this
 * was built on), and a planner that believes `accesses` has one row nested-loops over millions.
 * Runs at most every ten minutes per process unless forced.
 */
export async function analyzeIfStale(pool: pg.Pool, force = false): Promise<boolean> {
  if (!force && Date.now() - lastRun < EVERY_MS) return false;
  lastRun = Date.now();
  // Every table the indexer writes: the dashboard's plans depend on their statistics.
  await pool.query(`ANALYZE ${INDEXED_TABLES.join(', ')}`);
  return true;
}
