import type { Db } from '../db/client';
import { createPdfPrinter, type PdfPrinter } from '../server/reports/pdf';
import { deliverDue, enqueueDeliveries } from '../server/reports/delivery';
import { runScheduledReports } from '../server/reports/scheduled';
import type { WorkerEnv } from '../workers/env';
import { createMailer } from '../workers/mail/mailer';
import type { LogLine } from '../workers/queues/log';
import type { ReportWork } from '../workers/reports/start-reports';

/**
 * The server's report writer and e-mail delivery, handed to the workers' reports queue. It lives
 * in cli/ because workers/ may not import server/ (DESIGN §7). Chromium starts on the first
 * report, not at start-up.
 */
export function createReportWork(p: { env: WorkerEnv; db: Db; log: LogLine }): ReportWork {
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
  return {
    async run(period) {
      printer ??= await createPdfPrinter();
      const r = await runScheduledReports(p.db, { period, printer });
      const queued = await enqueueDeliveries(p.db, { period, now: new Date() });
      p.log({ level: 'info', msg: 'scheduled reports', period, deliveriesQueued: queued });
      await deliver();
      return r;
    },
    deliver,
    async close() {
      await printer?.close();
      mailer?.close();
    },
  };
}
