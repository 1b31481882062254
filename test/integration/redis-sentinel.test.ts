import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { exited, spawnWorker } from '../helpers/processes';
import { basicScenario, id } from '../helpers/scenario';
import { startSentinelGroup, type SentinelGroup } from '../helpers/sentinel';
import { waitFor } from '../helpers/wait';

let h: IndexerHarness;
let group: SentinelGroup;
let head: number;
const BATCHES = 40;
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
        payloadHash: id(`s-${b}-${i}`),
      })),
    );
  }
  head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
  group = await startSentinelGroup();
});
afterAll(async () => {
  await group?.close();
  await h?.close();
});

async function cursor(): Promise<number> {
  const { rows } = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
  return rows[0] ? Number(rows[0].indexed_block) : -1;
}

describe('Redis through Sentinel', () => {
  it('the master killed mid-backfill: the worker follows the promoted replica; exact, nothing twice', async () => {
    const env = {
      ...h.env(),
      // A URL that answers nothing: only the sentinels can lead the worker to Redis.
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: group.sentinels,
      REDIS_MASTER_NAME: group.masterName,
      INDEXER_MAX_RANGE_BLOCKS: '1',
    } as unknown as Record<string, string>;
    const worker = spawnWorker(env);
    await waitFor('some ranges committed through the first master', async () => (await cursor()) > 5, 60_000);
    const before = await cursor();
    expect(before).toBeLessThan(head);
    await group.killMaster();
    expect(await group.currentMasterPort()).toBe(group.replicaPort);
    await waitFor('cursor at head after the failover', async () => (await cursor()) >= head, 120_000);

    const events = await h.db.pool.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT (block_number, log_index))::int AS d FROM events',
    );
    expect(events.rows[0]).toEqual({ n: TOTAL, d: TOTAL });
    const flows = await h.db.pool.query<{ a: number }>('SELECT sum(accesses)::int AS a FROM flow_daily');
    expect(flows.rows[0]!.a).toBe(3 + BATCHES * PER_BATCH);
    const gaps = await h.db.pool.query<{ gaps: number }>(
      `SELECT count(*)::int AS gaps FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev FROM indexed_ranges) r
       WHERE prev IS NOT NULL AND from_block <> prev + 1`,
    );
    expect(gaps.rows[0]!.gaps).toBe(0);
    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
  });
});
