import { migrationUrl } from '../../workers/env';
import { migrateDatabase } from '../../db/migrate';
import type { CliCommand } from '../command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  options: {},
  async run({ env }) {
    await migrateDatabase(migrationUrl(env));
    return { migrated: true };
  },
};
