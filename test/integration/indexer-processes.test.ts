import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorOf, expectExactBackfill, seedAccessBatches } from '../helpers/backfill-world';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { exited, spawnWorker, startOwnRedis } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

let h: IndexerHarness;
let world: Awaited<ReturnType<typeof seedAccessBatches>>;

beforeAll(async () => {
  h = await createIndexerHarness();
  world = await seedAccessBatches(h, { batches: 60, perBatch: 100, tag: 'p' });
});
afterAll(async () => {
  await h.close();
});

const cursor = () => cursorOf(h);
const expectExact = () => expectExactBackfill(h, world);
async function reset(): Promise<void> {
  // Everything the indexer wrote, and where it stood: the next worker starts from nothing.
  for (const t of [...INDEXED_TABLES, 'indexed_ranges', 'cursors', 'indexer_health']) {
    await h.db.pool.query(`DELETE FROM ${t}`);
  }
}

describe('worker processes', () => {
  it('two processes against one Redis and one Postgres give the exact result; SIGTERM stops both with 0', async () => {
    const env = { ...h.env(), INDEXER_MAX_RANGE_BLOCKS: '2', LOG_LEVEL: 'silent' } as unknown as Record<
      string,
      string
    >;
    const a = spawnWorker(env);
    const b = spawnWorker(env);
    await waitFor('cursor at head', async () => (await cursor()) >= world.head, 120_000);
    await expectExact();
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await exited(a)).toBe(0);
    expect(await exited(b)).toBe(0);
  });

  it('a worker SIGKILLed mid-backfill and restarted: exact, no duplicates, no gaps', async () => {
    await reset();
    const env = {
      ...h.env(),
      QUEUE_PREFIX: `${h.env().QUEUE_PREFIX}-kill`,
      INDEXER_MAX_RANGE_BLOCKS: '1',
    } as unknown as Record<string, string>;
    const first = spawnWorker(env);
    await waitFor('some ranges committed', async () => (await cursor()) > 10, 60_000);
    first.kill('SIGKILL');
    await exited(first);
    const at = await cursor();
    expect(at).toBeLessThan(world.head);
    const second = spawnWorker(env);
    await waitFor('cursor at head after restart', async () => (await cursor()) >= world.head, 120_000);
    await expectExact();
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  });

  it('Redis killed mid-backfill and started again empty: the indexer catches up exactly', async () => {
    await reset();
    const redis = await startOwnRedis();
    const env = { ...h.env(), REDIS_URL: redis.url, INDEXER_MAX_RANGE_BLOCKS: '1' } as unknown as Record<
      string,
      string
    >;
    const worker = spawnWorker(env);
    await waitFor('some ranges committed', async () => (await cursor()) > 10, 60_000);
    await redis.kill();
    const again = await startOwnRedis(redis.port);
    try {
      await waitFor(
        'cursor at head after Redis restart',
        async () => (await cursor()) >= world.head,
        120_000,
      );
      await expectExact();
      worker.kill('SIGTERM');
      expect(await exited(worker)).toBe(0);
    } finally {
      await again.kill();
    }
  });
});
