import { between, eq } from 'drizzle-orm';
import {
  calendarDays as calendarDaysOf,
  createWorkCalendar,
  type CalendarYear,
  type WorkCalendar,
} from '../domain/calendar';
import { DEFAULT_SUPERVISION_SETTINGS, type SupervisionSettings } from '../domain/supervision';
import type { Db } from './client';
import { calendarDays, supervisionSettings } from './schema/supervision';

/**
 * The working-day calendar in force: the shipped years of domain/calendar overlaid by the years
 * loaded with `calendar load` (a few hundred rows at most, read per use so a load applies at once
 * in every process).
 */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  const rows = await db
    .select({ day: calendarDays.day, working: calendarDays.working, name: calendarDays.name })
    .from(calendarDays);
  return createWorkCalendar(rows);
}

/** The deployment's supervision settings, or the defaults while none are saved. */
export async function loadSupervisionSettings(db: Db): Promise<SupervisionSettings> {
  const [row] = await db.select().from(supervisionSettings).where(eq(supervisionSettings.id, 1));
  if (!row) return DEFAULT_SUPERVISION_SETTINGS;
  return {
    deadlineDays: { high: row.deadlineHigh, medium: row.deadlineMedium, low: row.deadlineLow },
    warnFraction: row.warnPercent / 100,
    escalateAfterDays: row.escalateAfterDays,
  };
}

/**
 * Replaces one year of the loaded calendar with a published schedule (holidays and make-up working
 * days), in one transaction; returns how many exception days the year now has.
 */
export async function storeCalendarYear(db: Db, year: CalendarYear): Promise<{ year: number; days: number }> {
  const days = calendarDaysOf(year);
  await db.transaction(async (tx) => {
    await tx
      .delete(calendarDays)
      .where(between(calendarDays.day, `${year.year}-01-01`, `${year.year}-12-31`));
    if (days.length > 0) await tx.insert(calendarDays).values(days);
  });
  return { year: year.year, days: days.length };
}
