import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorLine } from '../metrics/job-log';
import type { LogLine } from './log';
import { QUEUES, type RangeJobData } from './names';

/** The indexer's three queues: ranges to index, the head follower's ticks, windowed detection. */
export interface IndexerQueues {
  ranges: Queue<RangeJobData>;
  head: Queue;
  detect: Queue;
}

export function createIndexerQueues(p: { connection: Redis; prefix: string; log: LogLine }): IndexerQueues {
  const queueOpts = { connection: p.connection, prefix: p.prefix };
  const queues: IndexerQueues = {
    ranges: new Queue<RangeJobData>(QUEUES.ranges, {
      ...queueOpts,
      defaultJobOptions: {
        // Failures only (RPC, database): a range waiting for its predecessor parks without spending
        // attempts. A range that fails for good is planned afresh by the head follower.
        attempts: 20,
        backoff: { type: 'capped' },
        removeOnComplete: { count: 200 },
        removeOnFail: { count: 500 },
      },
    }),
    head: new Queue(QUEUES.head, queueOpts),
    detect: new Queue(QUEUES.detect, queueOpts),
  };
  // Without a listener BullMQ prints queue errors raw to stderr; the connection's listener
  // already logs them once at warn.
  for (const q of [queues.ranges, queues.head, queues.detect]) {
    q.on('error', (e: Error) =>
      p.log({ level: 'debug', msg: 'queue error', queue: q.name, err: errorLine(e) }),
    );
  }
  return queues;
}
