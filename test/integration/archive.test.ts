import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DERIVED_TABLES } from '../../db/indexed-tables';
import { ensureMonthPartitions, PARTITIONED_TABLES } from '../../db/partitions';
import { drizzle } from 'drizzle-orm/node-postgres';
import { archiveCommand } from '../../cli/commands/archive';
import type { Db } from '../../db/client';
import * as schema from '../../db/schema';
import { signedMessage } from '../../server/evidence/manifest-writer';
import type { ArchiveManifestHeader, ManifestSealLine } from '../../server/evidence/types';
import type { Role } from '../../server/permissions';
import { appRouter } from '../../server/routers/_app';
import { generateSigningKeyPem } from '../../server/signing/keys';
import { sm2Verify } from '../../server/signing/sm2';
import { createCallerFactory } from '../../server/trpc';
import { rebuildDerived } from '../../workers/indexer/rebuild';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { rpc } from '../helpers/anvil';
import { dumpTables } from '../helpers/db-dump';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { id } from '../helpers/scenario';
import { MONTH_CHAIN_GENESIS, seedMonthChain } from '../helpers/month-chain';

/**
 * `archive --before YYYY-MM --out DIR` on a three-month chain: refusals change nothing; an archive
 * writes gzip CSV files that hold exactly the months' rows, under a manifest whose SM2 signature and
 * file hashes verify; the partitions are gone, the dashboard's figures for the archived month are
 * unchanged (rollups), a full replay refuses while a reorg recovers from the checkpoint the archive
 * took, and the documented restore brings the rows back.
 */

const run = promisify(execFile);
let h: IndexerHarness;
let ctx: IndexerContext;
let world: Awaited<ReturnType<typeof seedMonthChain>>;
let keyFile: string;
let publicKey: string;
const factory = createCallerFactory(appRouter);
/** Pinned server clock: after the chain's last block (March 2025). */
const NOW = new Date(Date.UTC(2025, 2, 20));

function caller(role: Role = 'regulator', readDb?: Db) {
  return factory({
    db: h.db.db,
    readDb,
    caller: {
      userId: 'archive-test',
      email: 'archive@example.gov.cn',
      name: 'archive',
      role,
      regionCode: null,
      twoFactorEnabled: false,
      via: { kind: 'session', sessionId: 't' },
    },
    ip: '127.0.0.1',
    policy: { adminTotp: 'optional' },
    now: () => NOW,
  });
}

/** What the dashboard shows for January and February 2025. */
async function figures() {
  const c = caller();
  const out: Record<string, unknown> = {};
  for (const [from, to] of [
    ['2025-01-01', '2025-01-31'],
    ['2025-02-01', '2025-02-28'],
  ] as const) {
    out[`summary ${from}`] = await c.overview.summary({ from, to });
    out[`series ${from}`] = await c.flows.series({ from, to });
    out[`sankey ${from}`] = await c.flows.sankey({ from, to, group: 'org', top: 100 });
    out[`adoption ${from}`] = await c.adoption.regions({ from, to });
  }
  // The indexer's position moves with the chain (a reorg test mines and syncs between the
  // readings); the figures are what is compared.
  const moving = new Set(['updatedAt', 'headBlock', 'indexedBlock']);
  return JSON.parse(JSON.stringify(out, (k, v: unknown) => (moving.has(k) ? undefined : v))) as typeof out;
}

async function contents(table: string): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ r: string }>(`SELECT t::text AS r FROM ${table} t ORDER BY 1`);
  return rows.map((r) => r.r);
}

async function archiveHere(before: string, out: string) {
  return archiveCommand.run({
    env: h.env({ SIGNING_KEY_FILE: keyFile }),
    values: { before, out },
    positionals: [],
  });
}

beforeAll(async () => {
  h = await createIndexerHarness({ genesisTimestamp: MONTH_CHAIN_GENESIS });
  world = await seedMonthChain(h);
  ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);
  const dir = mkdtempSync(join(tmpdir(), 'lj-archive-key-'));
  keyFile = join(dir, 'key.pem');
  const { pem, key } = generateSigningKeyPem();
  writeFileSync(keyFile, pem, { mode: 0o600 });
  publicKey = key.publicKeyHex;
}, 180_000);

afterAll(async () => {
  await ctx?.dbh.close();
  await h?.close();
});

