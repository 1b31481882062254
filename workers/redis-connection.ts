import { Redis, type RedisOptions } from 'ioredis';
import { redisTarget } from '../domain/redis-target';
import type { WorkerEnv } from './env';

/**
 * A Redis client for the workers and the CLI: `REDIS_URL`, or the master that `REDIS_SENTINELS`
 * name. Through Sentinel, ioredis asks the sentinels for the master on every (re)connect, so a
 * failover is followed by reconnecting; BullMQ then continues on the promoted replica, and what
 * asynchronous replication lost is re-planned from Postgres, which holds the truth.
 */
export function createWorkerRedis(
  env: Pick<WorkerEnv, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_MASTER_NAME'>,
  options: RedisOptions = {},
): Redis {
  const t = redisTarget({
    url: env.REDIS_URL,
    sentinels: env.REDIS_SENTINELS,
    masterName: env.REDIS_MASTER_NAME,
  });
  if (t.kind === 'url') return new Redis(t.url, options);
  return new Redis({
    ...options,
    sentinels: t.sentinels,
    name: t.masterName,
    // A promoted replica answers READONLY until the client follows; reconnect instead of failing jobs.
    reconnectOnError: (e) => e.message.startsWith('READONLY'),
    sentinelRetryStrategy: (times) => Math.min(times * 200, 2000),
  });
}
