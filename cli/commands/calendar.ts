import { readFile } from 'node:fs/promises';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { storeCalendarYear } from '../../db/supervision-config';
import { parseCalendarYear } from '../../domain/calendar';
import { CliError, type CliCommand } from '../command';

const usage = 'calendar load FILE';

/**
 * `calendar load FILE`: loads a year's published working-day calendar (the JSON format of
 * domain/calendar/cn-2025.json: holidays as from–to ranges, make-up working days as dates). The
 * year replaces any earlier load and the shipped data of that year.
 */
export const calendarCommand: CliCommand = {
  name: 'calendar',
  usage,
  options: {},
  allowPositionals: true,
  async run({ env, positionals }) {
    const [sub, file, ...rest] = positionals;
    if (sub !== 'load' || !file || rest.length > 0) throw new CliError(`usage: ${usage}`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    let year;
    try {
      year = parseCalendarYear(json);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    await migrateDatabase(env.DATABASE_URL);
    const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-cli' });
    try {
      const stored = await storeCalendarYear(handle.db, year);
      return { ...stored, official: year.official };
    } finally {
      await handle.close();
    }
  },
};
