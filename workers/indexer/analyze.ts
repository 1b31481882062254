import type pg from 'pg';

/** Tables whose size changes most with indexing; the dashboard's plans depend on their statistics. */
const TABLES = [
  'events',
  'accesses',
  'cases',
  'blocks',
  'orgs',
  'datasets',
  'grants',
  'invoices',
  'certificates',
  'flow_daily',
  'flow_region_daily',
  'flow_pair_monthly',
  'access_daily',
  'adoption_daily',
  'items_daily',
  'events_daily',
  'incidents',
  'incident_evidence',
];

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
  await pool.query(`ANALYZE ${TABLES.join(', ')}`);
  return true;
}
