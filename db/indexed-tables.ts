/**
 * The tables the indexer writes, by table name (the SQL that loops over them builds statements
 * from these names). test/unit/indexed-tables.test.ts checks each one is a table of db/schema.
 */

/** The rollups: sums per day (or month) of the events, written once a day is over in a backfill. */
export const ROLLUP_TABLES = [
  'flow_daily',
  'flow_region_daily',
  'flow_pair_monthly',
  'access_daily',
  'adoption_daily',
  'items_daily',
  'events_daily',
] as const;

/** Projections and rollups: rows that derive from raw events alone, so a replay rebuilds them.
 * Incidents are not among them: their triage history is not derivable. */
export const DERIVED_TABLES = [
  'orgs',
  'datasets',
  'grants',
  'invoices',
  'certificates',
  'service_items',
  'cases',
  ...ROLLUP_TABLES,
] as const;

/** Derived tables with one row per event, keyed by block: rolled back by deleting above a block. */
export const BLOCK_KEYED_DERIVED_TABLES = ['cases'] as const;

/** Derived tables holding state or sums: rolled back by restoring a checkpoint (derived_checkpoints). */
export const CHECKPOINTED_TABLES = DERIVED_TABLES.filter(
  (t): t is Exclude<(typeof DERIVED_TABLES)[number], (typeof BLOCK_KEYED_DERIVED_TABLES)[number]> =>
    !(BLOCK_KEYED_DERIVED_TABLES as readonly string[]).includes(t),
);

/**
 * Every table the indexer writes: raw chain data, the derived tables, incidents and evidence.
 * `accesses` is raw: the only stored copy of each DataAccessed (migration 0024), so a replay reads
 * it and never rewrites it; its dataset and org attributes are what the replay computes again.
 */
export const INDEXED_TABLES = [
  'blocks',
  'events',
  'accesses',
  ...DERIVED_TABLES,
  'incidents',
  'incident_evidence',
] as const;
