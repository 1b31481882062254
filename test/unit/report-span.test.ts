import { describe, expect, it } from 'vitest';
import { reportSpan } from '../../server/reports/compose';
import { parseReportPeriod } from '../../server/reports/period';

const span = (key: string, today: string) => {
  const p = parseReportPeriod(key);
  if (!p) throw new Error(key);
  return reportSpan(p, today);
};
const range = (p: { from: string; to: string }) => `${p.from}…${p.to}`;

describe('report span: partial periods like for like, future periods refused', () => {
  it('a complete month is compared with the whole previous month', () => {
    const s = span('2026-11', '2026-12-01');
    expect(s.partial).toBeNull();
    expect(range(s.covered)).toBe('2026-11-01…2026-11-30');
    expect(range(s.previous)).toBe('2026-10-01…2026-10-31');
  });

  it('on the 1st, month-to-date is one day, compared with the 1st of the previous month', () => {
    const s = span('2026-12', '2026-12-01');
    expect(s.partial).toEqual({ through: '2026-12-01', days: 1, ofDays: 31 });
    expect(range(s.covered)).toBe('2026-12-01…2026-12-01');
    expect(range(s.previous)).toBe('2026-11-01…2026-11-01');
  });

  it('on the last day of a month the month is still running (today counts as covered)', () => {
    const s = span('2026-12', '2026-12-31');
    expect(s.partial).toEqual({ through: '2026-12-31', days: 31, ofDays: 31 });
    // November has 30 days: the comparison stops at its end.
    expect(range(s.previous)).toBe('2026-11-01…2026-11-30');
  });

  it('on 29 February the previous month is cut to 29 days; 31 March compares with all of February', () => {
    expect(range(span('2028-02', '2028-02-29').previous)).toBe('2028-01-01…2028-01-29');
    expect(range(span('2028-03', '2028-03-31').previous)).toBe('2028-02-01…2028-02-29');
    expect(range(span('2028-03', '2028-03-30').previous)).toBe('2028-02-01…2028-02-29');
  });

  it('quarter and year to date compare with the same number of days', () => {
    const q = span('2026-Q4', '2026-12-01');
    expect(q.partial).toEqual({ through: '2026-12-01', days: 62, ofDays: 92 });
    expect(range(q.previous)).toBe('2026-07-01…2026-08-31');
    const y = span('2026', '2026-12-31');
    expect(y.partial?.days).toBe(365);
    expect(range(y.previous)).toBe('2025-01-01…2025-12-31');
  });

  it('a period that has not begun is refused with a plain message', () => {
    expect(() => span('2027-03', '2026-12-01')).toThrow(
      'period: 2027-03 has not begun yet (today is 2026-12-01 in Asia/Shanghai); choose a period that has begun',
    );
    expect(() => span('2027-01', '2026-12-31')).toThrow(/has not begun/);
    expect(span('2027-01', '2027-01-01').partial?.days).toBe(1);
  });
});
