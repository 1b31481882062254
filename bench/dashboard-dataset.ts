import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnvil } from '../chain/anvil';
import { deployContracts } from '../chain/deploy';
import { writeDeployment } from '../chain/deployment';
import { simulate, type ScaleName } from '../chain/simulate';
import { connectChain } from '../chain/wallet';
import { loadWorkerEnv } from '../workers/env';
import { runWindowedDetection } from '../workers/incidents/detect-windowed';
import { analyzeIfStale } from '../workers/indexer/analyze';
import { createIndexerContext } from '../workers/indexer/context';
import { syncToHead } from '../workers/indexer/backfill';
import { freePortForBench } from './ports';
import { ADMIN_DB, dropBenchDatabase } from './bench-db';

/**
 * A database the dashboard benchmarks read: BENCH_DASHBOARD_DATABASE_URL when given (e.g. one
 * holding the large scale), else a simulated chain indexed here (small for --quick, else medium).
 */
export async function openDashboardDataset(
  quick: boolean,
): Promise<{ url: string; events: number; drop(): Promise<void> }> {
  const given = process.env.BENCH_DASHBOARD_DATABASE_URL;
  if (given) return { url: given, events: -1, drop: () => Promise.resolve() };
  const name = `lianjian_bench_${randomBytes(4).toString('hex')}`;
  const built = await buildIndexedDataset({ scale: quick ? 'small' : 'medium', name });
  return {
    url: built.url,
    events: built.events,
    async drop() {
      await dropBenchDatabase(name);
    },
  };
}

/**
 * Simulates `scale` over 30 days on a fresh anvil and indexes it into database `name` (created by
 * the indexer's migrations), with the windowed rules and planner statistics run as after a
 * backfill. Returns the seconds each half took, which is how the cost of a larger scale is
 * estimated before anyone waits for it.
 */
export async function buildIndexedDataset({ scale, name }: { scale: ScaleName; name: string }): Promise<{
  url: string;
  events: number;
  simulateSeconds: number;
  indexSeconds: number;
}> {
  const url = new URL(ADMIN_DB);
  url.pathname = `/${name}`;
  const anvil = await startAnvil({
    port: await freePortForBench(),
    genesisTimestamp: Math.floor(Date.now() / 1000) - 31 * 86400,
  });
  try {
    const conn = await connectChain(anvil.url);
    const deployment = await deployContracts(conn);
    const dir = mkdtempSync(join(tmpdir(), 'lj-dash-'));
    const deploymentFile = join(dir, 'deployment.json');
    writeDeployment(deploymentFile, deployment);
    const t0 = performance.now();
    const s = await simulate({
      conn,
      deployment,
      days: 30,
      seed: 'bench',
      scale,
      groundTruthFile: join(dir, 'gt.json'),
    });
    const t1 = performance.now();
    const ctx = await createIndexerContext(
      loadWorkerEnv({
        DATABASE_URL: url.toString(),
        CHAIN_RPC_URL: anvil.url,
        DEPLOYMENT_FILE: deploymentFile,
      }),
    );
    try {
      await syncToHead(ctx);
      await runWindowedDetection({
        db: ctx.dbh.db,
        chainId: ctx.chainId,
        settings: ctx.settings,
        liveStall: false,
      });
      await analyzeIfStale(ctx.dbh.pool, true);
    } finally {
      await ctx.dbh.close();
    }
    return {
      url: url.toString(),
      events: s.events,
      simulateSeconds: Math.round((t1 - t0) / 100) / 10,
      indexSeconds: Math.round((performance.now() - t1) / 100) / 10,
    };
  } finally {
    await anvil.stop();
  }
}
