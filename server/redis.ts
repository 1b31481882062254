import 'server-only';
import { Redis } from 'ioredis';
import { webEnv } from './env';

const holder = globalThis as unknown as { __lianjianRedis?: Redis };

/**
 * The web process's Redis client (health checks; later caches). It must never block a request:
 * no offline queue, one retry, short timeouts, and reconnects in the background.
 */
export function getRedis(): Redis {
  holder.__lianjianRedis ??= new Redis(webEnv().REDIS_URL, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  // Errors surface as failed commands (health says redis: down); an 'error' event must not crash.
  holder.__lianjianRedis.on('error', () => {});
  return holder.__lianjianRedis;
}
