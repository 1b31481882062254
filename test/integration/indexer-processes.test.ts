import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { exited, spawnWorker, startOwnRedis } from '../helpers/processes';
import { basicScenario, id } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

let h: IndexerHarness;
let head: number;
const BATCHES = 60;
const PER_BATCH = 100;
const TOTAL = 16 + BATCHES * PER_BATCH;

beforeAll(async () => {
  h = await createIndexerHarness();
  const w = await basicScenario(h.scenario);
  for (let b = 0; b < BATCHES; b++) {
    await h.scenario.accessBatch(
      Array.from({ length: PER_BATCH }, (_, i) => ({
        grantId: w.g,
        datasetId: w.ds,
        accessor: w.tax,
        mode: 4,
        purpose: 4,
        recordCount: 1 + (i % 7),
        payloadHash: id(`p-${b}-${i}`),
      })),
    );
  }
  head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
});
afterAll(async () => {
  await h.close();
});

async function cursor(): Promise<number> {
  const { rows } = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
  return rows[0] ? Number(rows[0].indexed_block) : -1;
}

async function expectExact(): Promise<void> {
  const c = await h.counts();
  expect(c.events).toBe(TOTAL);
  const distinct = await h.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT DISTINCT block_number, log_index FROM events) d',
  );
  expect(distinct.rows[0]!.n).toBe(TOTAL);
  const records = await h.db.pool.query<{ a: number; r: string }>(
    'SELECT sum(accesses)::int AS a, sum(records)::text AS r FROM flow_daily',
  );
  expect(records.rows[0]!.a).toBe(3 + BATCHES * PER_BATCH);
  const ranges = await h.db.pool.query<{ gaps: number }>(
    `SELECT count(*)::int AS gaps FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev FROM indexed_ranges) r
     WHERE prev IS NOT NULL AND from_block <> prev + 1`,
  );
  expect(ranges.rows[0]!.gaps).toBe(0);
}

async function reset(): Promise<void> {
  // Everything the indexer wrote, and where it stood: the next worker starts from nothing.
  for (const t of [...INDEXED_TABLES, 'indexed_ranges', 'cursors', 'indexer_health']) {
    await h.db.pool.query(`DELETE FROM ${t}`);
  }
}

describe('worker processes', () => {
  it('two processes against one Redis and one Postgres give the exact result; SIGTERM stops both with 0', async () => {
    const env = { ...h.env(), INDEXER_MAX_RANGE_BLOCKS: '2', LOG_LEVEL: 'silent' } as unknown as Record<
      string,
      string
    >;
    const a = spawnWorker(env);
    const b = spawnWorker(env);
    await waitFor('cursor at head', async () => (await cursor()) >= head, 120_000);
    await expectExact();
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await exited(a)).toBe(0);
    expect(await exited(b)).toBe(0);
  });

  it('a worker SIGKILLed mid-backfill and restarted: exact, no duplicates, no gaps', async () => {
    await reset();
    const env = {
      ...h.env(),
      QUEUE_PREFIX: `${h.env().QUEUE_PREFIX}-kill`,
      INDEXER_MAX_RANGE_BLOCKS: '1',
    } as unknown as Record<string, string>;
    const first = spawnWorker(env);
    await waitFor('some ranges committed', async () => (await cursor()) > 10, 60_000);
    first.kill('SIGKILL');
    await exited(first);
    const at = await cursor();
    expect(at).toBeLessThan(head);
    const second = spawnWorker(env);
    await waitFor('cursor at head after restart', async () => (await cursor()) >= head, 120_000);
    await expectExact();
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  });

  it('Redis killed mid-backfill and started again empty: the indexer catches up exactly', async () => {
    await reset();
    const redis = await startOwnRedis();
    const env = { ...h.env(), REDIS_URL: redis.url, INDEXER_MAX_RANGE_BLOCKS: '1' } as unknown as Record<
      string,
      string
    >;
    const worker = spawnWorker(env);
    await waitFor('some ranges committed', async () => (await cursor()) > 10, 60_000);
    await redis.kill();
    const again = await startOwnRedis(redis.port);
    try {
      await waitFor('cursor at head after Redis restart', async () => (await cursor()) >= head, 120_000);
      await expectExact();
      worker.kill('SIGTERM');
      expect(await exited(worker)).toBe(0);
    } finally {
      await again.kill();
    }
  });
});
