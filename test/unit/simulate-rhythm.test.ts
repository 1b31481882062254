import { describe, expect, it } from 'vitest';
import { shanghaiDay, shanghaiHour } from '../../domain/time';
import {
  activityWeight,
  isOffHours,
  isWorkingHour,
  shanghaiDayIndex,
  shanghaiHourFast,
  shanghaiTime,
  shanghaiWeekday,
} from '../../chain/simulate/rhythm';

// 2026-09-07 is a Monday; 00:00 Shanghai = 2026-09-06T16:00:00Z.
const MONDAY_MIDNIGHT = Date.UTC(2026, 8, 6, 16) / 1000;

describe('simulate rhythm', () => {
  it('agrees with the time-zone library on hours and days', () => {
    for (let t = MONDAY_MIDNIGHT - 86400 * 3; t < MONDAY_MIDNIGHT + 86400 * 3; t += 1799) {
      expect(shanghaiHourFast(t)).toBe(shanghaiHour(t));
    }
    expect(shanghaiDay(shanghaiTime(shanghaiDayIndex(MONDAY_MIDNIGHT), 22))).toBe('2026-09-07');
    expect(shanghaiHour(shanghaiTime(shanghaiDayIndex(MONDAY_MIDNIGHT), 22))).toBe(22);
  });

  it('knows the weekday in Shanghai', () => {
    expect(shanghaiWeekday(MONDAY_MIDNIGHT)).toBe(1);
    expect(shanghaiWeekday(MONDAY_MIDNIGHT - 1)).toBe(0);
    expect(shanghaiWeekday(MONDAY_MIDNIGHT + 5 * 86400)).toBe(6);
  });

  it('is busy in office hours, quiet at night and on weekends', () => {
    const at = (day: number, hour: number) => activityWeight(MONDAY_MIDNIGHT + day * 86400 + hour * 3600);
    expect(at(0, 10)).toBe(1);
    expect(at(0, 3)).toBeLessThan(0.05);
    expect(at(0, 12)).toBeLessThan(at(0, 10));
    expect(at(5, 10)).toBeCloseTo(0.2);
    expect(at(6, 10)).toBeCloseTo(0.2);
  });

  it('draws the off-hours band at 22:00 and 06:00 exactly', () => {
    const day = shanghaiDayIndex(MONDAY_MIDNIGHT);
    expect(isOffHours(shanghaiTime(day, 22) - 1)).toBe(false);
    expect(isOffHours(shanghaiTime(day, 22))).toBe(true);
    expect(isOffHours(shanghaiTime(day, 6) - 1)).toBe(true);
    expect(isOffHours(shanghaiTime(day, 6))).toBe(false);
    expect(isWorkingHour(shanghaiTime(day, 9))).toBe(true);
    expect(isWorkingHour(shanghaiTime(day, 18))).toBe(false);
  });
});
