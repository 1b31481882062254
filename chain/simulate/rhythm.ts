/**
 * Asia/Shanghai clock arithmetic and the daily/weekly rhythm of government work.
 * China has no daylight saving time, so Shanghai local time is always UTC+8; plain arithmetic is
 * exact and far cheaper than a time-zone library in loops over millions of events.
 */
const SHANGHAI_OFFSET = 8 * 3600;
const DAY = 86400;

export function shanghaiDayIndex(unixSeconds: number): number {
  return Math.floor((unixSeconds + SHANGHAI_OFFSET) / DAY);
}

export function shanghaiHourFast(unixSeconds: number): number {
  return Math.floor(((((unixSeconds + SHANGHAI_OFFSET) % DAY) + DAY) % DAY) / 3600);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function shanghaiWeekday(unixSeconds: number): number {
  return (((shanghaiDayIndex(unixSeconds) + 4) % 7) + 7) % 7;
}

/** Unix time of hh:00:00 Shanghai on the Shanghai day with this index. */
export function shanghaiTime(dayIndex: number, hour: number, minute = 0): number {
  return dayIndex * DAY - SHANGHAI_OFFSET + hour * 3600 + minute * 60;
}

// Relative activity per Shanghai hour: office hours 9–12 and 14–18, a lunch dip, little at night.
const HOUR_WEIGHT = [
  0.02, 0.015, 0.01, 0.01, 0.01, 0.02, 0.05, 0.15, 0.5, 1, 1, 1, 0.45, 0.7, 1, 1, 1, 0.9, 0.5, 0.3, 0.2, 0.1,
  0.05, 0.03,
];

/** Relative activity at a moment: the hour's weight, a fifth of it on weekends. */
export function activityWeight(unixSeconds: number): number {
  const w = HOUR_WEIGHT[shanghaiHourFast(unixSeconds)] ?? 0;
  const wd = shanghaiWeekday(unixSeconds);
  return wd === 0 || wd === 6 ? w * 0.2 : w;
}

/** Working hours for injected anomalies that must not look off-hours: 9:00–17:59 Shanghai. */
export function isWorkingHour(unixSeconds: number): boolean {
  const h = shanghaiHourFast(unixSeconds);
  return h >= 9 && h < 18;
}

/** The off-hours band of OFF_HOURS_BULK: 22:00–05:59 Shanghai. */
export function isOffHours(unixSeconds: number): boolean {
  const h = shanghaiHourFast(unixSeconds);
  return h >= 22 || h < 6;
}
