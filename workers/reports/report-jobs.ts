import { DelayedError, type Job, type Queue } from 'bullmq';
import { shanghaiDay } from '../../domain/time';

/**
 * Scheduled adoption reports (DESIGN §1): on the 1st of each month the previous month's reports,
 * on the 1st of each quarter the previous quarter's, in Asia/Shanghai time. The work itself
 * (figures, HTML, PDF, storage) lives in server/reports; workers/ may not import server/
 * (DESIGN §7), so the process that wires the workers passes it in (see start-reports.ts).
 */
export const REPORTS_QUEUE = 'reports';

export type ReportKind = 'month' | 'quarter';

export interface ReportJobData {
  /** 'deliver': send the report e-mails that are due (first sends and retries). */
  kind: ReportKind | 'deliver';
  /** Explicit period ('2026-09', '2026-Q3'); without it, the period before the job's fire time. */
  period?: string;
  /** Queued at start-up for a scheduled run that may have been missed: skipped once stored. */
  makeUp?: boolean;
}

/** 02:00 / 03:00 on the 1st: the previous day's last blocks are indexed by then. */
export const REPORT_SCHEDULES = [
  { id: 'reports-monthly', pattern: '0 2 1 * *', kind: 'month' },
  { id: 'reports-quarterly', pattern: '0 3 1 1,4,7,10 *', kind: 'quarter' },
] as const satisfies readonly { id: string; pattern: string; kind: ReportKind }[];

export const REPORT_TZ = 'Asia/Shanghai';

/**
 * Report e-mails that are due (a failed one waits 1 min, 5 min, … before its next attempt; the
 * state is in Postgres, so the job only needs to look often).
 */
export const DELIVERY_SCHEDULE = { id: 'report-deliveries', every: 60_000 } as const;

/** Creates or updates the schedulers; safe to call on every start and every Redis reconnect. */
export async function scheduleReportJobs(queue: Queue<ReportJobData>): Promise<void> {
  await queue.upsertJobScheduler(
    DELIVERY_SCHEDULE.id,
    { every: DELIVERY_SCHEDULE.every },
    {
      name: DELIVERY_SCHEDULE.id,
      data: { kind: 'deliver' },
      opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } },
    },
  );
  for (const s of REPORT_SCHEDULES) {
    await queue.upsertJobScheduler(
      s.id,
      { pattern: s.pattern, tz: REPORT_TZ },
      {
        name: s.id,
        data: { kind: s.kind },
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 60_000 },
          removeOnComplete: { count: 50 },
          removeOnFail: { count: 50 },
        },
      },
    );
  }
}

/** The month or quarter just before the Asia/Shanghai day of `atMs`: '2026-09' or '2026-Q3'. */
export function previousPeriodKey(kind: ReportKind, atMs: number): string {
  const day = shanghaiDay(atMs / 1000);
  let year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (kind === 'month') {
    const m = month === 1 ? 12 : month - 1;
    if (month === 1) year -= 1;
    return `${year}-${String(m).padStart(2, '0')}`;
  }
  const q = Math.floor((month - 1) / 3) + 1;
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/**
 * When a scheduler's job was due: BullMQ creates it ahead with a delay, so timestamp + delay is
 * the fire time, and a job that runs late (workers were down) still reports the right period.
 */
export function fireTime(job: Pick<Job, 'timestamp' | 'opts'>): number {
  return job.timestamp + (job.opts.delay ?? 0);
}

/** Year and month (1–12) of `ms` in Asia/Shanghai (+08:00, no DST since 1991). */
function shanghaiMonth(ms: number): { y: number; m: number } {
  const t = new Date(ms + 8 * 3600_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1 };
}

/** `hour`:00 Asia/Shanghai on the 1st of month `m` (1–12, may run over a year either way). */
const firstOfMonthAt = (y: number, m: number, hour: number) => Date.UTC(y, m - 1, 1, hour - 8);

/**
 * The latest time at or before `nowMs` that a schedule of REPORT_SCHEDULES fired (or should have):
 * 02:00 on the 1st of this month, or of the previous one before then; for quarters, 03:00 on the
 * 1st of the quarter's first month.
 */
export function lastFireTime(kind: ReportKind, nowMs: number): number {
  const { y, m } = shanghaiMonth(nowMs);
  const hour = kind === 'month' ? 2 : 3;
  const first = kind === 'month' ? m : m - ((m - 1) % 3);
  const fire = firstOfMonthAt(y, first, hour);
  return fire <= nowMs ? fire : firstOfMonthAt(y, first - (kind === 'month' ? 1 : 3), hour);
}

/**
 * The runs to make up when the workers start: each schedule's last fire time and the period it
 * reports. If the workers were down then (or Redis lost the scheduler's job), nothing else would
 * write that period's reports until someone noticed. A run that did happen is skipped by the job.
 */
export function makeUpRuns(nowMs: number): { kind: ReportKind; period: string; jobId: string }[] {
  return REPORT_SCHEDULES.map((s) => {
    const period = previousPeriodKey(s.kind, lastFireTime(s.kind, nowMs));
    // One job id per period: a second start while it waits or after it ran adds no second job.
    return { kind: s.kind, period, jobId: `make-up-${period}` };
  });
}

/** How long a report waits before looking again whether its period is indexed. */
export const NOT_INDEXED_RETRY_MS = 60_000;

export function createReportProcessor(deps: {
  run: (period: string) => Promise<unknown>;
  deliver?: () => Promise<unknown>;
  /** Where a period's scheduled run stands (see ReportWork.state); absent: always due. */
  state?: (period: string) => Promise<'stored' | 'not-indexed' | 'empty' | 'due'>;
  retryMs?: number;
}) {
  return async (job: Job<ReportJobData>, token?: string): Promise<unknown> => {
    const kind = job.data.kind;
    if (kind === 'deliver') return deps.deliver?.() ?? null;
    const period = job.data.period ?? previousPeriodKey(kind, fireTime(job));
    const state = (await deps.state?.(period)) ?? 'due';
    // A made-up run writes only what the schedule would have: nothing twice, no empty reports.
    if (job.data.makeUp && (state === 'stored' || state === 'empty')) return { period, madeUp: false, state };
    if (state === 'not-indexed') {
      // Workers that start after a downtime reach this before the backfill has caught up: a
      // report written now would miss the period's last days. Wait without burning attempts.
      await job.moveToDelayed(Date.now() + (deps.retryMs ?? NOT_INDEXED_RETRY_MS), token);
      throw new DelayedError(`period ${period} is not indexed to its end yet`);
    }
    return deps.run(period);
  };
}
