import { describe, expect, it } from 'vitest';
import {
  calendarDays,
  createWorkCalendar,
  parseCalendarYear,
  SHIPPED_CALENDARS,
  startOfDay,
} from '../../domain/calendar';
import {
  computeDeadline,
  deadlineState,
  deriveResponsible,
  escalationsDue,
  extendForPause,
  levelAbove,
  overdueWorkingDays,
} from '../../domain/supervision';

const cal = createWorkCalendar();
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('working-day calendar', () => {
  it('knows the 2025 National Day holiday and both make-up days', () => {
    expect(cal.isWorkingDay('2025-09-28')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkingDay('2025-10-01')).toBe(false);
    expect(cal.isWorkingDay('2025-10-08')).toBe(false);
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2025-10-12')).toBe(false); // an ordinary Sunday
  });

  it('knows the 2025 Spring Festival make-up Sunday and Saturday', () => {
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-04')).toBe(false);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    // After Mon 27 Jan: 28 Jan – 4 Feb off, then Wed 5, Thu 6, Fri 7 and the make-up Sat 8.
    expect(cal.workingDaysBetween('2025-01-27', '2025-02-08')).toBe(4);
  });

  it('counts working days across a holiday', () => {
    // After Mon 27 Jan 2025: 28 Jan – 4 Feb holiday, then Wed 5, Thu 6, Fri 7, Sat 8 (make-up).
    expect(cal.addWorkingDays('2025-01-27', 4)).toBe('2025-02-08');
  });

  it('ships 2025–2027, the last one marked as not official', () => {
    expect(SHIPPED_CALENDARS.map((y) => [y.year, y.official])).toEqual([
      [2025, true],
      [2026, true],
      [2027, false],
    ]);
    for (const y of SHIPPED_CALENDARS) expect(parseCalendarYear(y).year).toBe(y.year);
  });

  it('a loaded year replaces the shipped one whole', () => {
    const loaded = createWorkCalendar([{ day: '2027-02-20', working: true, name: '春节调休上班' }]);
    expect(loaded.isWorkingDay('2027-02-20')).toBe(true); // a Saturday made a working day
    expect(loaded.isWorkingDay('2027-02-08')).toBe(true); // the derived holiday is gone with the shipped year
    expect(cal.isWorkingDay('2027-02-08')).toBe(false);
  });

  it('refuses a malformed calendar file with the entry named', () => {
    expect(() =>
      parseCalendarYear({
        year: 2028,
        holidays: [{ name: 'x', from: '2028-02-30', to: '2028-03-01' }],
        workdays: [],
      }),
    ).toThrow(/bad holiday/);
    expect(() =>
      parseCalendarYear({ year: 2028, holidays: [], workdays: [{ name: 'y', date: '2027-12-31' }] }),
    ).toThrow(/outside 2028/);
    expect(
      calendarDays(
        parseCalendarYear({
          year: 2028,
          holidays: [{ name: 'h', from: '2028-01-01', to: '2028-01-03' }],
          workdays: [],
        }),
      ),
    ).toHaveLength(3);
  });
});

