import type { Db } from '../db/client';
import type { PdfPrinter } from '../server/reports/pdf';
import { createPrintQueue } from '../server/reports/print-queue';
import { deliverDue, enqueueDeliveries } from '../server/reports/delivery';
import { runScheduledReports, scheduledRunState } from '../server/reports/scheduled';
import type { WorkerEnv } from '../workers/env';
import { createMailer } from '../workers/mail/mailer';
import type { LogLine } from '../workers/queues/log';
import type { ReportWork } from '../workers/reports/start-reports';

/**
 * The server's report writer and e-mail delivery, handed to the workers' reports queue. It lives
 * in cli/ because workers/ may not import server/ (DESIGN §7). PDFs go through the shared print
 * queue: Chromium starts on the first report, not at start-up, and a browser that crashed is
 * launched again on the next print instead of failing every later report.
 */
export function createReportWork(p: {
  env: WorkerEnv;
  db: Db;
  log: LogLine;
  /** The clock reports are written at (tests pin it). */
  now?: () => Date;
  /** Launches the browser that prints PDFs (tests pass a stand-in). */
  launchPrinter?: () => Promise<PdfPrinter>;
}): ReportWork {
  const now = p.now ?? (() => new Date());
  // One report at a time (the reports worker runs one job at a time anyway).
  const queue = createPrintQueue({ concurrency: 1, launch: p.launchPrinter });
  const printer: PdfPrinter = {
    print: (html) => queue.print(html),
    connected: () => true,
    close: () => queue.close(),
  };
  // Without SMTP_URL deliveries wait (pending) until a process with it runs.
  const mailer = p.env.SMTP_URL ? createMailer({ smtpUrl: p.env.SMTP_URL, from: p.env.MAIL_FROM }) : null;
  const deliver = async () => {
    if (!mailer) return null;
    const r = await deliverDue(p.db, { sender: mailer, printer, now: now() });
    if (r.sent.length || r.retrying.length || r.failed.length)
      p.log({ level: r.failed.length ? 'warn' : 'info', msg: 'report deliveries', ...r });
    return r;
  };
  return {
    async run(period) {
      const r = await runScheduledReports(p.db, { period, printer, now: now() });
      const queued = await enqueueDeliveries(p.db, { period, now: now() });
      p.log({ level: 'info', msg: 'scheduled reports', period, deliveriesQueued: queued });
      await deliver();
      return r;
    },
    state: (period) => scheduledRunState(p.db, { period }),
    deliver,
    async close() {
      await queue.close();
      mailer?.close();
    },
  };
}
