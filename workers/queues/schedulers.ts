import type { Redis } from 'ioredis';
import type { IndexerQueues } from './indexer-queues';
import type { LogLine } from './log';
import { detectSchedulerId, headSchedulerId } from './names';

/** The indexer's recurring jobs: the head follower (250 ms keeps live latency under 1 s) and detection. */
export async function upsertIndexerSchedulers(
  queues: Pick<IndexerQueues, 'head' | 'detect'>,
  chainId: number,
  every: { headMs?: number; detectMs?: number },
): Promise<void> {
  const opts = { removeOnComplete: true, removeOnFail: { count: 50 } };
  await queues.head.upsertJobScheduler(
    headSchedulerId(chainId),
    { every: every.headMs ?? 250 },
    { name: 'head', data: {}, opts },
  );
  await queues.detect.upsertJobScheduler(
    detectSchedulerId(chainId),
    { every: every.detectMs ?? 30_000 },
    { name: 'detect', data: {}, opts },
  );
}

/**
 * Upserts schedulers now and again on every reconnect: a Redis that restarted empty has lost
 * them. Postgres holds the truth, so whatever else was lost is re-planned from it.
 */
export async function keepScheduled(
  connection: Redis,
  what: string,
  upsert: () => Promise<void>,
  log: LogLine,
): Promise<void> {
  await upsert();
  connection.on('ready', () => {
    upsert().catch((e: Error) =>
      log({ level: 'warn', msg: `${what} scheduler upsert failed`, err: e.message }),
    );
  });
}
