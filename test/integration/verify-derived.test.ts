import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DERIVED_TABLES } from '../../db/indexed-tables';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { verifyDerived } from '../../workers/indexer/verify-derived';
import { runCli } from '../helpers/cli';
import { dumpTables } from '../helpers/db-dump';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';

let h: IndexerHarness;
let ctx: IndexerContext;

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: h.db.url });

beforeAll(async () => {
  h = await createIndexerHarness();
  const w = await basicScenario(h.scenario);
  for (const [i, records] of [5, 7, 11].entries())
    await h.scenario.access({
      grantId: w.g,
      datasetId: w.ds,
      accessor: w.tax,
      mode: 2,
      purpose: 4,
      recordCount: records,
      payloadHash: id(`verify-${i}`),
    });
  ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);
}, 120_000);
afterAll(async () => {
  await ctx?.dbh.close();
  await h?.close();
});

describe('verify-derived: projections and rollups against a replay of the raw events', () => {
  it('an indexed chain verifies, every derived table compared, and nothing is changed', async () => {
    const before = await dumpTables(h.db.pool, [...DERIVED_TABLES, 'cursors']);
    const events = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM chain_events');
    const check = await verifyDerived(h.db.pool, ctx.chainId);
    expect(check.differing).toEqual([]);
    expect(check.replayedEvents).toBe(events.rows[0]!.n);
    expect(check.tables.map((t) => t.table)).toEqual([...DERIVED_TABLES]);
    const accessDaily = check.tables.find((t) => t.table === 'access_daily')!;
    expect(accessDaily.rows).toBeGreaterThan(0);
    expect(await dumpTables(h.db.pool, [...DERIVED_TABLES, 'cursors'])).toEqual(before);
  });

  it('a rollup counted twice is named, with the rows that differ; the command exits 1, then 0 once mended', async () => {
    const { rows } = await h.db.pool.query<{ accessor: string; accesses: number; records: string }>(
      'SELECT accessor, accesses, records FROM access_daily WHERE chain_id = $1 LIMIT 1',
      [ctx.chainId],
    );
    const row = rows[0]!;
    const set = (accesses: number, records: number) =>
      h.db.pool.query(
        'UPDATE access_daily SET accesses = $2, records = $3 WHERE chain_id = $1 AND accessor = $4',
        [ctx.chainId, accesses, records, row.accessor],
      );
    await set(row.accesses + 2, Number(row.records) + 2);
    try {
      const check = await verifyDerived(h.db.pool, ctx.chainId);
      expect(check.differing).toEqual(['access_daily']);
      expect(check.tables.find((t) => t.table === 'access_daily')).toMatchObject({
        storedNotReplayed: 1,
        replayedNotStored: 1,
      });
      const bad = await cli('verify-derived');
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim()).toBe(
        'lianjian verify-derived: derived tables differ from a replay of the raw events: ' +
          `chain ${ctx.chainId} access_daily (1 stored rows not replayed, 1 replayed rows not stored)`,
      );
    } finally {
      await set(row.accesses, Number(row.records));
    }
    const ok = await cli('verify-derived');
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout) as { ok: boolean; chains: { chainId: number; differing: string[] }[] };
    expect(out.ok).toBe(true);
    expect(out.chains.map((c) => [c.chainId, c.differing])).toEqual([[ctx.chainId, []]]);
  }, 60_000);
});
