import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { keepScheduled } from '../queues/schedulers';
import { deliverAlert, markAlertFailed, planAlerts, type AlertJobData } from './deliver';

export const ALERTS_QUEUE = 'alerts';
const ATTEMPTS = 8;

/**
 * Webhook alerts for new high-severity incidents: a scheduler job (every 2 s) plans deliveries
 * from Postgres, delivery jobs POST them, retried with exponential backoff (1 s … ~2 min).
 * Returns null when no webhook is configured.
 */
export async function startAlerts(p: {
  url: string | undefined;
  secret: string | undefined;
  connection: Redis;
  prefix: string;
  pool: pg.Pool;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ close(): Promise<void> } | null> {
  if (!p.url || !p.secret) return null;
  const { url, secret } = p;
  const queue = new Queue<AlertJobData>(ALERTS_QUEUE, {
    connection: p.connection,
    prefix: p.prefix,
    defaultJobOptions: {
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 500 },
      removeOnFail: { count: 500 },
    },
  });
  await keepScheduled(
    p.connection,
    'alerts',
    async () => {
      await queue.upsertJobScheduler(
        'alerts-plan',
        { every: 2000 },
        { name: 'plan', data: { incidentId: 0 } },
      );
    },
    p.log,
  );
  const worker = new Worker<AlertJobData>(
    ALERTS_QUEUE,
    async (job) => {
      if (job.name === 'plan') return { planned: await planAlerts(p.pool, queue) };
      return { result: await deliverAlert(p.pool, { url, secret, incidentId: job.data.incidentId }) };
    },
    { connection: p.connection, prefix: p.prefix, concurrency: 2 },
  );
  worker.on('failed', (job, err) => {
    p.log({
      level: 'warn',
      msg: 'alert delivery failed',
      job: job?.id,
      attempt: job?.attemptsMade,
      err: err.message,
    });
    if (job && job.name === 'alert' && job.attemptsMade >= ATTEMPTS) {
      void markAlertFailed(p.pool, job.data.incidentId).catch(() => {});
    }
  });
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