describe('deadlines', () => {
  it('a high case handed over on 30 Sep 2025 is due at the end of the make-up Saturday 11 Oct', () => {
    // 1–8 Oct off; Thu 9 = day 1, Fri 10 = day 2, Sat 11 (调休上班) = day 3.
    const d = computeDeadline(cal, at('2025-09-30T10:00:00+08:00'), 3, 0.8);
    expect(iso(d.dueAt)).toBe(iso(at('2025-10-12T00:00:00+08:00')));
    // floor(0.8 × 3) = 2 working days: yellow from the end of Fri 10 Oct.
    expect(iso(d.warnAt)).toBe(iso(at('2025-10-11T00:00:00+08:00')));
  });

  it('a case handed over on Friday 26 Sep 2025 counts the make-up Sunday 28 Sep', () => {
    const d = computeDeadline(cal, at('2025-09-26T16:00:00+08:00'), 3, 0.8);
    // Sun 28 = 1, Mon 29 = 2, Tue 30 = 3.
    expect(iso(d.dueAt)).toBe(iso(at('2025-10-01T00:00:00+08:00')));
  });

  it('medium (5) and low (10) limits over National Day 2026', () => {
    // Fri 25 Sep 2026 is Mid-Autumn, 26–27 weekend, 1–7 Oct holiday, Sun 20 Sep and Sat 10 Oct make-up.
    const m = computeDeadline(cal, at('2026-09-28T09:00:00+08:00'), 5, 0.8);
    // Tue 29 = 1, Wed 30 = 2, Thu 8 Oct = 3, Fri 9 = 4, Sat 10 = 5.
    expect(iso(m.dueAt)).toBe(iso(at('2026-10-11T00:00:00+08:00')));
    const l = computeDeadline(cal, at('2026-09-18T09:00:00+08:00'), 10, 0.8);
    // Sun 20 = 1, 21–24 = 2..5, 28–30 = 6..8, 8 Oct = 9, 9 Oct = 10.
    expect(iso(l.dueAt)).toBe(iso(at('2026-10-10T00:00:00+08:00')));
  });

  it('states: on time, yellow at 80 %, red when overdue; the clock stands while the regulator reviews', () => {
    const c = {
      stage: 'signed',
      dueAt: at('2025-10-12T00:00:00+08:00'),
      warnAt: at('2025-10-11T00:00:00+08:00'),
      answeredAt: null,
      closedLate: null,
    };
    expect(deadlineState(c, at('2025-10-10T12:00:00+08:00'))).toBe('ontime');
    expect(deadlineState(c, at('2025-10-11T09:00:00+08:00'))).toBe('yellow');
    expect(deadlineState(c, at('2025-10-12T00:00:00+08:00'))).toBe('red');
    const answered = { ...c, stage: 'answered', answeredAt: at('2025-10-10T12:00:00+08:00') };
    expect(deadlineState(answered, at('2025-10-20T12:00:00+08:00'))).toBe('ontime');
    expect(deadlineState({ ...c, stage: 'closed', closedLate: true }, 0)).toBe('late');
    expect(deadlineState({ ...c, stage: 'closed', closedLate: false }, 0)).toBe('closed');
  });

  it('a pause moves both marks on by the working days the review took', () => {
    const d = { dueAt: at('2025-10-12T00:00:00+08:00'), warnAt: at('2025-10-11T00:00:00+08:00') };
    // Answered Fri 26 Sep, returned Thu 9 Oct: working days after 26 Sep up to 9 Oct = Sun 28, 29, 30, 9 Oct = 4.
    const moved = extendForPause(cal, d, at('2025-09-26T15:00:00+08:00'), at('2025-10-09T10:00:00+08:00'));
    expect(moved.days).toBe(4);
    // Last day Sat 11 Oct + 4 working days = Mon 13, 14, 15, 16 → due end of Thu 16 Oct.
    expect(iso(moved.dueAt)).toBe(iso(at('2025-10-17T00:00:00+08:00')));
    expect(iso(moved.warnAt)).toBe(iso(at('2025-10-16T00:00:00+08:00')));
    expect(
      extendForPause(cal, d, at('2025-10-13T09:00:00+08:00'), at('2025-10-13T17:00:00+08:00')).days,
    ).toBe(0);
  });

  it('overdue working days and escalation steps', () => {
    const due = at('2025-10-12T00:00:00+08:00'); // end of Sat 11 Oct
    expect(overdueWorkingDays(cal, due, at('2025-10-11T23:00:00+08:00'))).toBe(0);
    expect(overdueWorkingDays(cal, due, at('2025-10-13T09:00:00+08:00'))).toBe(0); // Sun 12 is off
    expect(overdueWorkingDays(cal, due, at('2025-10-14T09:00:00+08:00'))).toBe(1); // Mon 13 complete
    expect(overdueWorkingDays(cal, due, at('2025-10-15T09:00:00+08:00'))).toBe(2);
    expect(escalationsDue(1, 2)).toBe(0);
    expect(escalationsDue(2, 2)).toBe(1);
    expect(escalationsDue(5, 2)).toBe(2);
  });

  it('levels: district → city → province → nation', () => {
    expect(levelAbove(440106)).toBe(440100);
    expect(levelAbove(440100)).toBe(440000);
    expect(levelAbove(440000)).toBeNull();
    expect(levelAbove(null)).toBeUndefined();
    expect(startOfDay('2025-10-12')).toBe(at('2025-10-12T00:00:00+08:00'));
  });
});

describe('responsible department rule', () => {
  const known = new Set(['0xaa', '0xbb', '0xcc']);
  const isOrg = (a: string) => known.has(a);
  it('takes the accessor of an access rule, the claimant of 一票多报, the verifier of a revoked certificate', () => {
    expect(
      deriveResponsible('ACCESS_WITHOUT_GRANT', [{ accessor: '0xAA', grantId: '0x1' }], null, isOrg),
    ).toBe('0xaa');
    expect(
      deriveResponsible('DUPLICATE_REIMBURSEMENT', [{ claimant: '0xbb' }, { claimant: '0xcc' }], null, isOrg),
    ).toBe('0xcc');
    expect(
      deriveResponsible('REVOKED_CERTIFICATE_USED', [{ verifier: '0xbb', certHash: '0x2' }], '0xaa', isOrg),
    ).toBe('0xbb');
  });
  it('falls back to the incident org, and to nobody for an unregistered party or a stalled chain', () => {
    expect(deriveResponsible('VOLUME_SPIKE', [], '0xaa', isOrg)).toBe('0xaa');
    expect(deriveResponsible('UNREGISTERED_ACTOR', [{ grantee: '0xdd', grantor: '0xbb' }], null, isOrg)).toBe(
      '0xbb',
    );
    expect(deriveResponsible('UNREGISTERED_ACTOR', [{ accessor: '0xdd' }], '0xdd', isOrg)).toBeNull();
    expect(deriveResponsible('CHAIN_STALLED', [], null, isOrg)).toBeNull();
  });
});
