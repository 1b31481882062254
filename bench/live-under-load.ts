import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startAnvil } from '../chain/anvil';
import { startLawfulTraffic } from '../test/helpers/chaos-traffic';
import { exited, spawnWorker } from '../test/helpers/processes';
import { createScenario } from '../test/helpers/scenario';
import { migrateDatabase } from '../db/migrate';
import { percentile } from './measure';
import { freePortForBench } from './ports';
import { ADMIN_DB, dropBenchDatabase } from './bench-db';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** ≈ 1,000 events/s: a batch of 200 accesses every 200 ms, one block each. */
const PER_BATCH = 200;
const EVERY_MS = 200;

/**
 * Live latency under load: while ≈ 1,000 lawful events/s flow, the time from a block being mined
 * (its receipt is back) to its number being visible as `indexed_block` in `indexer_health` — the
 * persisted figure /api/health and the chain page read — polled every 10 ms. One worker process
 * (`cli work`, as in production) indexes; the first seconds (catching up the setup) are not
 * measured.
 */
export async function runLiveUnderLoadBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const seconds = quick ? 15 : 40;
  const anvil = await startAnvil({ port: await freePortForBench() });
  const dbName = `lianjian_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  await migrateDatabase(url.toString());
  const deploymentFile = join(mkdtempSync(join(tmpdir(), 'lj-load-')), 'deployment.json');
  const s = await createScenario(anvil.url, deploymentFile);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const minedAt = new Map<number, number>();
  const latencies: number[] = [];
  let measuring = false;
  const worker = spawnWorker({
    DATABASE_URL: url.toString(),
    REDIS_URL,
    CHAIN_RPC_URL: anvil.url,
    DEPLOYMENT_FILE: deploymentFile,
    QUEUE_PREFIX: `lianjian-bench-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'silent',
  });
  let traffic: Awaited<ReturnType<typeof startLawfulTraffic>> | undefined;
  let sentEvents = 0;
  try {
    traffic = await startLawfulTraffic(s, {
      everyMs: EVERY_MS,
      perBatch: PER_BATCH,
      maxTxs: Math.ceil(((seconds + 5) * 1000) / EVERY_MS) * 2,
      // 48 (accessor, dataset) pairs: 40 s at 1,000 records/s stays under 1,000 records per pair.
      datasets: 8,
      onBlock: (block, at) => {
        sentEvents += PER_BATCH;
        if (measuring) minedAt.set(block, at);
      },
    });
    const indexed = async () =>
      Number(
        (await pool.query<{ b: string }>('SELECT indexed_block AS b FROM indexer_health')).rows[0]?.b ?? -1,
      );
    // Warm-up: the worker has started and indexed the setup.
    const warmUntil = performance.now() + 60_000;
    while ((await indexed()) < 60 && performance.now() < warmUntil) await sleep(100);
    await sleep(2_000);
    measuring = true;
    const startEvents = sentEvents;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    while (performance.now() < end || (minedAt.size > 0 && performance.now() < end + 10_000)) {
      if (performance.now() >= end) measuring = false;
      const b = await indexed();
      const now = performance.now();
      for (const [n, at] of minedAt) {
        if (n <= b) {
          latencies.push(now - at);
          minedAt.delete(n);
        }
      }
      await sleep(10);
    }
    const elapsed = (performance.now() - t0) / 1000;
    return {
      live_load_events_per_second: Math.round((sentEvents - startEvents) / Math.min(elapsed, seconds)),
      live_load_samples: latencies.length,
      live_load_unindexed_blocks: minedAt.size,
      live_load_p50_ms: Math.round(percentile(latencies, 50)),
      live_load_p95_ms: Math.round(percentile(latencies, 95)),
      live_load_max_ms: Math.round(latencies.length ? Math.max(...latencies) : NaN),
    };
  } finally {
    await traffic?.stop();
    worker.kill('SIGTERM');
    await exited(worker);
    await pool.end();
    await anvil.stop();
    await dropBenchDatabase(dbName);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
