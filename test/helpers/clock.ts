/**
 * The pinned clock of simulated worlds: tests never read today's date. The default is an awkward
 * one on purpose (the 1st of a month, which once broke the reports world); `LIANJIAN_TEST_CLOCK`
 * (an ISO time) replays a suite at another date, e.g. 2028-02-29T08:00:00+08:00 or a 31 December.
 */
export const DEFAULT_TEST_CLOCK = '2026-08-01T09:00:00+08:00';

export function testClock(): number {
  const iso = process.env.LIANJIAN_TEST_CLOCK ?? DEFAULT_TEST_CLOCK;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`LIANJIAN_TEST_CLOCK is not an ISO time: ${iso}`);
  return Math.floor(ms / 1000);
}

const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** The first calendar month (YYYY-MM) that starts on or after `firstDay` (YYYY-MM-DD). */
export function firstWholeMonth(firstDay: string): string {
  return firstDay.endsWith('-01') ? firstDay.slice(0, 7) : nextMonth(firstDay.slice(0, 7));
}

/** The last day (YYYY-MM-DD) of month `m` (YYYY-MM). */
export function lastDayOf(m: string): string {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${m}-${String(days).padStart(2, '0')}`;
}
