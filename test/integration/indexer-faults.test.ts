import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { startWorkers } from '../../workers/queues/start-workers';
import { rpc } from '../helpers/anvil';
import { createTestDb } from '../helpers/db';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { startRpcProxy } from '../helpers/rpc-proxy';
import { addr, basicScenario, id } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

let h: IndexerHarness;
let w: Awaited<ReturnType<typeof basicScenario>>;

beforeAll(async () => {
  h = await createIndexerHarness();
  w = await basicScenario(h.scenario);
  // 40 batches of 50 accesses: 2,000 more events over 40 blocks.
  for (let b = 0; b < 40; b++) {
    await h.scenario.accessBatch(
      Array.from({ length: 50 }, (_, i) => ({
        grantId: w.g,
        datasetId: w.ds,
        accessor: w.tax,
        mode: 2,
        purpose: 4,
        recordCount: 1 + ((b * 50 + i) % 9),
        payloadHash: id(`bulk-${b}-${i}`),
      })),
    );
  }
});
afterAll(async () => {
  await h.close();
});

async function cursorAt(): Promise<number> {
  const { rows } = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
  return rows[0] ? Number(rows[0].indexed_block) : -1;
}

describe('indexer under faults', () => {
  it('a log whose data does not decode is kept raw as a MALFORMED_LOG incident, and indexing goes on', async () => {
    const liar = await startRpcProxy(h.anvil.url, (call) =>
      call.method === 'eth_getLogs'
        ? {
            rewrite: (body) => {
              // viem batches JSON-RPC calls: the answer may be one object or an array of them.
              const answers = (Array.isArray(body) ? body : [body]) as { result?: { data: string }[] }[];
              for (const a of answers) if (a.result?.[0]) a.result[0].data = '0x1234'; // not whole words
              return body;
            },
          }
        : null,
    );
    // Its own database: what this run stores is not what the honest node says.
    const fresh = await createTestDb();
    const ctx = await createIndexerContext(h.env({ CHAIN_RPC_URL: liar.url, DATABASE_URL: fresh.url }));
    try {
      const summary = await syncToHead(ctx);
      const head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
      expect(summary.toBlock).toBe(head);
      const kept = await fresh.pool.query<{ data: string; reason: string }>(
        'SELECT data, reason FROM malformed_logs ORDER BY block_number, log_index',
      );
      expect(kept.rows.length).toBeGreaterThan(0);
      expect(kept.rows[0]).toEqual({ data: '0x1234', reason: expect.stringMatching(/data/) as string });
      const incidents = await fresh.pool.query<{ rule: string; n: number }>(
        'SELECT rule, count(*)::int AS n FROM incidents GROUP BY rule',
      );
      expect(incidents.rows).toContainEqual({ rule: 'MALFORMED_LOG', n: kept.rows.length });
      const events = await fresh.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM chain_events');
      // basicScenario's 16 events and 2,000 accesses: every log is either an event or kept as malformed.
      expect(events.rows[0]!.n + kept.rows.length).toBe(16 + 2000);
    } finally {
      await ctx.dbh.close();
      await fresh.drop();
      await liar.close();
    }
  });

  it('an RPC node failing every third call: workers retry and the result is exact', async () => {
    const flaky = await startRpcProxy(h.anvil.url, (_call, n) => (n % 3 === 0 ? { status: 503 } : null));
    const running = await startWorkers({
      env: h.env({ CHAIN_RPC_URL: flaky.url }),
      concurrency: 2,
      headEveryMs: 100,
    });
    try {
      const head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
      await waitFor('cursor at head', async () => (await cursorAt()) >= head, 90_000);
      const c = await h.counts();
      expect(c.events).toBe(16 + 2000);
      expect(c.accesses).toBe(3 + 2000);
      const dup = await h.db.pool.query(
        'SELECT count(*)::int AS n FROM (SELECT DISTINCT block_number, log_index FROM chain_events) d',
      );
      expect(dup.rows[0]).toEqual({ n: 2016 });
      expect(c.incidents).toBe(3);
      expect(flaky.calls()).toBeGreaterThan(3);
    } finally {
      await running.close();
      await flaky.close();
    }
  });

  it('a new block is indexed live by the running workers', async () => {
    const running = await startWorkers({ env: h.env(), concurrency: 2, headEveryMs: 100 });
    try {
      const { blockNumber } = await h.scenario.registerOrg(
        addr('late-joiner'),
        440300,
        20,
        '深圳市某科技有限公司',
      );
      await waitFor('live block indexed', async () => (await cursorAt()) >= blockNumber, 10_000);
      const org = await h.db.pool.query('SELECT name, region_code FROM orgs WHERE address = $1', [
        addr('late-joiner'),
      ]);
      expect(org.rows).toEqual([{ name: '深圳市某科技有限公司', region_code: 440300 }]);
    } finally {
      await running.close();
    }
  });
});
