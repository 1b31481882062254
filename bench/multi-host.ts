import { cursorOf, seedAccessBatches } from '../test/helpers/backfill-world';
import { startHostFleet } from '../test/helpers/host-fleet';
import { canMakeHosts } from '../test/helpers/netns';
import { exited } from '../test/helpers/processes';

/**
 * Backfill throughput with 1, 2 and 4 `work` processes, each on a host of its own (a network
 * namespace reaching one Postgres, one Redis and the chain over its veth link, as in
 * test/integration/multi-host.test.ts). One chain of lawful accesses is indexed from nothing by each
 * group in turn; events/s is the chain's events over the time from the first committed range to the
 * last (`_seconds` is from spawn, start-up included). Everything shares this machine's
 * cores, so the figure says where adding processes stops helping here, not on real hosts.
 */
export async function runMultiHostBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  if (!canMakeHosts()) {
    console.warn('multi-host bench: skipped, network namespaces need root');
    return {};
  }
  const fleet = await startHostFleet(4);
  const h = fleet.h;
  const out: Record<string, number> = {};
  try {
    const world = await seedAccessBatches(h, {
      batches: quick ? 40 : 100,
      perBatch: quick ? 500 : 1000,
      tag: 'mhb',
    });
    out.multi_host_events = world.events;
    for (const n of [1, 2, 4]) {
      await fleet.reset();
      const prefix = `${h.env().QUEUE_PREFIX}-mhb${n}`;
      const started = performance.now();
      const workers = fleet.hosts.hosts.slice(0, n).map((host) => fleet.workOn(host, prefix));
      for (;;) {
        if ((await cursorOf(h)) >= world.head) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const seconds = (performance.now() - started) / 1000;
      const { rows } = await h.db.pool.query<{ n: number; d: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT (block_number, log_index))::int AS d FROM events',
      );
      if (rows[0]!.n !== world.events || rows[0]!.d !== world.events)
        throw new Error(
          `${n} hosts indexed ${rows[0]!.n} rows (${rows[0]!.d} distinct) of ${world.events} events`,
        );
      for (const w of workers) w.kill('SIGTERM');
      for (const w of workers) await exited(w);
      // Start-up (tsx compiling the worker, Redis and Postgres connections) is the same per process
      // and, on a loaded machine, minutes: the rate is taken from the first committed range to the last.
      const span = await h.db.pool.query<{ s: number }>(
        'SELECT extract(epoch FROM max(committed_at) - min(committed_at))::float8 AS s FROM indexed_ranges',
      );
      const indexing = span.rows[0]!.s;
      out[`multi_host_${n}_seconds`] = Math.round(seconds * 10) / 10;
      out[`multi_host_${n}_indexing_seconds`] = Math.round(indexing * 10) / 10;
      out[`multi_host_${n}_events_per_s`] = Math.round(world.events / indexing);
    }
  } finally {
    await fleet.close();
  }
  return out;
}
