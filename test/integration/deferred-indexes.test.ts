import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeferredIndexesOn,
  buildDeferredOnMonth,
  buildStatement,
  DEFERRABLE_INDEXES,
  KEPT_WHILE_SMALL,
  partitionBuildStatement,
} from '~/db/deferred-indexes';
import { createIndexerContext, type IndexerContext } from '~/workers/indexer/context';
import { syncToHead } from '~/workers/indexer/backfill';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { createTestDb, type TestDb } from '../helpers/db';
import { basicScenario } from '../helpers/scenario';
import { MONTH_CHAIN_GENESIS, seedMonthChain } from '../helpers/month-chain';
import { RangeSizer } from '~/workers/indexer/range-size';
import { rpc } from '../helpers/anvil';
import { shanghaiMonthOf } from '~/db/partitions';

/*
 * A backfill into an empty `accesses` drops its look-up indexes and builds them at its end
 * (db/deferred-indexes.ts), those of KEPT_WHILE_SMALL only once it has written enough accesses
 * (workers/indexer/kept-indexes.ts). What must hold: the indexes come back exactly as the
 * migrations made them, on every partition; a backfill stopped half-way leaves what to build, and
 * the next sync (or a migration) builds it; a sync into a table that holds rows defers nothing.
 */

const ALL = Object.values(DEFERRABLE_INDEXES).flat().sort() as string[];
const KEPT = [...KEPT_WHILE_SMALL].sort();

let h: IndexerHarness;
const opened: IndexerContext[] = [];
const extraDbs: TestDb[] = [];

beforeAll(async () => {
  h = await createIndexerHarness();
  await basicScenario(h.scenario);
});
afterAll(async () => {
  for (const c of opened) await c.dbh.close();
  for (const d of extraDbs) await d.drop();
  await h.close();
});

async function contextOn(url: string): Promise<IndexerContext> {
  const c = await createIndexerContext(h.env({ DATABASE_URL: url }));
  opened.push(c);
  return c;
}

/**
 * Each deferrable index by name: its definition without a partial index's WHERE (Postgres writes
 * a rebuilt predicate's IN-list with its casts moved, the same condition: the planner's use of it
 * is checked below instead), whether it has one, and how many partitions carry it.
 */
async function lookupIndexes(
  db: TestDb,
): Promise<Record<string, { definition: string; partial: boolean; partitions: number }>> {
  const { rows } = await db.pool.query<{
    name: string;
    definition: string;
    partial: boolean;
    partitions: string;
  }>(
    `SELECT c.relname AS name, regexp_replace(pg_get_indexdef(c.oid), ' WHERE .*$', '') AS definition,
            x.indpred IS NOT NULL AS partial,
            (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid) AS partitions
       FROM pg_class c JOIN pg_index x ON x.indexrelid = c.oid
      WHERE c.relname = any($1::text[]) ORDER BY c.relname`,
    [ALL],
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.name,
      { definition: r.definition, partial: r.partial, partitions: Number(r.partitions) },
    ]),
  );
}

