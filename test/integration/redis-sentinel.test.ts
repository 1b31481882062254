import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorOf, expectExactBackfill, seedAccessBatches } from '../helpers/backfill-world';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { exited, spawnWorker } from '../helpers/processes';
import { startSentinelGroup, type SentinelGroup } from '../helpers/sentinel';
import { waitFor } from '../helpers/wait';

let h: IndexerHarness;
let group: SentinelGroup;
let world: Awaited<ReturnType<typeof seedAccessBatches>>;

beforeAll(async () => {
  h = await createIndexerHarness();
  world = await seedAccessBatches(h, { batches: 40, perBatch: 100, tag: 's' });
  group = await startSentinelGroup();
});
afterAll(async () => {
  await group?.close();
  await h?.close();
});

const cursor = () => cursorOf(h);

describe('Redis through Sentinel', () => {
  it('the master killed mid-backfill: the worker follows the promoted replica; exact, nothing twice', async () => {
    const env = {
      ...h.env(),
      // A URL that answers nothing: only the sentinels can lead the worker to Redis.
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: group.sentinels,
      REDIS_MASTER_NAME: group.masterName,
      INDEXER_MAX_RANGE_BLOCKS: '1',
    } as unknown as Record<string, string>;
    const worker = spawnWorker(env);
    await waitFor('some ranges committed through the first master', async () => (await cursor()) > 5, 60_000);
    const before = await cursor();
    expect(before).toBeLessThan(world.head);
    await group.killMaster();
    expect(await group.currentMasterPort()).toBe(group.replicaPort);
    await waitFor('cursor at head after the failover', async () => (await cursor()) >= world.head, 120_000);

    await expectExactBackfill(h, world);
    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
  });
});
