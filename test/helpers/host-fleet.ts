import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from './indexer';
import { createTestHosts, type TestHost, type TestHosts } from './netns';
import { startOwnPostgres, type OwnPostgres } from './pg-cluster';
import { startOwnRedis } from './processes';

/**
 * Hosts as network namespaces, each reaching one Postgres, one Redis and the chain over its own
 * veth link: the set-up of the multi-host test and bench. Needs root (`canMakeHosts()`).
 */
export interface HostFleet {
  hosts: TestHosts;
  pg: OwnPostgres;
  redis: Awaited<ReturnType<typeof startOwnRedis>>;
  h: IndexerHarness;
  /** `work` on a host, every service reached through the host's gateway address. */
  workOn(host: TestHost, prefix: string, extraEnv?: Record<string, string>): ChildProcess;
  /** Everything the indexer wrote, and where it stood: the next workers start from nothing. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startHostFleet(count: number): Promise<HostFleet> {
  const hosts = await createTestHosts(count);
  const gateways = hosts.hosts.map((x) => x.gateway);
  const pg = await startOwnPostgres({ listen: gateways, trust: [hosts.subnet] });
  const redis = await startOwnRedis(undefined, [
    '--bind',
    '127.0.0.1',
    ...gateways,
    '--protected-mode',
    'no',
  ]);
  const h = await createIndexerHarness({ databaseBaseUrl: pg.url(), anvilHost: '0.0.0.0' });

  function workOn(host: TestHost, prefix: string, extraEnv: Record<string, string> = {}): ChildProcess {
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
          LOG_LEVEL: process.env.WORKER_LOG_FILE ? 'info' : 'silent',
          ...extraEnv,
        },
      },
    );
    // Drained so a chatty worker never blocks; WORKER_LOG_FILE keeps it for debugging.
    const logFile = process.env.WORKER_LOG_FILE;
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => {
      if (logFile) appendFileSync(logFile, d);
    });
    return child;
  }

  return {
    hosts,
    pg,
    redis,
    h,
    workOn,
    async reset() {
      for (const t of [...INDEXED_TABLES, 'indexed_ranges', 'cursors', 'indexer_health'])
        await h.db.pool.query(`DELETE FROM ${t}`);
    },
    async close() {
      await h.close();
      await redis.kill();
      await pg.stop();
      await hosts.close();
    },
  };
}
