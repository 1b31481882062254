import { FAULT_KINDS } from '../test/helpers/fault-schedule';
import { startFaultWorld, type FaultRunResult } from '../test/helpers/fault-world';
import { tablesDifferingFromFresh } from '../test/helpers/fresh-index';
import { waitFor } from '../test/helpers/wait';
import { percentile } from './measure';

/** Faults per run, as in test/integration/fault-random.test.ts. */
const FAULT_MS = 6_000;

/**
 * The soak of issue 13: the random fault runs of fault-random.test.ts back to back on one world
 * for 10 minutes (`--quick`: 60 s) — SIGKILL and SIGTERM of one of two `work` processes, Redis
 * lost (also while over-full), Postgres backends terminated, reorgs, a flaky node — each run
 * followed by its catch-up and the exactness check; at the end every derived table is compared
 * with what a fresh indexer makes of the final chain. Seeds are consecutive from
 * LIANJIAN_FAULT_SEED (default: from the clock, in the figures), so any run can be replayed by
 * the test. A run whose check fails is counted and the soak goes on.
 */
export async function runFaultSoakBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const seconds = quick ? 60 : 600;
  const base = Number(process.env.LIANJIAN_FAULT_SEED ?? Date.now() % 1_000_000);
  const world = await startFaultWorld({ everyMs: 400, perBatch: 20, datasets: 16, maxTxs: 1_000_000 });
  const results: FaultRunResult[] = [];
  let failedRuns = 0;
  try {
    await waitFor('workers index live traffic', async () => (await world.cursor()) > 0, 120_000);
    const until = Date.now() + seconds * 1000;
    for (let i = 0; Date.now() < until; i++) {
      try {
        results.push(await world.run(base + i, FAULT_MS, (l) => process.stderr.write(`${l}\n`)));
      } catch (e) {
        failedRuns += 1;
        process.stderr.write(`fault run seed=${base + i} failed: ${(e as Error).message}\n`);
      }
    }
    await world.quiesce();
    const stopCodes = await world.fleet.stop();
    // Projections, rollups and incidents after every fault as a fresh indexer makes them: a
    // figure, not only the events' check (a rollup counted twice shows nowhere else).
    const differing = await tablesDifferingFromFresh(world.h);
    if (differing.length > 0)
      process.stderr.write(`fault soak: tables differing from a fresh index: ${differing.join(', ')}\n`);
    const sum = (f: (r: FaultRunResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const out: Record<string, number> = {
      fault_soak_seconds: seconds,
      fault_soak_first_seed: base,
      fault_soak_runs: results.length,
      fault_soak_failed_runs: failedRuns,
      fault_soak_events_checked: results.at(-1)?.eventsChecked ?? 0,
      fault_soak_event_comparisons: sum((r) => r.eventsChecked),
      fault_soak_duplicates: sum((r) => r.duplicates),
      fault_soak_missing: sum((r) => r.missing),
      fault_soak_extra: sum((r) => r.extra),
      fault_soak_tables_differing_from_fresh: differing.length,
      fault_soak_incidents: sum((r) => r.incidents.reduce((a, i) => a + i.n, 0)),
      fault_soak_rpc_503: sum((r) => r.rpc.failed503),
      fault_soak_rpc_stalled: sum((r) => r.rpc.stalled),
      fault_soak_reorgs_of_indexed_tip: sum((r) => r.reorgsOfIndexedTip),
      fault_soak_sigterm_exit_0: sum((r) => r.sigtermExitCodes.filter((c) => c === 0).length),
      fault_soak_sigterm_exit_other: sum((r) => r.sigtermExitCodes.filter((c) => c !== 0).length),
      fault_soak_final_stop_exit_0: stopCodes.filter((c) => c === 0).length,
      fault_soak_final_stop_exit_other: stopCodes.filter((c) => c !== 0).length,
      fault_soak_unexpected_worker_exits: world.fleet.unexpectedExits.length,
      fault_soak_worker_startup_p50_s: percentile(world.fleet.startupMs, 50) / 1000,
      fault_soak_worker_startup_max_s: Math.max(...world.fleet.startupMs) / 1000,
    };
    for (const k of FAULT_KINDS) {
      const key = k.replace('-', '_');
      out[`fault_soak_faults_${key}`] = sum((r) => r.faults[k]);
      const times = results.filter((r) => r.closing === k).map((r) => r.catchUpSeconds);
      out[`fault_soak_catch_up_after_${key}_runs`] = times.length;
      if (times.length === 0) continue;
      out[`fault_soak_catch_up_after_${key}_max_s`] = Math.max(...times);
      out[`fault_soak_catch_up_after_${key}_p95_s`] = percentile(times, 95);
    }
    return out;
  } finally {
    await world.close();
  }
}
