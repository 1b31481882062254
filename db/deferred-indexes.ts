/**
 * Look-up indexes that a backfill into an empty table builds once at its end instead of row by
 * row. Each row inserted costs every index of its table an insert at a random place; these serve
 * readers outside the indexer — a grant's history, /verify by payload hash and by transaction, an
 * invoice's or a certificate's history on an incident, an organisation's latest accesses — and the
 * VOLUME_SPIKE passes, so while a first backfill runs they wait, and are then built from the
 * finished table in one sorted pass each.
 *
 * `accesses` by (accessor, time) is the costliest of them to keep up (COPY of 200k access rows:
 * 0.67–0.81 s with the primary key alone, 1.44–1.51 s with it; built afterwards 0.21–0.32 s). The
 * VOLUME_SPIKE passes behind a backfill read it (a spike's newest access and its evidence), so a
 * first backfill gives them a month's days only once that month's partitions are built
 * (workers/indexer/index-builder.ts `indexed`); the month still open is left to the pass after the
 * sync.
 *
 * The definition of each dropped index is kept in `deferred_indexes` (migration 0025) in the same
 * transaction as the drop, so a backfill killed half-way leaves a row that says what to build:
 * the next sync builds it at its end, the workers' range planner and a migration at their start.
 * Meanwhile the readers of those look-ups scan the table instead (docs/operations.md).
 *
 * Three of them are kept up while the backfill is small (KEPT_WHILE_SMALL below).
 *
 * Not deferred: what the indexer itself reads while it writes — every primary key (reorg
 * recovery's deletes, the replay, the rollups' catch-up) — and the partial indexes of rare events
 * (grants, the service catalogue), which cost a backfill nothing.
 */
import type pg from 'pg';
import { partitionName, type PartitionedTable } from './partitions';

export const DEFERRABLE_INDEXES = {
  accesses: ['accesses_accessor_time_idx', 'accesses_grant_idx', 'accesses_payload_idx', 'accesses_tx_idx'],
  events: ['events_certificate_idx', 'events_invoice_idx', 'events_tx_idx'],
} as const;

/**
 * Of DEFERRABLE_INDEXES, those a first backfill keeps up while it is small, and defers only once
 * it has written KEPT_INDEX_ACCESSES accesses (workers/indexer/kept-indexes.ts). Up to a million
 * rows or so, upkeep costs Postgres about what a build costs afterwards (170k accesses: grant
 * 228 ms of upkeep against a 285 ms build, payload hash 227 against 270, tx 231 against 224), and
 * it is spent beside the indexer's preparation, where the writer has time to spare, instead of
 * after the last range: the dense 1M chain's month builds ran 2.0–2.6 s past its last commit. On
 * the large chain, whose partitions grow to millions of rows, upkeep cost twice the build
 * (docs/performance.md, 2026-12-03 18:40). The (accessor, time) index is deferred from the start:
 * its upkeep costs more than its build already at 170k rows (459 against 409 ms).
 */
export const KEPT_WHILE_SMALL: readonly string[] = [
  'accesses_grant_idx',
  'accesses_payload_idx',
  'accesses_tx_idx',
];

/**
 * Memory for one index build: the default 64 MB sorts a chain of millions of rows in passes over
 * temporary files. The builds run side by side.
 */
const BUILD_MEMORY = '256MB';

/**
 * Builds of one month's partitions at once, each on its own connection. A hash index is built by
 * one process, and a chain whose history ends early in a month (the bench chains) meets its last
 * full month's builds at its end, with the indexer idle: the three `accesses` builds of a 1M-event
 * month took 6.5 s one after another.
 */
const MONTH_BUILDERS = 2;

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * For each table of DEFERRABLE_INDEXES that holds no row at all (a new database), drops its
 * deferrable indexes but KEPT_WHILE_SMALL and records their definitions. Returns the names dropped
 * (none for a table that holds rows, or whose indexes are already deferred).
 */
