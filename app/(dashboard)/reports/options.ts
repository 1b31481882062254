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

/** How far back the picker reaches: two years of months, three of quarters, five years. */
const CHOICES: Record<PeriodKind, number> = { month: 24, quarter: 12, year: 5 };

/**
 * The periods the picker offers: only complete ones (ended before `today`, Asia/Shanghai
 * 'YYYY-MM-DD'), newest first, starting with defaultPeriod. A running or future period cannot be
 * chosen; the server refuses one sent by hand (reportSpan).
 */
export function periodChoices(kind: PeriodKind, today: string, count = CHOICES[kind]): string[] {
  const out: string[] = [];
  let y = Number(today.slice(0, 4));
  if (kind === 'year') {
    for (let i = 1; i <= count; i++) out.push(String(y - i));
    return out;
  }
  const step = kind === 'month' ? 1 : 3;
  // Index of the current month or quarter's first month, counted in months from year 0.
  const m0 = Number(today.slice(5, 7)) - 1;
  let at = y * 12 + (kind === 'month' ? m0 : m0 - (m0 % 3));
  for (let i = 0; i < count; i++) {
    at -= step;
    y = Math.floor(at / 12);
    const m = (at % 12) + 1;
    out.push(kind === 'month' ? `${y}-${String(m).padStart(2, '0')}` : `${y}-Q${(m - 1) / 3 + 1}`);
  }
  return out;
}

/** The catalogue key (reports.errors.*) of a refused generate request, from the server's answer. */
export function reportErrorKey(
  message: string,
  code: string | undefined,
): 'futurePeriod' | 'badPeriod' | 'badRegion' | 'rateLimited' | 'noChain' | 'other' {
  if (code === 'TOO_MANY_REQUESTS') return 'rateLimited';
  if (/has not begun/.test(message)) return 'futurePeriod';
  if (code === 'NOT_FOUND' && /chain/.test(message)) return 'noChain';
  // Input validation (zod's JSON) or the service's 'field: message'.
  if (code === 'BAD_REQUEST' || code === 'FORBIDDEN') {
    if (/region/.test(message)) return 'badRegion';
    if (/period/.test(message)) return 'badPeriod';
  }
  return 'other';
}

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
