import { sql, type Column, type SQL } from 'drizzle-orm';
import * as z from 'zod';
import { PERIOD_NAMES, type PeriodName } from '~/domain/dashboard';
import { invalid } from '../errors';

/**
 * Reporting periods of the dashboard. Days are Asia/Shanghai calendar days 'YYYY-MM-DD' (the
 * `day` column of every rollup), so all arithmetic here is on calendar dates: a day string is
 * read as midnight UTC only to count days, never to convert time zones.
 */
export { PERIOD_NAMES, type PeriodName } from '~/domain/dashboard';
export type Granularity = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;
/** Longest custom range: three years of daily rollups is still a cheap aggregate. */
export const MAX_PERIOD_DAYS = 1100;

export const dayString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day YYYY-MM-DD')
  // 2026-13-01 parses to NaN, whose toISOString would throw (a 500) instead of failing here.
  .refine((s) => Number.isFinite(fromDay(s)) && toDay(fromDay(s)) === s, 'not a calendar day');

/** The period fields shared by every dashboard input; spread into a z.strictObject. */
export const periodFields = {
  period: z.enum(PERIOD_NAMES).optional(),
  from: dayString.optional(),
  to: dayString.optional(),
};
export interface PeriodInput {
  period?: PeriodName;
  from?: string;
  to?: string;
  /** The server's clock (routers pass the context's; tests pin it). Default: the wall clock. */
  now?: Date;
}

export interface ResolvedPeriod {
  from: string;
  to: string;
  days: number;
  /** The previous period of equal length, ending the day before `from`. */
  prevFrom: string;
  prevTo: string;
  granularity: Granularity;
  /**
   * The period reaches today (Asia/Shanghai), which is not over: its figures are partial, and the
   * comparison is with as many days before it (for a calendar month or quarter, the same days of
   * the previous one).
   */
  partial: boolean;
}

/** Today in Asia/Shanghai (China has no DST: +08:00 always). */
export function shanghaiToday(now: Date = new Date()): string {
  return toDay(now.getTime() + 8 * 3_600_000);
}

/** The first day of the month or quarter before the one starting on `from`. */
function previousCalendarStart(from: string, months: number): string {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7)) - months;
  const yy = m < 1 ? y - 1 : y;
  const mm = m < 1 ? m + 12 : m;
  return `${yy}-${String(mm).padStart(2, '0')}-01`;
}

export function fromDay(s: string): number {
  return Date.parse(`${s}T00:00:00Z`);
}

export function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return toDay(fromDay(day) + n * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((fromDay(to) - fromDay(from)) / DAY_MS) + 1;
}

/** The server's choice: daily points up to a quarter, weekly up to a year, then monthly. */
export function granularityFor(days: number): Granularity {
  if (days <= 92) return 'day';
  if (days <= 366) return 'week';
  return 'month';
}

/**
 * Resolves the requested period. Without an explicit range it ends at `anchor`: the latest
 * indexed day, not wall-clock today (a simulated chain may lie in the past or the future).
 */
export function resolvePeriod(
  input: PeriodInput,
  anchor: string,
  fallback: PeriodName = '30d',
): ResolvedPeriod {
  const today = shanghaiToday(input.now);
  let from: string;
  let to: string;
  let calendar: 0 | 1 | 3 = 0;
  if (input.from !== undefined || input.to !== undefined) {
    if (input.period !== undefined) throw invalid('give either period or from/to, not both');
    if (input.from === undefined || input.to === undefined) throw invalid('from and to go together');
    from = input.from;
    to = input.to;
    if (from > to) throw invalid('from must not be after to');
    // Days that have not come yet have no data: drawn as zeros they look like a collapse.
    if (to > today) throw invalid(`to: ${to} is after today (${today}); choose days up to today`);
    if (daysBetween(from, to) > MAX_PERIOD_DAYS)
      throw invalid(`a period spans at most ${MAX_PERIOD_DAYS} days`);
  } else {
    // A chain whose blocks run ahead of the clock must not move the period into the future.
    const end = anchor > today ? today : anchor;
    to = end;
    const name = input.period ?? fallback;
    if (name === 'month') {
      from = `${end.slice(0, 7)}-01`;
      calendar = 1;
    } else if (name === 'quarter') {
      const m = Number(end.slice(5, 7));
      const qStart = Math.floor((m - 1) / 3) * 3 + 1;
      from = `${end.slice(0, 4)}-${String(qStart).padStart(2, '0')}-01`;
      calendar = 3;
    } else from = addDays(end, -(Number(name.slice(0, -1)) - 1));
  }
  const days = daysBetween(from, to);
  let prevFrom: string;
  let prevTo: string;
  if (calendar !== 0) {
    // Month (quarter) to date against the same days of the previous month (quarter), cut at its end.
    prevFrom = previousCalendarStart(from, calendar);
    const sameDays = addDays(prevFrom, days - 1);
    const prevEnd = addDays(from, -1);
    prevTo = sameDays < prevEnd ? sameDays : prevEnd;
  } else {
    prevTo = addDays(from, -1);
    prevFrom = addDays(prevTo, -(days - 1));
  }
  return {
    from,
    to,
    days,
    prevFrom,
    prevTo,
    granularity: granularityFor(days),
    partial: to >= today,
  };
}

/** The bucket (first day of its day/ISO week/month) a day falls in; twin of bucketSql. */
export function bucketOf(day: string, g: Granularity): string {
  if (g === 'day') return day;
  if (g === 'month') return `${day.slice(0, 7)}-01`;
  const dow = (new Date(fromDay(day)).getUTCDay() + 6) % 7; // Monday = 0, as date_trunc('week')
  return addDays(day, -dow);
}

/** Every bucket from `from` to `to`, so charts show empty buckets as zero instead of a gap. */
export function bucketsBetween(from: string, to: string, g: Granularity): string[] {
  const out: string[] = [];
  let b = bucketOf(from, g);
  while (b <= to) {
    out.push(b);
    if (g === 'day') b = addDays(b, 1);
    else if (g === 'week') b = addDays(b, 7);
    else {
      const y = Number(b.slice(0, 4));
      const m = Number(b.slice(5, 7));
      b = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    }
  }
  return out;
}

/** SQL twin of bucketOf over a 'YYYY-MM-DD' varchar column. */
export function bucketSql(col: Column | SQL, g: Granularity): SQL<string> {
  if (g === 'day') return sql<string>`${col}`;
  if (g === 'month') return sql<string>`(left(${col}, 7) || '-01')`;
  return sql<string>`to_char(date_trunc('week', (${col})::date), 'YYYY-MM-DD')`;
}
