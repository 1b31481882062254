import cn2025 from './cn-2025.json';
import cn2026 from './cn-2026.json';
import cn2027 from './cn-2027.json';

/**
 * The mainland working-day calendar (工作日历): Monday–Friday are working days, except statutory
 * holidays (and their bridging days) of a year's published schedule, plus make-up working days
 * (调休上班) that fall on a Saturday or Sunday. Days are Asia/Shanghai calendar days `YYYY-MM-DD`.
 */
export interface CalendarYear {
  year: number;
  /** true when the file is the State Council's published schedule, false when only derived. */
  official: boolean;
  comment?: string;
  holidays: { name: string; from: string; to: string }[];
  workdays: { name: string; date: string }[];
}

/** One day that differs from the Monday–Friday rule. */
export interface CalendarDay {
  day: string;
  working: boolean;
  name: string;
}

export const SHIPPED_CALENDARS: readonly CalendarYear[] = [cn2025, cn2026, cn2027];

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !DAY_RE.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

/** Checks a calendar file's shape (the loader's input); throws with the offending entry named. */
export function parseCalendarYear(input: unknown): CalendarYear {
  const o = input as Partial<CalendarYear> | null;
  if (!o || typeof o !== 'object') throw new Error('calendar: not a JSON object');
  if (typeof o.year !== 'number' || !Number.isInteger(o.year) || o.year < 2000 || o.year > 2100)
    throw new Error('calendar: "year" must be a year between 2000 and 2100');
  const year = o.year;
  const inYear = (d: string) => d.startsWith(`${year}-`);
  if (!Array.isArray(o.holidays)) throw new Error('calendar: "holidays" must be an array');
  if (!Array.isArray(o.workdays)) throw new Error('calendar: "workdays" must be an array');
  for (const h of o.holidays) {
    if (typeof h?.name !== 'string' || !isDay(h.from) || !isDay(h.to) || h.from > h.to)
      throw new Error(`calendar: bad holiday ${JSON.stringify(h)} (need name, from ≤ to as YYYY-MM-DD)`);
    if (!inYear(h.from) || !inYear(h.to)) throw new Error(`calendar: holiday ${h.name} is outside ${year}`);
  }
  for (const w of o.workdays) {
    if (typeof w?.name !== 'string' || !isDay(w.date))
      throw new Error(`calendar: bad make-up working day ${JSON.stringify(w)} (need name, date)`);
    if (!inYear(w.date)) throw new Error(`calendar: make-up day ${w.date} is outside ${year}`);
  }
  return {
    year,
    official: o.official !== false,
    comment: typeof o.comment === 'string' ? o.comment : undefined,
    holidays: o.holidays,
    workdays: o.workdays,
  };
}

/** The exception days of one year: every holiday day and every make-up working day. */
export function calendarDays(y: CalendarYear): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (const h of y.holidays)
    for (let d = h.from; d <= h.to; d = nextDay(d)) out.push({ day: d, working: false, name: h.name });
  for (const w of y.workdays) out.push({ day: w.date, working: true, name: w.name });
  return out;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai day of an instant (ms). */
export function dayOf(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 Asia/Shanghai of a day, as an instant (ms). */
export function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

export interface WorkCalendar {
  isWorkingDay(day: string): boolean;
  /** The day `n` working days after `day` (n ≥ 0; 0 = `day` itself). */
  addWorkingDays(day: string, n: number): string;
  /** Working days d with from < d ≤ to (0 when to ≤ from). */
  workingDaysBetween(from: string, to: string): number;
  /** Years the calendar has data for (outside them only weekends are days off). */
  years: number[];
}

/**
 * A calendar from shipped years overlaid by loaded ones: a loaded year replaces the shipped one
 * whole (a published schedule supersedes a derived one), so pass the DB's years in `loaded`.
 */
export function createWorkCalendar(
  loaded: readonly CalendarDay[] = [],
  shipped: readonly CalendarYear[] = SHIPPED_CALENDARS,
): WorkCalendar {
  const loadedYears = new Set(loaded.map((d) => Number(d.day.slice(0, 4))));
  const exceptions = new Map<string, boolean>();
  for (const y of shipped)
    if (!loadedYears.has(y.year)) for (const d of calendarDays(y)) exceptions.set(d.day, d.working);
  for (const d of loaded) exceptions.set(d.day, d.working);
  const years = [...new Set([...shipped.map((y) => y.year), ...loadedYears])].sort((a, b) => a - b);

  const isWorkingDay = (day: string) => {
    const ex = exceptions.get(day);
    if (ex !== undefined) return ex;
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  };
  return {
    isWorkingDay,
    years,
    addWorkingDays(day, n) {
      let d = day;
      for (let left = n; left > 0;) {
        d = nextDay(d);
        if (isWorkingDay(d)) left -= 1;
      }
      return d;
    },
    workingDaysBetween(from, to) {
      let n = 0;
      for (let d = nextDay(from); d <= to; d = nextDay(d)) if (isWorkingDay(d)) n += 1;
      return n;
    },
  };
}
