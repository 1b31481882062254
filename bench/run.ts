/**
 * `npm run bench [-- --quick]`: runs every benchmark, writes the named figures to
 * bench/results.json and prints them. `--quick` (smaller sizes) finishes in under 3 minutes.
 * Anvil, Postgres and the code under test share this machine's cores: compare figures only
 * within one run.
 */
import { writeFileSync } from 'node:fs';
import { runExportEvidenceBench } from './export-evidence';
import { runExportBench } from './export-incidents';
import { runFaultSoakBench } from './fault-soak';
import { runDecodeBench } from './decode-events';
import { runRollupSumsBench } from './rollup-sums';
import { runBackfillBench, runDenseBench, runSparseBench, runUnlawfulBench } from './indexer-backfill';
import { writePerformanceDoc } from './performance-doc';
import { runLiveLatencyBench } from './live-latency';
import { runDashboardConcurrencyBench } from './dashboard-concurrency';
import { openDashboardDataset } from './dashboard-dataset';
import { runDashboardBench } from './dashboard-queries';
import { runDashboardHttpBench } from './dashboard-http';
import { runFirstLoadJsBench } from './first-load-js';
import { runLiveUnderLoadBench } from './live-under-load';
import { runMultiHostBench } from './multi-host';
import { runScreenMemoryBench } from './screen-memory';

type Bench = {
  name: string;
  run: (o: { quick: boolean }) => Promise<Record<string, number>>;
  /** Left out of `--quick` (still run with `--only=NAME`). */
  fullOnly?: boolean;
};

const BENCHES: Bench[] = [
  { name: 'decode-events', run: (o) => Promise.resolve(runDecodeBench(o)) },
  { name: 'rollup-sums', run: (o) => Promise.resolve(runRollupSumsBench(o)) },
  { name: 'indexer-wallclock-dense', run: runDenseBench },
  { name: 'indexer-wallclock-sparse', run: runSparseBench },
  { name: 'indexer-wallclock-unlawful', run: runUnlawfulBench, fullOnly: true },
  { name: 'indexer-backfill', run: runBackfillBench, fullOnly: true },
  // Needs root (network namespaces): run with --only=multi-host.
  { name: 'multi-host', run: runMultiHostBench, fullOnly: true },
  { name: 'live-latency', run: runLiveLatencyBench },
  // `--quick` keeps the indexer's figures (decode, backfill dense with Ponder beside it and sparse)
  // and the live latency, so that it ends within 3 minutes; these and the dashboard's run in the
  // full bench.
  { name: 'live-latency-flaky', run: (o) => runLiveLatencyBench({ ...o, flaky: true }), fullOnly: true },
  { name: 'live-under-load', run: runLiveUnderLoadBench, fullOnly: true },
  { name: 'export-incidents', run: async (o) => ({ ...(await runExportBench(o)) }), fullOnly: true },
  { name: 'export-evidence', run: runExportEvidenceBench, fullOnly: true },
  // 10 minutes of random faults (--quick: 60 s): run with --only=fault-soak.
  { name: 'fault-soak', run: runFaultSoakBench, fullOnly: true },
  {
    name: 'dashboard',
    fullOnly: true,
    run: async ({ quick }) => {
      const data = await openDashboardDataset(quick);
      try {
        return {
          dashboard_dataset_events: data.events,
          ...(await runDashboardBench({ quick, databaseUrl: data.url })),
          ...(await runDashboardConcurrencyBench({ quick, databaseUrl: data.url })),
        };
      } finally {
        await data.drop();
      }
    },
  },
  // 50 users over HTTP against two `next start` processes while blocks arrive (builds if needed).
  { name: 'dashboard-http', run: runDashboardHttpBench, fullOnly: true },
  { name: 'first-load-js', run: () => Promise.resolve(runFirstLoadJsBench()) },
  { name: 'screen-memory', run: runScreenMemoryBench, fullOnly: true },
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // `--only=a,b`: the named groups only (full-run groups included).
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const os = await import('node:os');
  const results: Record<string, unknown> = {
    quick,
    startedAt: new Date().toISOString(),
    // The machine is shared: its load while the bench ran says how far the figures can be trusted.
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', loadavgAtStart: os.loadavg() },
  };
  for (const b of BENCHES) {
    if (only ? !only.includes(b.name) : quick && b.fullOnly) continue;
    const t = Date.now();
    process.stderr.write(`bench ${b.name}…\n`);
    try {
      Object.assign(results, await b.run({ quick }));
    } catch (e) {
      results[`${b.name}_error`] = (e as Error).message;
    }
    process.stderr.write(`bench ${b.name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  (results.machine as Record<string, unknown>).loadavgAtEnd = os.loadavg();
  results.command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  if (!process.argv.includes('--no-doc')) await writePerformanceDoc(results);
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

void main();
