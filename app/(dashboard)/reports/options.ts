import { shanghaiTime } from '../../../domain/format';
import { CITIES, PROVINCES, provinceOf, regionContains, regionName } from '../../../domain/regions';

/**
 * The regions a caller may report on, for the builder's select: the nation (code 0) only for
 * nation-wide callers; a province's leader gets the province and its cities. The server checks
 * again (reports.generate refuses a region outside the scope).
 */
export function regionOptions(scope: number | null, lang: 'zh' | 'en'): { code: number; label: string }[] {
  const all = [...PROVINCES, ...CITIES]
    .filter((r) => r.level !== 'district' || [11, 12, 31, 50].includes(Math.floor(r.code / 10000)))
    .filter((r) => scope === null || regionContains(scope, r.code))
    .sort((a, b) => a.code - b.code);
  const options = all.map((r) => ({
    code: r.code,
    label:
      r.level === 'province'
        ? regionName(r.code, lang)
        : `${regionName(provinceOf(r.code), lang)} · ${regionName(r.code, lang)}`,
  }));
  return scope === null ? [{ code: 0, label: lang === 'en' ? 'Nation' : '全国' }, ...options] : options;
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** The last complete period of a kind before `today` (Asia/Shanghai 'YYYY-MM-DD'): the usual choice. */
export function defaultPeriod(kind: PeriodKind, today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  if (kind === 'year') return String(y - 1);
  if (kind === 'month') return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const q = Math.floor((m - 1) / 3) + 1;
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

export const PERIOD_RE: Record<PeriodKind, RegExp> = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

/** Today in Asia/Shanghai, whatever the browser's zone. */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** Minutes are enough in the report list; the one date-time form of every page (domain/format). */
export function formatShanghai(d: Date, lang: 'zh' | 'en'): string {
  return shanghaiTime(d, lang).slice(0, 16);
}

/** '2026-Q3' → '2026年第3季度' / '2026 Q3'; '2026-09' → '2026年9月'. */
export function periodLabel(key: string, lang: 'zh' | 'en'): string {
  const [y, rest] = key.split('-');
  if (!rest) return lang === 'en' ? `${y}` : `${y}年`;
  if (rest.startsWith('Q')) return lang === 'en' ? `${y} ${rest}` : `${y}年第${rest.slice(1)}季度`;
  return lang === 'en' ? `${y}-${rest}` : `${y}年${Number(rest)}月`;
}