/** The partitions a plan reads (EXPLAIN ANALYZE: partitions pruned at start-up are not in it). */
function scannedRelations(plan: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(plan)) for (const p of plan) scannedRelations(p, out);
  else if (plan && typeof plan === 'object') {
    for (const [k, v] of Object.entries(plan)) {
      if (k === 'Relation Name' && typeof v === 'string') out.add(v);
      else scannedRelations(v, out);
    }
  }
  return out;
}

describe('partition pruning', () => {
  it("the flows drill-down reads only the partitions of its period's months", async () => {
    const queries: { sql: string; params: unknown[] }[] = [];
    const readDb = drizzle(h.db.pool, {
      schema,
      logger: { logQuery: (sql, params) => queries.push({ sql, params }) },
    });
    const c = caller('regulator', readDb);
    const planOf = async (from: string, to: string) => {
      queries.length = 0;
      const page = await c.flows.accesses({ from, to, limit: 50 });
      const q = queries.find((x) => /from "accesses"/.test(x.sql));
      if (!q) throw new Error('the drill-down did not read accesses');
      const { rows } = await h.db.pool.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`,
        q.params,
      );
      // The page's org names and dataset titles are joined in the same statement: only the
      // partitions of accesses are in question here.
      const scanned = [...scannedRelations(rows[0]!['QUERY PLAN'])].filter((r) => r.startsWith('accesses'));
      return { rows: page.rows.length, scanned: scanned.sort() };
    };
    expect(await planOf('2025-02-01', '2025-02-28')).toEqual({ rows: 5, scanned: ['accesses_2025_02'] });
    expect(await planOf('2025-01-01', '2025-01-31')).toEqual({ rows: 3, scanned: ['accesses_2025_01'] });
    expect(await planOf('2025-01-15', '2025-02-20')).toEqual({
      rows: 5,
      scanned: ['accesses_2025_01', 'accesses_2025_02'],
    });
  });
});

describe('archive', () => {
  const januaryRows = new Map<string, string[]>();
  let before: Record<string, unknown>;
  let out: string;

  it('refuses bad input and months that are not complete or hold open incidents, changing nothing', async () => {
    for (const t of PARTITIONED_TABLES) januaryRows.set(t.table, await contents(`${t.table}_2025_01`));
    expect(januaryRows.get('events')).toHaveLength(13); // and 3 DataAccessed in accesses
    expect(januaryRows.get('incident_evidence')!.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'lj-archive-'));

    await expect(archiveHere('2025-13', join(dir, 'a'))).rejects.toThrow(
      '--before: a month is written YYYY-MM (e.g. 2025-01), got "2025-13"',
    );
    await expect(archiveHere('2024-12', join(dir, 'a'))).rejects.toThrow(
      'nothing to archive: no month before 2024-12 has partitions',
    );
    // March is the month the indexer stands in; January rests open incidents' evidence.
    const refused = archiveHere('2025-04', join(dir, 'a'));
    await expect(refused).rejects.toThrow(/archive refused, nothing was exported or dropped/);
    await expect(refused).rejects.toThrow(
      /2025-01: holds evidence of incidents not yet resolved or dismissed: #\d+ \(open\)/,
    );
    await expect(refused).rejects.toThrow(
      /2025-03: not complete: the indexer stands at 2025-03-12T02:00:\d\d.000Z/,
    );
    await expect(refused).rejects.not.toThrow(/2025-02:/);
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'x'), 'x');
    await expect(archiveHere('2025-02', join(dir, 'full'))).rejects.toThrow(/full is not empty/);

    expect(await contents('events_2025_01')).toEqual(januaryRows.get('events'));
    const archived = await h.db.pool.query('SELECT * FROM archived_months');
    expect(archived.rows).toEqual([]);
  });

  it('archives January once its incidents are closed: signed files with exactly its rows, partitions dropped', async () => {
    await h.db.pool.query(`UPDATE incidents SET status = 'resolved'`);
    before = await figures();
    out = join(mkdtempSync(join(tmpdir(), 'lj-archive-')), 'before-2025-02');
    const { stdout } = await run(
      'npx',
      ['tsx', 'cli/main.ts', 'archive', '--before', '2025-02', '--out', out],
      {
        env: {
          ...process.env,
          DATABASE_URL: h.db.url,
          CHAIN_RPC_URL: h.anvil.url,
          SIGNING_KEY_FILE: keyFile,
        },
      },
    );
    const printed = JSON.parse(stdout) as { months: string[]; files: { name: string; rows: number }[] };
    expect(printed.months).toEqual(['2025-01']);
    expect(printed.files.map((f) => [f.name, f.rows])).toEqual(
      PARTITIONED_TABLES.map((t) => [`${t.table}_2025_01.csv.gz`, januaryRows.get(t.table)!.length]),
    );

    const [headerLine, sealLine, ...rest] = readFileSync(join(out, 'manifest.jsonl'), 'utf8').split('\n');
    expect(rest).toEqual(['']);
    const header = JSON.parse(headerLine!) as ArchiveManifestHeader;
    const seal = JSON.parse(sealLine!) as ManifestSealLine;
    expect(header).toMatchObject({
      manifest: 'lianjian.archive-manifest/1',
      before: '2025-02',
      months: ['2025-01'],
    });
    expect(seal.seal.signer.publicKey).toBe(publicKey);
    expect(sm2Verify(signedMessage(header, seal.seal), Buffer.from(seal.signature, 'hex'), publicKey)).toBe(
      true,
    );
    for (const f of seal.seal.files) {
      const bytes = readFileSync(join(out, f.name));
      expect(createHash('sha256').update(bytes).digest('hex'), f.name).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }

    const parts = await h.db.pool.query<{ part: string }>(
      `SELECT c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE c.relname LIKE '%\\_2025\\_01' ORDER BY 1`,
    );
    expect(parts.rows).toEqual([]);
    const counts = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM chain_events');
    expect(counts.rows[0]!.n).toBe(27 - 16);
    const archived = await h.db.pool.query<{ month: string; rows: Record<string, number> }>(
      'SELECT month, rows FROM archived_months',
    );
    expect(archived.rows).toEqual([
      {
        month: '2025-01',
        rows: Object.fromEntries(PARTITIONED_TABLES.map((t) => [t.table, januaryRows.get(t.table)!.length])),
      },
    ]);
  }, 180_000);

  it("the dashboard's figures for the archived month are unchanged (they come from rollups)", async () => {
    expect(await figures()).toEqual(before);
  });

  it('a full replay of raw events refuses while months are archived', async () => {
    const client = await h.db.pool.connect();
    try {
      await client.query('BEGIN');
      await expect(rebuildDerived(client, 31337)).rejects.toThrow(
        /cannot rebuild projections and rollups from raw events: months 2025-01…2025-01 are archived/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it("a reorg after archiving recovers from the archive's checkpoint, needing no archived row", async () => {
    const derived = () => dumpTables(h.db.pool, [...DERIVED_TABLES]);
    const before = await derived();
    for (const tag of ['after-archive-1', 'after-archive-2'])
      await h.scenario.access({
        grantId: world.g,
        datasetId: world.ds,
        accessor: world.tax,
        mode: 4,
        purpose: 4,
        recordCount: 2,
        payloadHash: id(tag),
      });
    await syncToHead(ctx);
    expect(await derived()).not.toEqual(before);
    await rpc(h.anvil.url, 'anvil_reorg', [2, []]);
    expect((await syncToHead(ctx)).reorgs).toBe(1);
    expect(await derived()).toEqual(before);
  });

  it('the documented restore brings every row back exactly', async () => {
    const header = JSON.parse(
      readFileSync(join(out, 'manifest.jsonl'), 'utf8').split('\n')[0]!,
    ) as ArchiveManifestHeader;
    await ensureMonthPartitions(h.db.pool, header.months);
    for (const c of header.contents) {
      const client = await h.db.pool.connect();
      try {
        await pipeline(
          Readable.from([gunzipSync(readFileSync(join(out, c.file)))]),
          client.query(copyFrom(`COPY ${c.partition} FROM STDIN WITH (FORMAT csv, HEADER true)`)),
        );
      } finally {
        client.release();
      }
    }
    await h.db.pool.query('DELETE FROM archived_months WHERE month = ANY($1)', [header.months]);
    for (const t of PARTITIONED_TABLES)
      expect(await contents(`${t.table}_2025_01`), t.table).toEqual(januaryRows.get(t.table));
    // With every month back, a replay is allowed again and equals what is stored.
    const client = await h.db.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await rebuildDerived(client, 31337)).toBe(27);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await figures()).toEqual(before);
  });
});
