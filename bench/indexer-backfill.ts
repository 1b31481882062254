import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePortForBench } from './ports';
import { openBenchChain } from './chain-fixture';
import { runMeasured } from './measure';

const ADMIN_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Backfill end-to-end: `index --until-head` (decode + raw rows + typed rows + projections +
 * rollups + per-event rules + windowed rules) over a fresh chain, in its own process, as an
 * operator runs it. Anvil, Postgres and the indexer share the machine's 2 cores.
 */
export async function runBackfillBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const target = quick ? 200_000 : 1_000_000;
  const chain = await openBenchChain({ events: target, port: await freePortForBench(), dir: 'var/bench' });
  const dbName = `lianjian_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  try {
    const run = await runMeasured(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'index', '--until-head'],
      {
        DATABASE_URL: url.toString(),
        CHAIN_RPC_URL: chain.anvil.url,
        DEPLOYMENT_FILE: chain.deploymentFile,
        LOG_LEVEL: 'silent',
      },
    );
    if (run.code !== 0) throw new Error(`index failed: ${run.stderr.trim()}`);
    const out = JSON.parse(run.stdout) as {
      events: number;
      seconds: number;
      writerMs?: Record<string, number>;
    };
    // Where the writer's time went, per phase (ms summed over ranges): what to optimise next.
    const phases = Object.fromEntries(
      Object.entries(out.writerMs ?? {}).map(([k, v]) => [`backfill_writer_ms_${k}`, v]),
    );
    return {
      backfill_events: out.events,
      backfill_events_per_s: Math.round(out.events / out.seconds),
      backfill_seconds: out.seconds,
      backfill_peak_rss_mb: run.peakRssMb,
      ...phases,
    };
  } finally {
    await chain.anvil.stop();
    const admin = new pg.Client({ connectionString: ADMIN_DB });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}
