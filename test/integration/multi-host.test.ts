import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorOf, expectExactBackfill, seedAccessBatches } from '../helpers/backfill-world';
import { startHostFleet, type HostFleet } from '../helpers/host-fleet';
import type { IndexerHarness } from '../helpers/indexer';
import { canMakeHosts } from '../helpers/netns';
import { exited } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

/**
 * Workers on several machines: network namespaces stand in for hosts, each reaching one Postgres,
 * one Redis and the chain over its own veth link. A whole host is crashed mid-backfill (every
 * process SIGKILLed, its link cut); the others must finish with the exact result.
 */

let fleet: HostFleet;
let h: IndexerHarness;
let world: Awaited<ReturnType<typeof seedAccessBatches>>;

const suite = canMakeHosts() ? describe : describe.skip;
if (!canMakeHosts()) console.warn('multi-host: skipped, network namespaces need root (CI runs as root)');

beforeAll(async () => {
  if (!canMakeHosts()) return;
  fleet = await startHostFleet(4);
  h = fleet.h;
  world = await seedAccessBatches(h, { batches: 30, perBatch: 100, tag: 'mh' });
}, 300_000);
afterAll(async () => {
  await fleet?.close();
});

const cursor = () => cursorOf(h);

suite('workers on several hosts', () => {
  for (const n of [2, 4]) {
    it(`${n} hosts, one crashed mid-backfill: the others finish exactly; SIGTERM stops them with 0`, async () => {
      await fleet.reset();
      const prefix = `${h.env().QUEUE_PREFIX}-mh${n}`;
      const used = fleet.hosts.hosts.slice(0, n);
      const workers = used.map((host) => fleet.workOn(host, prefix, { INDEXER_MAX_RANGE_BLOCKS: '1' }));
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
