import type pg from 'pg';
import { INDEXED_TABLES } from '~/db/indexed-tables';

const EVERY_MS = 10 * 60_000;
let lastRun = 0;

/**
 * A table the indexer writes, or one month of a partitioned one, with its rows and the rows
 * changed since its statistics were taken (`name` quoted as an identifier).
 */
export interface WrittenRelation {
  /** The table of INDEXED_TABLES it belongs to, quoted. */
  table: string;
  name: string;
  /** True for a table that is not partitioned: `name` is the table itself. */
  whole: boolean;
  rows: number;
  changed: number;
  /** Analyzed at least once (by anyone). */
  analyzed: boolean;
}

/** One ANALYZE: a table, or a partitioned table or one of its months. */
export interface Analysis {
  name: string;
  partitioned: boolean;
}

export interface AnalyzeOptions {
  /**
   * Relations analyzed before are left as they are: months however much they changed since, only
   * months never analyzed are analyzed; a table that is not partitioned unless it more than doubled
   * since. For the pass right after a sync that analyzed them beside its last ranges: Postgres
   * scales an analyzed row count by the pages the relation has now, so what the last ranges added
   * is counted anyway, and a sample of most of the rows describes them all; the workers' refresh
   * brings the rest. Analyzing again cost a chain that is all incidents ≈ 0.5 s after its sync
   * (`ANALYZE incidents`, 460k rows, every page of the table read for the sample).
   */
  analyzedStand?: boolean;
}

/** Autovacuum's own analyze threshold: 50 rows + 10 % of the table. */
const isStale = (changed: number, rows: number) => changed > 50 + 0.1 * rows;

/**
 * What to ANALYZE so that every relation the dashboard's plans read has statistics as fresh as
 * autovacuum would keep them. A partitioned table's months are where the rows are: Postgres keeps
 * no change count for the parent, and autovacuum never analyzes one. When its months together
 * changed enough, the parent is analyzed (which samples every month for the statistics a query
 * over the whole table uses, and analyzes each month too); otherwise only the months that did.
 */
export function relationsToAnalyze(
  relations: readonly WrittenRelation[],
  opts: AnalyzeOptions = {},
): Analysis[] {
  const byTable = new Map<string, WrittenRelation[]>();
  for (const r of relations) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  const out: Analysis[] = [];
  for (const [table, parts] of byTable) {
    if (parts.every((p) => p.whole)) {
      for (const p of parts) {
        const stands = opts.analyzedStand && p.analyzed && p.changed <= p.rows;
        if (!stands && isStale(p.changed, p.rows)) out.push({ name: p.name, partitioned: false });
      }
      continue;
    }
    if (opts.analyzedStand) {
      for (const p of parts)
        if (!p.analyzed && isStale(p.changed, 0)) out.push({ name: p.name, partitioned: true });
      continue;
    }
    const rows = parts.reduce((s, p) => s + p.rows, 0);
    const changed = parts.reduce((s, p) => s + p.changed, 0);
    if (isStale(changed, rows)) out.push({ name: table, partitioned: true });
    else for (const p of parts) if (isStale(p.changed, p.rows)) out.push({ name: p.name, partitioned: true });
  }
  return out;
}

/**
 * The statistics target of a partitioned table's analysis (Postgres samples 300 rows per unit).
 * What the dashboard's plans need of `accesses` or `events` is their row counts and rough
 * distributions; the default target (100: 30,000 rows, every column's values sorted) cost
 * `ANALYZE accesses` 0.99 s at 200k accesses, beside the backfill's last ranges, and the dense
 * chain's run 1 s of its 6; 10 costs 56 ms, and the 9M dashboard answers as fast
 * (docs/performance.md, 2026-12-05).
 */
const PARTITIONED_TARGET = 10;

/**
 * One ANALYZE; a partitioned table's at PARTITIONED_TARGET. The two statements go as one query:
 * Postgres runs them as one implicit transaction, which SET LOCAL lasts for, and a failure rolls it
 * back whole, leaving the pooled connection as it was.
 */
async function analyze(pool: pg.Pool, a: Analysis): Promise<void> {
  await pool.query(
    a.partitioned
      ? `SET LOCAL default_statistics_target = ${PARTITIONED_TARGET}; ANALYZE ${a.name}`
      : `ANALYZE ${a.name}`,
  );
}

/** The tables the indexer writes, each partitioned one as its months (INDEXED_TABLES). */
async function writtenRelations(pool: pg.Pool): Promise<WrittenRelation[]> {
  const { rows } = await pool.query<WrittenRelation>(
    // pg_partition_tree lists nothing for a table that is not partitioned: the table stands for itself.
    `SELECT quote_ident(p.relname) AS "table", quote_ident(c.relname) AS name, c.oid = p.oid AS whole,
            greatest(c.reltuples, 0)::float8 AS rows, coalesce(s.n_mod_since_analyze, 0)::float8 AS changed,
            coalesce(s.last_analyze, s.last_autoanalyze) IS NOT NULL AS analyzed
       FROM unnest($1::text[]) AS t(name)
       JOIN pg_class p ON p.relname = t.name AND p.relnamespace = current_schema()::regnamespace
       LEFT JOIN LATERAL pg_partition_tree(p.oid) tree ON true
       JOIN pg_class c ON c.oid = coalesce(tree.relid, p.oid)
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE coalesce(tree.isleaf, true)`,
    [INDEXED_TABLES],
  );
  return rows;
}

/**
 * Refreshes planner statistics after bulk loads. Autovacuum may be off (on the machines CI runs
 * on it is), and a planner with no statistics for a month of `accesses` nested-loops over
 * millions: the dashboard on a freshly indexed 9M-event chain answered in 2 minutes at the 95th
 * percentile instead of 51 ms (docs/performance.md, 2026-12-05). Runs at most every ten minutes
 * per process unless forced; only relations that changed enough are analyzed, one per pooled
 * connection at a time (side by side, they use every core Postgres has). Returns what it analyzed.
 */
export async function analyzeIfStale(
  pool: pg.Pool,
  force = false,
  opts: AnalyzeOptions = {},
): Promise<string[]> {
  if (!force && Date.now() - lastRun < EVERY_MS) return [];
  lastRun = Date.now();
  const analyses = relationsToAnalyze(await writtenRelations(pool), opts);
  const queue = [...analyses];
  const lanes = Math.max(1, Math.min(queue.length, pool.options.max ?? 4, 4));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) await analyze(pool, a);
    }),
  );
  return analyses.map((a) => a.name);
}
