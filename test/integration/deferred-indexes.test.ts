import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeferredIndexesOn, buildStatement, DEFERRABLE_INDEXES } from '~/db/deferred-indexes';
import { createIndexerContext, type IndexerContext } from '~/workers/indexer/context';
import { syncToHead } from '~/workers/indexer/backfill';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { createTestDb, type TestDb } from '../helpers/db';
import { basicScenario, id } from '../helpers/scenario';
import { MONTH_CHAIN_GENESIS, seedMonthChain } from '../helpers/month-chain';
import { RangeSizer } from '~/workers/indexer/range-size';
import { rpc } from '../helpers/anvil';

/*
 * A backfill into an empty `accesses` drops its three look-up indexes and builds them at its end
 * (db/deferred-indexes.ts). What must hold: the indexes come back exactly as the migrations made
 * them, on every partition; a backfill stopped half-way leaves what to build, and the next sync
 * (or a migration) builds it; a sync into a table that holds rows defers nothing.
 */

const ALL = Object.values(DEFERRABLE_INDEXES).flat().sort() as string[];

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
    const pending: Promise<void>[] = [];
    const s = await syncToHead(ctx, {
      onRange: () => {
        pending.push(
          (async () => {
            during.push({
              indexes: Object.keys(await lookupIndexes(h.db)),
              deferred: await deferredRows(h.db),
            });
          })(),
        );
      },
    });
    await Promise.all(pending);
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

/** Builds of this database waiting for a table's lock (other test files build beside this one). */
async function waitingBuilds(db: TestDb): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND classid = 727274025
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows[0]!.n;
}

describe('look-up indexes deferred by a backfill over several months', () => {
  let mh: IndexerHarness;
  let mw: Awaited<ReturnType<typeof seedMonthChain>>;
  beforeAll(async () => {
    mh = await createIndexerHarness({ genesisTimestamp: MONTH_CHAIN_GENESIS });
    mw = await seedMonthChain(mh);
  });
  afterAll(async () => {
    await mh?.close();
  });

  it('are built at its end, not month by month beside its writes, and leave its days to the pass after it', async () => {
    const ctx = await createIndexerContext(mh.env());
    opened.push(ctx);
    const target = Number(await rpc<string>(mh.anvil.url, 'eth_blockNumber')) - ctx.confirmations;
    // Another process building on the parents holds both tables' locks: a build started while the
    // sync goes on would wait, and show in pg_locks, before the last range is committed.
    const holder = await mh.db.pool.connect();
    const waiting: number[] = [];
    const passed: number[] = [];
    let committedTo = 0;
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(727274025, hashtext('accesses'))");
      await holder.query("SELECT pg_advisory_xact_lock(727274025, hashtext('events'))");
      // One block per range: January's blocks are committed, then February's, then March's.
      const sync = syncToHead(ctx, {
        sizer: new RangeSizer(1, 1, 1),
        onRange: (r) => (committedTo = r.toBlock),
        onRollupsIndexed: ({ headers }) => passed.push(...headers.map((h) => h.number)),
      });
      sync.catch(() => {}); // awaited below
      // Sampled while ranges are committed: no build waits for the lock before the last one.
      for (;;) {
        const before = committedTo;
        const n = await waitingBuilds(mh.db);
        if (before >= target) break;
        waiting.push(n);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(waiting.length).toBeGreaterThan(3);
      expect(waiting.every((n) => n === 0)).toBe(true);
      // The builds at the end: both tables', each waiting for its lock.
      await expect.poll(() => waitingBuilds(mh.db), { timeout: 30_000 }).toBe(2);
      await holder.query('COMMIT');
      const s = await sync;
      expect(s.writerMs.build_indexes).toBeGreaterThan(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
    expect(passed).toEqual([]);
    expect(await deferredRows(mh.db)).toEqual({});
    const all = await lookupIndexes(mh.db);
    for (const name of ALL) expect(all[name]?.partitions).toBeGreaterThanOrEqual(4); // Jan–Apr and default
  });

  it('a sync into tables that hold rows gives the VOLUME_SPIKE passes each day as its rollups are written', async () => {
    // The database of the test above holds every block: reindexed from a later block, nothing is deferred.
    const ctx = await createIndexerContext(mh.env());
    opened.push(ctx);
    const { rows } = await mh.db.pool.query<{ number: string }>(
      'SELECT number FROM blocks ORDER BY number DESC LIMIT 1',
    );
    const last = Number(rows[0]!.number);
    await mh.scenario.issueInvoice(id('after-the-backfill'), mw.hospital, 440100, 1n);
    const passed: number[] = [];
    const s = await syncToHead(ctx, {
      onRollupsIndexed: ({ headers }) => passed.push(...headers.map((h) => h.number)),
    });
    expect(s.fromBlock).toBe(last + 1);
    expect(s.writerMs.build_indexes).toBeUndefined();
    expect(passed).toEqual(Array.from({ length: s.toBlock - last }, (_, k) => last + 1 + k));
  });
});
