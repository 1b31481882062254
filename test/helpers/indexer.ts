import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnvilProcess } from '../../chain/anvil';
import { loadWorkerEnv, type WorkerEnv } from '../../workers/env';
import { startTestAnvil } from './anvil';
import { createTestDb, testQueuePrefix, type TestDb } from './db';
import { createScenario, type Scenario } from './scenario';
import { INDEXED_TABLES } from '~/db/indexed-tables';

export interface IndexerHarness {
  anvil: AnvilProcess;
  db: TestDb;
  scenario: Scenario;
  deploymentFile: string;
  env: (overrides?: Partial<Record<string, string>>) => WorkerEnv;
  /** Row counts of every table the indexer writes, to compare states. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Re-exported for the indexer tests, which import their harness from here. */
export { INDEXED_TABLES };

/** What a row count of an indexed table reads: `events` counts every event (accesses included). */
export function countedAs(table: string): string {
  return table === 'events' ? 'chain_events' : table;
}

/** anvil + a fresh database + deployed contracts: the world one indexer test file needs. */
export async function createIndexerHarness(
  opts: { genesisTimestamp?: number; databaseBaseUrl?: string; anvilHost?: string } = {},
): Promise<IndexerHarness> {
  const anvil = await startTestAnvil({
    ...(opts.genesisTimestamp === undefined ? {} : { genesisTimestamp: opts.genesisTimestamp }),
    ...(opts.anvilHost === undefined ? {} : { host: opts.anvilHost }),
  });
  const db = await createTestDb(opts.databaseBaseUrl);
  const deploymentFile = join(mkdtempSync(join(tmpdir(), 'lj-idx-')), 'deployment.json');
  const scenario = await createScenario(anvil.url, deploymentFile);
  const prefix = testQueuePrefix();
  const env = (overrides: Partial<Record<string, string>> = {}) =>
    loadWorkerEnv({
      DATABASE_URL: db.url,
      CHAIN_RPC_URL: anvil.url,
      DEPLOYMENT_FILE: deploymentFile,
      QUEUE_PREFIX: prefix,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'silent',
      ...overrides,
    });
  return {
    anvil,
    db,
    scenario,
    deploymentFile,
    env,
    /** Rows per indexed table; `events` counts every event (chain_events: accesses included). */
    async counts() {
      const out: Record<string, number> = {};
      for (const t of INDEXED_TABLES) {
        const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${countedAs(t)}`);
        out[t] = Number(rows[0]!.n);
      }
      return out;
    },
    async close() {
      await db.drop();
      await anvil.stop();
    },
  };
}
