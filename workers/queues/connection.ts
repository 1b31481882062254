import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { WorkerEnv } from '../env';
import { errorLine } from '../metrics/job-log';
import { createWorkerRedis } from '../redis-connection';
import type { LogLine } from './log';

/**
 * The one Redis connection a worker process shares among its queues and workers (BullMQ duplicates
 * it for blocking reads). Errors are logged once here, at warn: every queue sees the same outage.
 */
export function openQueueConnection(env: WorkerEnv, log: LogLine): Redis {
  const connection = createWorkerRedis(env, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  connection.on('error', (e: Error) => log({ level: 'warn', msg: 'redis error', err: e.message }));
  return connection;
}

/**
 * pg-pool listens for errors only on idle clients: a connection terminated while checked out
 * (pg_terminate_backend, a Postgres restart or failover) emitted an unhandled 'error' that
 * killed the process. The query in flight fails anyway and its job retries; found by the random fault test.
 */
export function logLostConnections(pool: pg.Pool, log: LogLine): void {
  const guarded = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (e: Error) =>
      log({ level: 'warn', msg: 'postgres connection lost', err: errorLine(e) }),
    );
  });
}
