import { expect } from 'vitest';
import { rpc } from './anvil';
import type { IndexerHarness } from './indexer';
import { basicScenario, id } from './scenario';

/**
 * The process tests' chain: basicScenario (16 events, 3 accesses) and then `batches` blocks of
 * `perBatch` lawful accesses, so a backfill of one-block ranges takes long enough to be interrupted.
 * Returns the head and the totals the indexer must end with.
 */
export async function seedAccessBatches(
  h: IndexerHarness,
  p: { batches: number; perBatch: number; tag: string },
): Promise<{ head: number; events: number; accesses: number }> {
  const w = await basicScenario(h.scenario);
  for (let b = 0; b < p.batches; b++) {
    await h.scenario.accessBatch(
      Array.from({ length: p.perBatch }, (_, i) => ({
        grantId: w.g,
        datasetId: w.ds,
        accessor: w.tax,
        mode: 4,
        purpose: 4,
        recordCount: 1 + (i % 7),
        payloadHash: id(`${p.tag}-${b}-${i}`),
      })),
    );
  }
  const head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
  return { head, events: 16 + p.batches * p.perBatch, accesses: 3 + p.batches * p.perBatch };
}

/** The indexer's committed block (-1 before its first range). */
export async function cursorOf(h: IndexerHarness): Promise<number> {
  const { rows } = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
  return rows[0] ? Number(rows[0].indexed_block) : -1;
}

/** Every event once, rollups equal to the typed rows, and committed ranges without a gap. */
export async function expectExactBackfill(h: IndexerHarness, want: { events: number; accesses: number }) {
  const e = await h.db.pool.query<{ n: number; d: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT (block_number, log_index))::int AS d FROM chain_events',
  );
  expect(e.rows[0]).toEqual({ n: want.events, d: want.events });
  const rolled = await h.db.pool.query<{ a: number; r: number }>(
    'SELECT sum(accesses)::int AS a, sum(records)::int AS r FROM flow_daily',
  );
  const typed = await h.db.pool.query<{ a: number; r: number }>(
    'SELECT count(*)::int AS a, coalesce(sum(record_count), 0)::int AS r FROM accesses',
  );
  expect(rolled.rows[0]).toEqual(typed.rows[0]);
  expect(typed.rows[0]!.a).toBe(want.accesses);
  const gaps = await h.db.pool.query<{ gaps: number }>(
    `SELECT count(*)::int AS gaps FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev FROM indexed_ranges) r
     WHERE prev IS NOT NULL AND from_block <> prev + 1`,
  );
  expect(gaps.rows[0]!.gaps).toBe(0);
}
