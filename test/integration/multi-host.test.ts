import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { canMakeHosts, createTestHosts, type TestHost, type TestHosts } from '../helpers/netns';
import { startOwnPostgres, type OwnPostgres } from '../helpers/pg-cluster';
import { exited, startOwnRedis } from '../helpers/processes';
import { basicScenario, id } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

/**
 * Workers on several machines: network namespaces stand in for hosts, each reaching one Postgres,
 * one Redis and the chain over its own veth link. A whole host is crashed mid-backfill (every
 * process SIGKILLed, its link cut); the others must finish with the exact result.
 */
const BATCHES = 30;
const PER_BATCH = 100;
const TOTAL = 16 + BATCHES * PER_BATCH;

let hosts: TestHosts;
let pg: OwnPostgres;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let h: IndexerHarness;
let head: number;

const suite = canMakeHosts() ? describe : describe.skip;
if (!canMakeHosts()) console.warn('multi-host: skipped, network namespaces need root (CI runs as root)');

beforeAll(async () => {
  if (!canMakeHosts()) return;
  hosts = await createTestHosts(4);
  const gateways = hosts.hosts.map((x) => x.gateway);
  pg = await startOwnPostgres({ listen: gateways, trust: [hosts.subnet] });
  redis = await startOwnRedis(undefined, ['--bind', '127.0.0.1', ...gateways, '--protected-mode', 'no']);
  h = await createIndexerHarness({ databaseBaseUrl: pg.url(), anvilHost: '0.0.0.0' });
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
        payloadHash: id(`mh-${b}-${i}`),
      })),
    );
  }
  head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
}, 300_000);
afterAll(async () => {
  await h?.close();
  await redis?.kill();
  await pg?.stop();
  await hosts?.close();
});

/** `work` on a host, reaching every service through the host's gateway address. */
function workOn(host: TestHost, prefix: string): ChildProcess {
  const env = h.env();
  const via = (url: string) => {
    const u = new URL(url);
    u.hostname = host.gateway;
    return u.toString();
  };
  const child = host.spawn(
    process.execPath,
    ['--import', 'tsx', 'cli/main.ts', 'work', '--concurrency', '2'],
    {
      env: {
        DATABASE_URL: via(env.DATABASE_URL),
        REDIS_URL: via(redis.url),
        CHAIN_RPC_URL: via(env.CHAIN_RPC_URL),
        DEPLOYMENT_FILE: env.DEPLOYMENT_FILE,
        QUEUE_PREFIX: prefix,
        INDEXER_MAX_RANGE_BLOCKS: '1',
        LOG_LEVEL: process.env.WORKER_LOG_FILE ? 'info' : 'silent',
      },
    },
  );
  // Drained so a chatty worker never blocks; WORKER_LOG_FILE keeps it for debugging.
  const logFile = process.env.WORKER_LOG_FILE;
  child.stderr?.on('data', (d: Buffer) => {
    if (logFile) appendFileSync(logFile, d);
  });
  return child;
}

async function cursor(): Promise<number> {
  const { rows } = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
  return rows[0] ? Number(rows[0].indexed_block) : -1;
}

async function reset(): Promise<void> {
  for (const t of [...INDEXED_TABLES, 'indexed_ranges', 'cursors', 'indexer_health']) {
    await h.db.pool.query(`DELETE FROM ${t}`);
  }
}

async function expectExact(): Promise<void> {
  const e = await h.db.pool.query<{ n: number; d: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT (block_number, log_index))::int AS d FROM events',
  );
  expect(e.rows[0]).toEqual({ n: TOTAL, d: TOTAL });
  const f = await h.db.pool.query<{ a: number; r: number }>(
    'SELECT sum(accesses)::int AS a, sum(records)::int AS r FROM flow_daily',
  );
  const typed = await h.db.pool.query<{ a: number; r: number }>(
    'SELECT count(*)::int AS a, coalesce(sum(record_count), 0)::int AS r FROM accesses',
  );
  expect(f.rows[0]).toEqual(typed.rows[0]);
  expect(typed.rows[0]!.a).toBe(3 + BATCHES * PER_BATCH);
  const gaps = await h.db.pool.query<{ gaps: number }>(
    `SELECT count(*)::int AS gaps FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev FROM indexed_ranges) r
     WHERE prev IS NOT NULL AND from_block <> prev + 1`,
  );
  expect(gaps.rows[0]!.gaps).toBe(0);
}

suite('workers on several hosts', () => {
  for (const n of [2, 4]) {
    it(`${n} hosts, one crashed mid-backfill: the others finish exactly; SIGTERM stops them with 0`, async () => {
      await reset();
      const prefix = `${h.env().QUEUE_PREFIX}-mh${n}`;
      const used = hosts.hosts.slice(0, n);
      const workers = used.map((host) => workOn(host, prefix));
      await waitFor('some ranges committed', async () => (await cursor()) > 10, 120_000);
      await used[n - 1]!.crash();
      expect(await exited(workers[n - 1]!)).toBeNull();
      expect(await cursor()).toBeLessThan(head);
      await waitFor('cursor at head without the crashed host', async () => (await cursor()) >= head, 180_000);
      await expectExact();
      for (const w of workers.slice(0, n - 1)) w.kill('SIGTERM');
      for (const w of workers.slice(0, n - 1)) expect(await exited(w)).toBe(0);
      await used[n - 1]!.revive();
    }, 300_000);
  }
});
