import { migrationUrl } from '../../workers/env';
import { existsSync } from 'node:fs';
import { readDeployment } from '../../chain/deployment';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import type { CliCommand } from '../command';
import { CliError } from '../command';

export const statsCommand: CliCommand = {
  name: 'stats',
  usage: 'stats',
  options: {},
  async run({ env }) {
    await migrateDatabase(migrationUrl(env));
    const dbh = createDb(env.DATABASE_URL, { max: 2, applicationName: 'lianjian-cli' });
    try {
      let chainId: number;
      if (existsSync(env.DEPLOYMENT_FILE)) chainId = readDeployment(env.DEPLOYMENT_FILE).chainId;
      else {
        const { rows } = await dbh.pool.query<{ chain_id: number }>(
          'SELECT chain_id FROM cursors ORDER BY chain_id',
        );
        if (rows.length !== 1)
          throw new CliError(
            `no deployment file at ${env.DEPLOYMENT_FILE} and ${rows.length} chains indexed`,
          );
        chainId = rows[0]!.chain_id;
      }
      const cursor = await dbh.pool.query<{ indexed_block: string }>(
        'SELECT indexed_block FROM cursors WHERE chain_id = $1',
        [chainId],
      );
      // events_daily holds exact counts per event name, so this stays fast on 10M events.
      const events = await dbh.pool.query<{ event_name: string; n: string }>(
        `SELECT event_name, sum(count)::bigint AS n FROM events_daily WHERE chain_id = $1
         GROUP BY event_name HAVING sum(count) > 0 ORDER BY event_name`,
        [chainId],
      );
      const incidents = await dbh.pool.query<{ rule: string; n: string }>(
        'SELECT rule, count(*)::bigint AS n FROM incidents WHERE chain_id = $1 GROUP BY rule ORDER BY rule',
        [chainId],
      );
      return {
        chainId,
        indexedBlock: cursor.rows[0] ? Number(cursor.rows[0].indexed_block) : null,
        events: Object.fromEntries(events.rows.map((r) => [r.event_name, Number(r.n)])),
        incidents: Object.fromEntries(incidents.rows.map((r) => [r.rule, Number(r.n)])),
      };
    } finally {
      await dbh.close();
    }
  },
};
