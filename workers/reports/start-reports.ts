import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LogLine } from '../queues/log';
import { keepScheduled } from '../queues/schedulers';
import {
  createReportProcessor,
  makeUpRuns,
  REPORTS_QUEUE,
  scheduleReportJobs,
  type ReportJobData,
} from './report-jobs';

/**
 * What the reports queue runs. The work itself (figures, PDF, e-mail) lives in server/reports,
 * which workers/ may not import (DESIGN §7): the command that starts the workers passes it in.
 */
export interface ReportWork {
  /** Writes a period's reports ('2026-09', '2026-Q3') and queues their e-mails. */
  run(period: string): Promise<unknown>;
  /**
   * 'stored': the period's scheduled reports exist; 'not-indexed': the chain is not indexed past
   * the period's end yet; 'empty': the chain holds no activity in it; 'due': write them.
   */
  state(period: string): Promise<'stored' | 'not-indexed' | 'empty' | 'due'>;
  /** Sends the report e-mails that are due (first sends and retries). */
  deliver(): Promise<unknown>;
  /** Releases what the work holds (a browser for PDFs, an SMTP pool). */
  close(): Promise<void>;
}

/**
 * Scheduled adoption reports (monthly on the 1st, quarterly) and their e-mail deliveries, one
 * job at a time: a report may take a browser a while, hence the long lock. At start the last
 * run of each schedule is queued again, to be made up if it was missed (see makeUpRuns).
 */
export async function startReports(p: {
  connection: Redis;
  prefix: string;
  work: ReportWork;
  log: LogLine;
  /** The clock that says which runs are due (tests pin it). */
  now?: () => number;
  /** How long a report for a period not yet indexed waits before looking again. */
  retryMs?: number;
}): Promise<{ close(): Promise<void> }> {
  const { connection, prefix, log } = p;
  const queue = new Queue<ReportJobData>(REPORTS_QUEUE, { connection, prefix });
  queue.on('error', (e: Error) => log({ level: 'warn', msg: 'reports queue error', err: e.message }));
  await keepScheduled(connection, 'reports', () => scheduleReportJobs(queue), log);
  for (const r of makeUpRuns((p.now ?? Date.now)())) {
    await queue.add(
      'reports-make-up',
      { kind: r.kind, period: r.period, makeUp: true },
      {
        jobId: r.jobId,
        attempts: 5,
        backoff: { type: 'exponential', delay: 60_000 },
        // Kept a while, so a restart soon after does not queue the same period again.
        removeOnComplete: { age: 40 * 86_400 },
        removeOnFail: { count: 50 },
      },
    );
  }
  const worker = new Worker<ReportJobData>(
    REPORTS_QUEUE,
    createReportProcessor({
      run: (period) => p.work.run(period),
      deliver: () => p.work.deliver(),
      state: (period) => p.work.state(period),
      retryMs: p.retryMs,
    }),
    { connection, prefix, concurrency: 1, lockDuration: 120_000 },
  );
  worker.on('error', (e: Error) => log({ level: 'warn', msg: 'reports worker error', err: e.message }));
  return {
    async close() {
      await worker.close();
      await queue.close();
      await p.work.close();
    },
  };
}
