import { readFile } from 'node:fs/promises';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { CLI_ACTOR } from '../../server/audit';
import { ServiceError } from '../../server/errors';
import { parseTargetsCsv } from '../../server/targets/csv';
import { upsertTargets } from '../../server/targets/store';
import { CliError, type CliCommand } from '../command';

const usage = 'targets load FILE   (CSV with header region,metric,value,date)';

/** `targets load FILE`: sets adoption targets from a CSV; all lines or none. */
export const targetsCommand: CliCommand = {
  name: 'targets',
  usage,
  options: {},
  allowPositionals: true,
  async run({ env, positionals }) {
    const [verb, file, ...rest] = positionals;
    if (verb !== 'load' || !file || rest.length) throw new CliError(`usage: ${usage}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    await migrateDatabase(env.DATABASE_URL);
    const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-cli' });
    try {
      const rows = await parseTargetsCsv(text);
      // The operator's command line is nation-wide, like create-user.
      return await upsertTargets(handle.db, {
        scope: { regionCode: null },
        actor: CLI_ACTOR,
        rows,
        source: 'cli',
      });
    } catch (e) {
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    } finally {
      await handle.close();
    }
  },
};
