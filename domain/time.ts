import { TZDate } from '@date-fns/tz';

/** Every displayed time and every "day" of a rule is in Asia/Shanghai; storage is UTC. */
export const DISPLAY_TZ = 'Asia/Shanghai';

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of a unix time in seconds. */
export function shanghaiDay(unixSeconds: number): string {
  const d = new TZDate(unixSeconds * 1000, DISPLAY_TZ);
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${day}`;
}

/** The Asia/Shanghai hour (0–23) of a unix time in seconds. */
export function shanghaiHour(unixSeconds: number): number {
  return new TZDate(unixSeconds * 1000, DISPLAY_TZ).getHours();
}
