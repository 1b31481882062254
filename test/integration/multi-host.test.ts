import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorOf, expectExactBackfill, seedAccessBatches } from '../helpers/backfill-world';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { canMakeHosts, createTestHosts, type TestHost, type TestHosts } from '../helpers/netns';
import { startOwnPostgres, type OwnPostgres } from '../helpers/pg-cluster';
import { exited, startOwnRedis } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

/**
 * Workers on several machines: network namespaces stand in for hosts, each reaching one Postgres,
 * one Redis and the chain over its own veth link. A whole host is crashed mid-backfill (every
 * process SIGKILLed, its link cut); the others must finish with the exact result.
 */

let hosts: TestHosts;
let pg: OwnPostgres;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let h: IndexerHarness;
let world: Awaited<ReturnType<typeof seedAccessBatches>>;

const suite = canMakeHosts() ? describe : describe.skip;
if (!canMakeHosts()) console.warn('multi-host: skipped, network namespaces need root (CI runs as root)');

beforeAll(async () => {
  if (!canMakeHosts()) return;
  hosts = await createTestHosts(4);
  const gateways = hosts.hosts.map((x) => x.gateway);
  pg = await startOwnPostgres({ listen: gateways, trust: [hosts.subnet] });
  redis = await startOwnRedis(undefined, ['--bind', '127.0.0.1', ...gateways, '--protected-mode', 'no']);
  h = await createIndexerHarness({ databaseBaseUrl: pg.url(), anvilHost: '0.0.0.0' });
  world = await seedAccessBatches(h, { batches: 30, perBatch: 100, tag: 'mh' });
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

const cursor = () => cursorOf(h);

async function reset(): Promise<void> {
  for (const t of [...INDEXED_TABLES, 'indexed_ranges', 'cursors', 'indexer_health']) {
    await h.db.pool.query(`DELETE FROM ${t}`);
  }
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
      expect(await cursor()).toBeLessThan(world.head);
      await waitFor(
        'cursor at head without the crashed host',
        async () => (await cursor()) >= world.head,
        180_000,
      );
      await expectExactBackfill(h, world);
      for (const w of workers.slice(0, n - 1)) w.kill('SIGTERM');
      for (const w of workers.slice(0, n - 1)) expect(await exited(w)).toBe(0);
      await used[n - 1]!.revive();
    }, 300_000);
  }
});