/** The full definitions as pg_get_indexdef() writes them. */
async function fullDefinitions(db: TestDb): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ name: string; definition: string }>(
    'SELECT relname AS name, pg_get_indexdef(oid) AS definition FROM pg_class WHERE relname = any($1::text[])',
    [ALL],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

/**
 * The partitioned index each partition's scan uses (sequential scans off) for the incident
 * detail's history query of one invoice or certificate; 'none' for a scan that uses no index.
 */
async function historyIndexes(db: TestDb, subject: 'invoiceHash' | 'certHash'): Promise<string[]> {
  const names =
    subject === 'invoiceHash'
      ? "'InvoiceIssued', 'InvoiceReimbursed', 'InvoiceVoided'"
      : "'CertificateIssued', 'CertificateRevoked', 'CertificateVerified'";
  const client = await db.pool.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM events e WHERE e.event_name in (${names}) AND e.args->>'${subject}' = '0x01'`,
    );
    const scans = rows.map((r) => r['QUERY PLAN']).filter((l) => / Scan /.test(l));
    const used: string[] = [];
    for (const line of scans) {
      const index = / using (\S+) /.exec(line)?.[1];
      if (!index) {
        used.push('none');
        continue;
      }
      const parent = await client.query<{ name: string }>(
        'SELECT i.inhparent::regclass::text AS name FROM pg_inherits i WHERE i.inhrelid = $1::regclass',
        [index],
      );
      used.push(parent.rows[0]?.name ?? index);
    }
    return [...new Set(used)];
  } finally {
    await client.query('RESET enable_seqscan');
    client.release();
  }
}

/**
 * The indexes as the migrations made them, each on every partition its table has now: what a
 * build must leave (the partitions made during the backfill included).
 */
async function asMigratedOnEveryPartition(
  db: TestDb,
  migrated: Record<string, { definition: string; partial: boolean }>,
): Promise<Record<string, { definition: string; partial: boolean; partitions: number }>> {
  const out: Record<string, { definition: string; partial: boolean; partitions: number }> = {};
  for (const [table, names] of Object.entries(DEFERRABLE_INDEXES)) {
    const { rows } = await db.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_inherits WHERE inhparent = $1::regclass',
      [table],
    );
    const partitions = Number(rows[0]!.n);
    expect(partitions).toBeGreaterThan(1);
    for (const name of names) out[name] = { ...migrated[name]!, partitions };
  }
  return out;
}

async function deferredRows(db: TestDb): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ name: string; definition: string }>(
    'SELECT name, definition FROM deferred_indexes ORDER BY name',
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

describe('look-up indexes of accesses deferred during a first backfill', () => {
  it('are dropped while it runs and built at its end exactly as the migrations made them', async () => {
    const migrated = await lookupIndexes(h.db);
    expect(Object.keys(migrated)).toEqual(ALL);
    const migratedFull = await fullDefinitions(h.db);
    const ctx = await contextOn(h.db.url);

    const during: Array<{ indexes: string[]; deferred: Record<string, string> }> = [];
    const s = await syncToHead(ctx, {
      // Past the bound from its first access: the kept indexes go with the first range's rows.
      keptIndexAccesses: 0,
      // Awaited by the sync, so the last look comes before the end's builds (looked at on the
      // side, it saw them done once on a busy machine).
      onRange: async () => {
        during.push({
          indexes: Object.keys(await lookupIndexes(h.db)),
          deferred: await deferredRows(h.db),
        });
      },
    });
    expect(s.events).toBe(16);
    expect(s.writerMs.build_indexes).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    for (const d of during) {
      expect(d.indexes).toEqual([]);
      expect(d.deferred).toEqual(migratedFull);
    }

    expect(await lookupIndexes(h.db)).toEqual(await asMigratedOnEveryPartition(h.db, migrated));
    expect(await deferredRows(h.db)).toEqual({});
    // The rebuilt partial indexes still serve the history queries they were made for.
    expect(await historyIndexes(h.db, 'invoiceHash')).toEqual(['events_invoice_idx']);
    expect(await historyIndexes(h.db, 'certHash')).toEqual(['events_certificate_idx']);
  });

  it('a small first backfill keeps the indexes of KEPT_WHILE_SMALL up, and builds the rest at its end', async () => {
    const db = await createTestDb();
    extraDbs.push(db);
    const migrated = await lookupIndexes(db);
    const ctx = await contextOn(db.url);
    const during: Array<{ indexes: string[]; deferred: string[] }> = [];
    const s = await syncToHead(ctx, {
      sizer: new RangeSizer(1, 1, 1),
      // Awaited by the sync: each look is taken before the next range, and before the end's
      // builds (looked at on the side, the last look could see them done on a busy machine).
      onRange: async () => {
        during.push({
          indexes: Object.keys(await lookupIndexes(db)),
          deferred: Object.keys(await deferredRows(db)),
        });
      },
    });
    expect(s.events).toBe(16);
    expect(during.length).toBeGreaterThan(1);
    const rest = ALL.filter((n) => !KEPT.includes(n));
    for (const d of during) expect(d).toEqual({ indexes: KEPT, deferred: rest });
    expect(await lookupIndexes(db)).toEqual(await asMigratedOnEveryPartition(db, migrated));
    expect(await deferredRows(db)).toEqual({});
  });

  it('a sync into a table that holds rows defers nothing', async () => {
    const ctx = await contextOn(h.db.url);
    await h.scenario.registerOrg('0x00000000000000000000000000000000000000a1', 440100, 1, '广州市数据局');
    const during: string[][] = [];
    const pending: Promise<void>[] = [];
    const s = await syncToHead(ctx, {
      onRange: () => {
        pending.push(
          lookupIndexes(h.db).then((i) => {
            during.push(Object.keys(i));
          }),
        );
      },
    });
    await Promise.all(pending);
    expect(s.events).toBe(1);
    expect(during).toEqual([ALL]);
    expect(s.writerMs.build_indexes).toBeUndefined();
    expect(await deferredRows(h.db)).toEqual({});
  });

  /** A fresh database whose backfill stopped after its first range: the indexes as migrated. */
  async function stoppedAfterFirstRange(): Promise<{
    db: TestDb;
    migrated: Awaited<ReturnType<typeof lookupIndexes>>;
  }> {
    const db = await createTestDb();
    extraDbs.push(db);
    const migrated = await lookupIndexes(db);
    const ctx = await contextOn(db.url);
    await expect(
      syncToHead(ctx, {
        keptIndexAccesses: 0,
        onRange: () => {
          throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    expect(await lookupIndexes(db)).toEqual({});
    expect(Object.keys(await deferredRows(db))).toEqual(ALL);
    return { db, migrated };
  }

  it('a backfill stopped half-way leaves them to build, and a migration builds them', async () => {
    const { db, migrated } = await stoppedAfterFirstRange();
    // A migration finds them built first (its statements were written against the whole schema).
    const client = await db.pool.connect();
    try {
      expect(await buildDeferredIndexesOn(client)).toBe(ALL.length);
    } finally {
      client.release();
    }
    expect(await lookupIndexes(db)).toEqual(await asMigratedOnEveryPartition(db, migrated));
    expect(await deferredRows(db)).toEqual({});
  });

  it('a stopped backfill continued by the next sync has them built at its end', async () => {
    const { db, migrated } = await stoppedAfterFirstRange();
    const s = await syncToHead(await contextOn(db.url));
    expect(s.writerMs.build_indexes).toBeGreaterThan(0);
    expect(await lookupIndexes(db)).toEqual(await asMigratedOnEveryPartition(db, migrated));
    expect(await deferredRows(db)).toEqual({});
  });

  it('a first backfill stopped while it kept indexes up has the next sync defer them at its first range', async () => {
    const db = await createTestDb();
    extraDbs.push(db);
    const migrated = await lookupIndexes(db);
    await expect(
      syncToHead(await contextOn(db.url), {
        sizer: new RangeSizer(1, 1, 1),
        onRange: () => {
          throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    expect(Object.keys(await lookupIndexes(db))).toEqual(KEPT);
    // How many accesses the stopped backfill wrote is not known: the next sync keeps nothing up.
    const during: string[][] = [];
    const s = await syncToHead(await contextOn(db.url), {
      sizer: new RangeSizer(1, 1, 1),
      // Awaited: each look comes before the end's builds.
      onRange: async () => {
        during.push(Object.keys(await deferredRows(db)));
      },
    });
    expect(s.ranges).toBeGreaterThan(1);
    for (const d of during) expect(d).toEqual(ALL);
    expect(await lookupIndexes(db)).toEqual(await asMigratedOnEveryPartition(db, migrated));
    expect(await deferredRows(db)).toEqual({});
  });

  it("a month's builds share their table's lock with each other, and wait for a build on the parent", async () => {
    const { db } = await stoppedAfterFirstRange();
    // The month of the first range (it made the partitions of both tables).
    const { rows } = await db.pool.query<{ month: string }>(
      `SELECT to_char(min(timestamp) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month FROM blocks`,
    );
    const month = rows[0]!.month;
    const holder = await db.pool.connect();
    // This database's builds waiting for the table's lock (other test files build beside this one).
    const waitingForLock = async () =>
      (
        await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND classid = 727274025
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0]!.n;
    try {
      // Another process building on the parent of `accesses` holds the table's lock alone.
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(727274025, hashtext('accesses'))");
      const blocked = buildDeferredOnMonth(db.pool, month);
      // Both of the month's builders (MONTH_BUILDERS), each with an index of `accesses` to build.
      await expect.poll(waitingForLock).toBe(2);
      await holder.query('COMMIT');
      // Every deferred index, on the month's partition of its table.
      expect(await blocked).toBe(ALL.length);
      // Held shared, as a month's build holds it, it lets another month's build through: these
      // find their indexes built and build nothing, but take the lock first.
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock_shared(727274025, hashtext('accesses'))");
      expect(await buildDeferredOnMonth(db.pool, month)).toBe(ALL.length);
      expect(await waitingForLock()).toBe(0);
      await holder.query('COMMIT');
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
  });
});

describe('buildStatement', () => {
  it("builds a partitioned table's index on every partition, and only once", () => {
    expect(
      buildStatement('CREATE INDEX accesses_grant_idx ON ONLY public.accesses USING hash (grant_id)'),
    ).toBe('CREATE INDEX IF NOT EXISTS accesses_grant_idx ON public.accesses USING hash (grant_id)');
    expect(buildStatement('CREATE UNIQUE INDEX x ON public.t USING btree (a, b)')).toBe(
      'CREATE UNIQUE INDEX IF NOT EXISTS x ON public.t USING btree (a, b)',
    );
    expect(() => buildStatement('DROP TABLE accesses')).toThrow('not an index definition');
  });
});

describe('look-up indexes built month by month behind a first backfill', () => {
  let mh: IndexerHarness;
  beforeAll(async () => {
    mh = await createIndexerHarness({ genesisTimestamp: MONTH_CHAIN_GENESIS });
    await seedMonthChain(mh);
  });
  afterAll(async () => {
    await mh?.close();
  });

  it('builds each finished month on its partitions during the sync, the last at its end, all attached', async () => {
    const ctx = await createIndexerContext(mh.env());
    opened.push(ctx);
    // One block per range: the sync commits January's blocks, then February's, then March's.
    // January and February hold 8 accesses: March's range (the 9th) defers the kept indexes, after
    // January's build, which then builds them too (and February's build all of them).
    const s = await syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1), keptIndexAccesses: 9 });
    expect(s.ranges).toBeGreaterThan(3);
    const { rows } = await mh.db.pool.query<{ partition: string; index: string; parent: string }>(
      `SELECT t.relname AS partition, c.relname AS index, i.inhparent::regclass::text AS parent
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_index x ON x.indexrelid = c.oid
         JOIN pg_class t ON t.oid = x.indrelid
        WHERE i.inhparent::regclass::text = any($1::text[]) AND t.relname ~ '_2025_0[12]$'
        ORDER BY 1, 2`,
      [ALL],
    );
    // January's and February's partitions carry the indexes built while the sync went on (named
    // after the partition), attached to the parents' indexes the end of the sync created.
    const expected = ['2025_01', '2025_02'].flatMap((m) =>
      Object.entries(DEFERRABLE_INDEXES).flatMap(([table, names]) =>
        names.map((name) => ({
          partition: `${table}_${m}`,
          index: `${table}_${m}${name.slice(table.length)}`,
          parent: name,
        })),
      ),
    );
    const byKey = (a: { partition: string; index: string }, b: { partition: string; index: string }) =>
      `${a.partition}/${a.index}`.localeCompare(`${b.partition}/${b.index}`);
    expect(rows.sort(byKey)).toEqual(expected.sort(byKey));
    expect(await deferredRows(mh.db)).toEqual({});
    const all = await lookupIndexes(mh.db);
    for (const name of ALL) expect(all[name]?.partitions).toBeGreaterThanOrEqual(4); // Jan–Apr and default
  });
  it("gives a month's days to the VOLUME_SPIKE passes only once its partitions have the look-up indexes", async () => {
    // A fresh database on the same chain: the backfill defers the indexes again.
    const db = await createTestDb();
    extraDbs.push(db);
    const ctx = await createIndexerContext(mh.env({ DATABASE_URL: db.url }));
    opened.push(ctx);
    const target = Number(await rpc<string>(mh.anvil.url, 'eth_blockNumber')) - ctx.confirmations;
    // Another process building on the parent of `accesses` holds its lock: every month's build of
    // an `accesses` index waits (deferred-indexes.ts startBuild).
    const holder = await db.pool.connect();
    let locked = true;
    const passed: Array<{ numbers: number[]; months: string[]; whileLocked: boolean }> = [];
    let committedTo = 0;
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(727274025, hashtext('accesses'))");
      const sync = syncToHead(ctx, {
        sizer: new RangeSizer(1, 1, 1),
        onRange: (r) => (committedTo = r.toBlock),
        onRollupsIndexed: ({ headers }) =>
          passed.push({
            numbers: headers.map((h) => h.number),
            months: [...new Set(headers.map((h) => shanghaiMonthOf(h.timestamp)))],
            whileLocked: locked,
          }),
      });
      sync.catch(() => {}); // awaited below
      await expect.poll(() => committedTo, { timeout: 30_000 }).toBe(target);
      // Every block is committed and rolled up, January and February are over, and their builds wait.
      expect(passed).toEqual([]);
      locked = false;
      await holder.query('COMMIT');
      await sync;
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
    // January's and February's blocks, each once and in order, after their builds; March's (the
    // month the sync ends in) are the final pass's.
    const { rows } = await db.pool.query<{ number: string }>(
      `SELECT number FROM blocks
        WHERE to_char(timestamp AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') IN ('2025-01', '2025-02')
        ORDER BY number`,
    );
    expect(passed.flatMap((p) => p.numbers)).toEqual(rows.map((r) => Number(r.number)));
    expect(passed.flatMap((p) => p.months)).toEqual(['2025-01', '2025-02']);
    expect(passed.every((p) => !p.whileLocked)).toBe(true);
    expect(rows.length).toBeGreaterThan(2);
  });

  it("builds a month's index on its partition, named after it", () => {
    expect(
      partitionBuildStatement(
        "CREATE INDEX events_invoice_idx ON ONLY public.events USING btree (((args ->> 'invoiceHash'::text))) WHERE (x)",
        '2026-11',
      ),
    ).toEqual({
      partition: 'events_2026_11',
      statement:
        "CREATE INDEX IF NOT EXISTS events_2026_11_invoice_idx ON public.events_2026_11 USING btree (((args ->> 'invoiceHash'::text))) WHERE (x)",
    });
    expect(() =>
      partitionBuildStatement('CREATE INDEX x ON ONLY public.grants USING btree (a)', '2026-11'),
    ).toThrow('not a deferrable index definition');
  });
});
