import type { Redis } from 'ioredis';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * Closes a worker process's parts in the one order that loses nothing: metrics first (no scrape
 * of half-closed parts), then the workers (each finishes or gives back its current job), then
 * the queues, then the Redis connection and last the database, which the jobs used until then.
 */
export async function closeInOrder(p: {
  metrics: Closable;
  workers: (Closable | null | undefined)[];
  queues: Closable[];
  connection: Redis;
  db: Closable;
}): Promise<void> {
  await p.metrics.close();
  await Promise.all(p.workers.flatMap((w) => (w ? [w.close()] : [])));
  await Promise.all(p.queues.map((q) => q.close()));
  await p.connection.quit().catch(() => p.connection.disconnect());
  await p.db.close();
}
