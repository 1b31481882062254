import 'server-only';
import { Redis } from 'ioredis';
import { redisTarget } from '../domain/redis-target';
import { webEnv } from './env';

const holder = globalThis as unknown as { __lianjianRedis?: Redis };

/**
 * The web process's Redis client (health checks; later caches). It must never block a request:
 * no offline queue, one retry, short timeouts, and reconnects in the background.
 */
export function getRedis(): Redis {
  const env = webEnv();
  const options = {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
  const t = redisTarget({
    url: env.REDIS_URL,
    sentinels: env.REDIS_SENTINELS,
    masterName: env.REDIS_MASTER_NAME,
  });
  holder.__lianjianRedis ??=
    t.kind === 'url'
      ? new Redis(t.url, options)
      : new Redis({ ...options, sentinels: t.sentinels, name: t.masterName });
  // Errors surface as failed commands (health says redis: down); an 'error' event must not crash.
  holder.__lianjianRedis.on('error', () => {});
  return holder.__lianjianRedis;
}
