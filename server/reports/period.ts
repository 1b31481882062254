import { addDays } from '../services/period';

/**
 * Reporting periods of an adoption report: a month '2026-09', a quarter '2026-Q3' or a year
 * '2026'. Days are Asia/Shanghai calendar days, the `day` of every rollup.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface ReportPeriod {
  key: string;
  kind: PeriodKind;
  /** First and last Asia/Shanghai day, inclusive. */
  from: string;
  to: string;
  /** 2026年9月 / 2026年第三季度 / 2026年 */
  labelZh: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;
const QUARTER_ZH = ['一', '二', '三', '四'] as const;

function lastDayOfMonth(year: number, month: number): string {
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

const mm = (m: number) => String(m).padStart(2, '0');

/** Parses '2026-09' | '2026-Q3' | '2026'; null for anything else. */
export function parseReportPeriod(key: string): ReportPeriod | null {
  const m = PERIOD_PATTERN.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2099) return null;
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    return {
      key,
      kind: 'month',
      from: `${year}-${mm(month)}-01`,
      to: lastDayOfMonth(year, month),
      labelZh: `${year}年${month}月`,
    };
  }
  if (m[3] !== undefined) {
    const q = Number(m[3]);
    const first = (q - 1) * 3 + 1;
    return {
      key,
      kind: 'quarter',
      from: `${year}-${mm(first)}-01`,
      to: lastDayOfMonth(year, first + 2),
      labelZh: `${year}年第${QUARTER_ZH[q - 1] ?? q}季度`,
    };
  }
  return { key, kind: 'year', from: `${year}-01-01`, to: `${year}-12-31`, labelZh: `${year}年` };
}

/** The period of the same kind just before `p` (September → August, Q1 → last year's Q4). */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  return periodContaining(p.kind, addDays(p.from, -1));
}

/** The period of `kind` that holds the Asia/Shanghai day `day`. */
export function periodContaining(kind: PeriodKind, day: string): ReportPeriod {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  const key =
    kind === 'month'
      ? `${year}-${mm(month)}`
      : kind === 'quarter'
        ? `${year}-Q${Math.floor((month - 1) / 3) + 1}`
        : year;
  const p = parseReportPeriod(key);
  if (!p) throw new Error(`no ${kind} period holds ${day}`);
  return p;
}

/** 上月 / 上季度 / 上年: how the summary names the previous period. */
export const PREVIOUS_ZH: Record<PeriodKind, string> = { month: '上月', quarter: '上季度', year: '上年' };

/** The UTC instant at which an Asia/Shanghai day begins (China has no DST: always +08:00). */
export function shanghaiDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** First day of each month from `from` to `to`, as 'YYYY-MM'. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${mm(m)}`;
    if (key > end) break;
    out.push(key);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