export async function deferIndexesIfEmpty(pool: pg.Pool): Promise<string[]> {
  const dropped: string[] = [];
  for (const [table, names] of Object.entries(DEFERRABLE_INDEXES)) {
    const deferred = names.filter((n) => !KEPT_WHILE_SMALL.includes(n));
    dropped.push(...(await deferIfEmpty(pool, table, deferred)));
  }
  return dropped;
}

/**
 * Inside the caller's transaction (a range's, before its rows): drops those of KEPT_WHILE_SMALL
 * that exist and records their definitions, so that the transaction's commit defers them and its
 * rollback keeps them. Returns the names dropped.
 */
export function deferKeptIndexes(client: Queryable): Promise<string[]> {
  return recordAndDrop(client, KEPT_WHILE_SMALL);
}

/** Whether `table` holds any row: a first backfill is one into tables that hold none. */
export async function holdsRows(q: Queryable, table: string): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
  return rows[0]?.any === true;
}

/** Whether any index is deferred: dropped by a sync running now, or left by one stopped half-way. */
export function hasDeferredIndexes(pool: Queryable): Promise<boolean> {
  return holdsRows(pool, 'deferred_indexes');
}

async function deferIfEmpty(pool: pg.Pool, table: string, names: readonly string[]): Promise<string[]> {
  // Checked first without a lock: on every start but the first the table holds rows, and the
  // exclusive lock below would make every reader wait for this check.
  if (await holdsRows(pool, table)) return [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // DROP INDEX takes this lock anyway; taken first, so no row can arrive between check and drop.
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    if (await holdsRows(client, table)) {
      await client.query('ROLLBACK');
      return [];
    }
    const dropped = await recordAndDrop(client, names);
    await client.query('COMMIT');
    return dropped;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Records the definitions of those of `names` that exist and drops them, in the caller's transaction. */
async function recordAndDrop(client: Queryable, names: readonly string[]): Promise<string[]> {
  const found = await client.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname = any($1::text[])`,
    [names],
  );
  for (const { name, definition } of found.rows) {
    await client.query(
      'INSERT INTO deferred_indexes (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, definition],
    );
    await client.query(`DROP INDEX "${name}"`);
  }
  return found.rows.map((r) => r.name);
}

/**
 * Builds every deferred index and forgets each one's row: the tables side by side, each table's
 * indexes one after another. Postgres names a partition's index after its table and columns
 * (`events_2026_12_expr_idx` for both expression indexes of `events`), and two builds of one table
 * at once may pick the same name: the second fails on the catalogue's unique key. Returns how many
 * it built. Safe beside another process building: each index's row is locked while it is built
 * (the second finds it gone), and each table's builds wait for one another across processes.
 */
export async function buildDeferredIndexes(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ name: string; definition: string }>(
    'SELECT name, definition FROM deferred_indexes ORDER BY name',
  );
  const byTable = new Map<string, string[]>();
  for (const r of rows) {
    const { table } = parseDefinition(r.definition);
    byTable.set(table, [...(byTable.get(table) ?? []), r.name]);
  }
  const built = await Promise.all(
    [...byTable.values()].map(async (names) => {
      const client = await pool.connect();
      try {
        let n = 0;
        for (const name of names) if (await buildOne(client, name)) n++;
        return n;
      } finally {
        client.release();
      }
    }),
  );
  return built.reduce((a, b) => a + b, 0);
}

/** buildDeferredIndexes one after another on one connection (a migration's). */
export async function buildDeferredIndexesOn(client: Queryable): Promise<number> {
  // A database older than migration 0025 has nothing deferred (and no table to say so).
  const table = await client.query<{ t: string | null }>(
    "SELECT to_regclass('public.deferred_indexes') AS t",
  );
  if (!table.rows[0]?.t) return 0;
  const { rows } = await client.query<{ name: string }>('SELECT name FROM deferred_indexes ORDER BY name');
  let built = 0;
  for (const { name } of rows) if (await buildOne(client, name)) built++;
  return built;
}

/**
 * Inside a build's transaction: BUILD_MEMORY to sort in, and a lock per table across processes. A
 * build on the parent (`whole`) holds it alone: two of one table at once may pick the same
 * partition index name (see buildDeferredIndexes), and one beside a month's build would not see
 * that build's index yet and make a second. Builds on one month's partition (`partition`) name
 * their indexes themselves and share it.
 */
async function startBuild(client: Queryable, definition: string, on: 'whole' | 'partition'): Promise<void> {
  const lock = on === 'whole' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
  await client.query(`SELECT ${lock}(727274025, hashtext($1))`, [parseDefinition(definition).table]);
  await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
}

async function buildOne(client: Queryable, name: string): Promise<boolean> {
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ definition: string }>(
      'SELECT definition FROM deferred_indexes WHERE name = $1 FOR UPDATE',
      [name],
    );
    const definition = rows[0]?.definition;
    if (definition === undefined) {
      await client.query('ROLLBACK');
      return false;
    }
    await startBuild(client, definition, 'whole');
    await client.query(buildStatement(definition));
    await client.query('DELETE FROM deferred_indexes WHERE name = $1', [name]);
    await client.query('COMMIT');
    return true;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/**
 * Builds the deferred indexes on one month's partitions, MONTH_BUILDERS at a time, while the
 * backfill goes on in later months: the month holds all its rows already, and the build at the end
 * attaches these instead of building them again (an index of the same definition on a partition is
 * taken over by the parent's CREATE INDEX). Returns how many it built.
 */
export async function buildDeferredOnMonth(pool: pg.Pool, month: string): Promise<number> {
  const { rows } = await pool.query<{ definition: string }>(
    'SELECT definition FROM deferred_indexes ORDER BY name',
  );
  const todo = rows.map((r) => r.definition);
  let built = 0;
  const builder = async () => {
    const client = await pool.connect();
    try {
      for (let definition = todo.shift(); definition !== undefined; definition = todo.shift()) {
        const { partition, statement } = partitionBuildStatement(definition, month);
        const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
          `public.${partition}`,
        ]);
        if (!exists.rows[0]?.t) continue;
        try {
          await client.query('BEGIN');
          await startBuild(client, definition, 'partition');
          await client.query(statement);
          await client.query('COMMIT');
          built++;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        }
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: Math.min(MONTH_BUILDERS, todo.length) }, builder));
  return built;
}

/**
 * The statement that builds a recorded index on one month's partition of its table, named after
 * the partition (`accesses_grant_idx` → `accesses_2026_11_grant_idx`).
 */
export function partitionBuildStatement(
  definition: string,
  month: string,
): { partition: string; statement: string } {
  const d = parseDefinition(definition);
  if (!(d.table in DEFERRABLE_INDEXES)) throw new Error(`not a deferrable index definition: ${definition}`);
  const partition = partitionName(d.table as PartitionedTable, month);
  const indexName = `${partition}${d.name.slice(d.table.length)}`;
  return { partition, statement: `CREATE INDEX IF NOT EXISTS ${indexName} ON public.${partition} ${d.rest}` };
}

/**
 * The statement that builds an index from its recorded definition. pg_get_indexdef() writes a
 * partitioned table's index as `ON ONLY <table>` (the parent alone, as pg_dump restores it, each
 * partition's index attached later); built from here it must reach every partition.
 */
export function buildStatement(definition: string): string {
  const d = parseDefinition(definition);
  return `CREATE ${d.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${d.name} ON public.${d.table} ${d.rest}`;
}

/** A definition as pg_get_indexdef() writes it: `CREATE [UNIQUE] INDEX name ON [ONLY] public.table rest`. */
function parseDefinition(definition: string): { unique: boolean; name: string; table: string; rest: string } {
  const m = /^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?public\.(\w+) (.+)$/s.exec(definition);
  if (!m?.[2] || !m[3] || !m[4]) throw new Error(`not an index definition: ${definition}`);
  return { unique: m[1] !== undefined, name: m[2], table: m[3], rest: m[4] };
}
