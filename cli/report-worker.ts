import { createWorkerRedis } from '../workers/redis-connection';
import { Queue, Worker } from 'bullmq';
import type { Db } from '../db/client';
import { createPdfPrinter, type PdfPrinter } from '../server/reports/pdf';
import { deliverDue, enqueueDeliveries } from '../server/reports/delivery';
import { runScheduledReports } from '../server/reports/scheduled';
import { createMailer } from '../workers/mail/mailer';
import {
  createReportProcessor,
  REPORTS_QUEUE,
  scheduleReportJobs,
  type ReportJobData,
} from '../workers/jobs/generate-reports';
import type { WorkerEnv } from '../workers/env';

/**
 * Scheduled adoption reports (monthly on the 1st, quarterly), run by `work`. It lives in cli/
 * because it joins the workers' queue to the server's report writer, and workers/ may not import
 * server/ (DESIGN §7). Chromium starts on the first report, not at start-up.
 */
export async function startReportWorker(p: {
  env: WorkerEnv;
  db: Db;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ close(): Promise<void> }> {
  const connection = createWorkerRedis(p.env, { maxRetriesPerRequest: null });
  connection.on('error', (e: Error) =>
    p.log({ level: 'warn', msg: 'redis error (reports)', err: e.message }),
  );
  const prefix = p.env.QUEUE_PREFIX;
  const queue = new Queue<ReportJobData>(REPORTS_QUEUE, { connection, prefix });
  queue.on('error', (e: Error) => p.log({ level: 'warn', msg: 'reports queue error', err: e.message }));
  await scheduleReportJobs(queue);
  // An emptied Redis loses the schedulers: put them back on every reconnect.
  connection.on('ready', () => {
    scheduleReportJobs(queue).catch((e: Error) =>
      p.log({ level: 'warn', msg: 'report schedule failed', err: e.message }),
    );
  });
  let printer: PdfPrinter | null = null;
  // Without SMTP_URL deliveries wait (pending) until a process with it runs.
  const mailer = p.env.SMTP_URL ? createMailer({ smtpUrl: p.env.SMTP_URL, from: p.env.MAIL_FROM }) : null;
  const deliver = async () => {
    if (!mailer) return null;
    printer ??= await createPdfPrinter();
    const r = await deliverDue(p.db, { sender: mailer, printer, now: new Date() });
    if (r.sent.length || r.retrying.length || r.failed.length)
      p.log({ level: r.failed.length ? 'warn' : 'info', msg: 'report deliveries', ...r });
    return r;
  };
  const worker = new Worker<ReportJobData>(
    REPORTS_QUEUE,
    createReportProcessor({
      run: async (period) => {
        printer ??= await createPdfPrinter();
        const r = await runScheduledReports(p.db, { period, printer });
        const queued = await enqueueDeliveries(p.db, { period, now: new Date() });
        p.log({ level: 'info', msg: 'scheduled reports', period, deliveriesQueued: queued });
        await deliver();
        return r;
      },
      deliver,
    }),
    { connection, prefix, concurrency: 1, lockDuration: 120_000 },
  );
  worker.on('error', (e: Error) => p.log({ level: 'warn', msg: 'reports worker error', err: e.message }));
  return {
    async close() {
      await worker.close();
      await queue.close();
      await printer?.close();
      mailer?.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
