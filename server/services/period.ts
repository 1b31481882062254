import { sql, type Column, type SQL } from 'drizzle-orm';
import { z } from 'zod';
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
  .refine((s) => toDay(fromDay(s)) === s, 'not a calendar day');

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
}

export interface ResolvedPeriod {
  from: string;
  to: string;
  days: number;
  /** The previous period of equal length, ending the day before `from`. */
  prevFrom: string;
  prevTo: string;
  granularity: Granularity;
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
  let from: string;
  let to: string;
  if (input.from !== undefined || input.to !== undefined) {
    if (input.period !== undefined) throw invalid('give either period or from/to, not both');
    if (input.from === undefined || input.to === undefined) throw invalid('from and to go together');
    from = input.from;
    to = input.to;
    if (from > to) throw invalid('from must not be after to');
    if (daysBetween(from, to) > MAX_PERIOD_DAYS)
      throw invalid(`a period spans at most ${MAX_PERIOD_DAYS} days`);
  } else {
    to = anchor;
    const name = input.period ?? fallback;
    if (name === 'month') from = `${anchor.slice(0, 7)}-01`;
    else if (name === 'quarter') {
      const m = Number(anchor.slice(5, 7));
      const qStart = Math.floor((m - 1) / 3) * 3 + 1;
      from = `${anchor.slice(0, 4)}-${String(qStart).padStart(2, '0')}-01`;
    } else from = addDays(anchor, -(Number(name.slice(0, -1)) - 1));
  }
  const days = daysBetween(from, to);
  const prevTo = addDays(from, -1);
  return {
    from,
    to,
    days,
    prevFrom: addDays(prevTo, -(days - 1)),
    prevTo,
    granularity: granularityFor(days),
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
