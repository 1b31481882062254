import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePortForBench } from './ports';
import { openBenchChain, type BenchChainOptions } from './chain-fixture';
import { runMeasured } from './measure';
import { runPonderOnChain } from './ponder';
import { ADMIN_DB, createBenchDatabase, dropBenchDatabase } from './bench-db';

/** The compiled CLI, as production runs it (`npm run build:cli`): built once per bench run. */
let built = false;
function buildCli(): void {
  if (built) return;
  const r = spawnSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:cli failed');
  built = true;
}

interface IndexSummary {
  events: number;
  seconds: number;
  incidentsCreated: number;
  writerMs?: Record<string, number>;
  phasesMs?: Record<string, number>;
}

/**
 * `node dist/main.js index --until-head` over a fresh chain and a fresh database, in its own
 * process, timed from spawn to exit (decode + raw rows + typed rows + projections + rollups +
 * per-event rules + windowed rules + planner statistics). Anvil, Postgres and the indexer share
 * the machine's cores. Figures are prefixed with `prefix`.
 */
async function indexOnce(
  prefix: string,
  chainOpts: Omit<BenchChainOptions, 'port' | 'dir'>,
  /** Then Ponder on the same chain, its figures labelled so. */
  ponderLabel?: string,
): Promise<Record<string, number>> {
  buildCli();
  const chain = await openBenchChain({ ...chainOpts, port: await freePortForBench(), dir: 'var/bench' });
  const dbName = `lianjian_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  try {
    await createBenchDatabase(dbName);
    const run = await runMeasured(
      process.execPath,
      ['dist/main.js', 'index', '--until-head'],
      {
        DATABASE_URL: url.toString(),
        CHAIN_RPC_URL: chain.anvil.url,
        DEPLOYMENT_FILE: chain.deploymentFile,
        LOG_LEVEL: 'silent',
      },
      { dbName, pid: chain.anvil.child.pid },
    );
    if (run.code !== 0) throw new Error(`index failed: ${run.stderr.trim()}`);
    const out = JSON.parse(run.stdout) as IndexSummary;
    if (out.events !== chain.events) throw new Error(`indexed ${out.events} of ${chain.events} events`);
    // Where the time went: per phase of the process (ms) and per step of the range writer (ms
    // summed over ranges).
    const detail: Record<string, number> = {};
    for (const [k, v] of Object.entries(out.phasesMs ?? {})) detail[`${prefix}_phase_ms_${k}`] = v;
    for (const [k, v] of Object.entries(out.writerMs ?? {})) detail[`${prefix}_writer_ms_${k}`] = v;
    const wall = run.ms / 1000;
    return {
      [`${prefix}_events`]: out.events,
      [`${prefix}_seconds`]: wall,
      [`${prefix}_events_per_s`]: Math.round(out.events / wall),
      [`${prefix}_sync_seconds`]: out.seconds,
      [`${prefix}_sync_events_per_s`]: Math.round(out.events / out.seconds),
      [`${prefix}_outside_sync_seconds`]: Math.round((wall - out.seconds) * 100) / 100,
      [`${prefix}_incidents`]: out.incidentsCreated,
      [`${prefix}_peak_rss_mb`]: run.peakRssMb,
      [`${prefix}_cpu_s_node`]: run.cpu.self,
      [`${prefix}_cpu_s_postgres`]: run.cpu.postgres,
      [`${prefix}_cpu_s_anvil`]: run.cpu.other,
      ...detail,
      ...(ponderLabel
        ? await runPonderOnChain({
            label: ponderLabel,
            rpcUrl: chain.anvil.url,
            address: chain.deployment.contracts.DataSharing.address,
            startBlock: chain.deployment.contracts.DataSharing.startBlock,
            accesses: chain.accesses,
          })
        : {}),
    };
  } finally {
    await chain.anvil.stop();
    await dropBenchDatabase(dbName);
  }
}

/** Ratio of Lianjian's wall-clock throughput to Ponder's on the same chain (NaN without Ponder). */
function withRatio(r: Record<string, number>, ours: string, label: string): Record<string, number> {
  const x = r[`${ours}_events_per_s`];
  const y = r[`ponder_${label}_events_per_s`];
  return { ...r, [`${ours}_vs_ponder`]: x && y ? Math.round((x / y) * 100) / 100 : NaN };
}

/** The mixed chain (accesses, invoices, cases in batches of 2,000): the historical backfill figure. */
export async function runBackfillBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  return indexOnce('backfill', { events: quick ? 200_000 : 1_000_000 });
}

/**
 * Dense chain: 500 lawful DataAccessed per block, the workload Ponder is compared on. 200k events
 * (and 1M in the full run), then Ponder on the same chain.
 */
export async function runDenseBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const events of quick ? [200_000] : [200_000, 1_000_000]) {
    const tag = events === 200_000 ? 'dense' : `dense_${events / 1_000_000}m`;
    const ours = `indexer_wallclock_${tag}`;
    const r = await indexOnce(ours, { events, shape: 'accesses', perTx: 500 }, tag);
    Object.assign(out, withRatio(r, ours, tag));
  }
  return out;
}

/**
 * A flood of unlawful accesses (bench/chain-fixture.ts `unlawful`): 200k DataAccessed, 500 per
 * block, each raising two incidents or more with their evidence, then Ponder on the same chain.
 * A hostile member's chain, and what Ponder's own emitter makes of a chain Lianjian is pointed at.
 */
export async function runUnlawfulBench(): Promise<Record<string, number>> {
  const ours = 'indexer_wallclock_unlawful';
  const r = await indexOnce(ours, { events: 200_000, shape: 'unlawful', perTx: 500 }, 'unlawful');
  return withRatio(r, ours, 'unlawful');
}

/**
 * Sparse chain: 10 DataAccessed per block, one transaction per block, 50k events. Ponder's run
 * takes minutes here (its client-side RPC rate limit), so it is part of the full run only.
 */
export async function runSparseBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const ours = 'indexer_wallclock_sparse';
  const r = await indexOnce(
    ours,
    { events: 50_000, shape: 'accesses', perTx: 10 },
    quick ? undefined : 'sparse',
  );
  return quick ? r : withRatio(r, ours, 'sparse');
}
