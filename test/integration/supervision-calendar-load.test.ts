import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarCommand } from '../../cli/commands/calendar';
import { loadWorkCalendar } from '../../db/supervision-config';
import { loadWorkerEnv } from '../../workers/env';
import { createTestDb, type TestDb } from '../helpers/db';

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(join(tmpdir(), 'lianjian-cal-'));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = (positionals: string[]) =>
  calendarCommand.run({ env: loadWorkerEnv({ DATABASE_URL: db.url }), values: {}, positionals });

describe('calendar load', () => {
  it('loads a published year, which then replaces the shipped (derived) one', async () => {
    const file = join(dir, 'cn-2027.json');
    await writeFile(
      file,
      JSON.stringify({
        year: 2027,
        official: true,
        holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }],
        workdays: [{ name: '春节调休上班', date: '2027-02-20' }],
      }),
    );
    expect(await run(['load', file])).toEqual({ year: 2027, days: 8, official: true });
    const cal = await loadWorkCalendar(db.db);
    expect(cal.isWorkingDay('2027-02-10')).toBe(false);
    expect(cal.isWorkingDay('2027-02-20')).toBe(true);
    expect(cal.isWorkingDay('2027-10-01')).toBe(true); // the derived National Day went with the shipped year
    expect(cal.isWorkingDay('2025-10-01')).toBe(false); // other years keep the shipped data
    // Loading again replaces, never adds.
    expect(await run(['load', file])).toEqual({ year: 2027, days: 8, official: true });
  });

  it('refuses a bad file with a one-line reason', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        year: 2027,
        holidays: [{ name: 'x', from: '2027-13-01', to: '2027-13-02' }],
        workdays: [],
      }),
    );
    await expect(run(['load', file])).rejects.toThrow(/bad holiday/);
    await expect(run(['load'])).rejects.toThrow(/usage: calendar load FILE/);
    await expect(run(['load', join(dir, 'missing.json')])).rejects.toThrow(/cannot read/);
  });
});
