import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client';
import { createMailer } from '../mail/mailer';
import { keepScheduled } from '../queues/schedulers';
import { sweepSupervision } from './sweep';

export const SUPERVISION_QUEUE = 'supervision';

/**
 * 督办 sweeps: one scheduler job (every minute by default) escalates overdue cases and sends
 * reminders (sweepSupervision). Any number of worker processes may run it: the database keys
 * make every escalation and notice happen once.
 */
export async function startSupervision(p: {
  db: Db;
  connection: Redis;
  prefix: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  webhook: { url: string; secret: string } | null;
  everyMs?: number;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ close(): Promise<void> }> {
  const mailer = p.smtpUrl ? createMailer({ smtpUrl: p.smtpUrl, from: p.mailFrom }) : null;
  const queue = new Queue(SUPERVISION_QUEUE, {
    connection: p.connection,
    prefix: p.prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  await keepScheduled(
    p.connection,
    'supervision',
    async () => {
      await queue.upsertJobScheduler('supervision-sweep', { every: p.everyMs ?? 60_000 }, { name: 'sweep' });
    },
    p.log,
  );
  const worker = new Worker(
    SUPERVISION_QUEUE,
    async () => {
      const r = await sweepSupervision({ db: p.db, mailer, webhook: p.webhook, now: new Date() });
      if (r.escalated + r.claimed + r.sent + r.failed > 0)
        p.log({ level: 'info', msg: 'supervision sweep', ...r });
      return r;
    },
    { connection: p.connection, prefix: p.prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, err) =>
    p.log({ level: 'warn', msg: 'supervision sweep failed', err: err.message }),
  );
  return {
    async close() {
      await worker.close();
      await queue.close();
      mailer?.close();
    },
  };
}
