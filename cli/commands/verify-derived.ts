import { createDb } from '../../db/client';
import { verifyDerived } from '../../workers/indexer/verify-derived';
import { CliError, type CliCommand } from '../command';

/**
 * `verify-derived`: whether every chain's projections and rollups (the dashboard's and the
 * reports' figures) are exactly what its stored raw events make, by a replay that is rolled back
 * (workers/indexer/verify-derived.ts). Prints `{"ok":true,"chains":[…]}` with each derived
 * table's rows; when a table differs, exits non-zero naming it and how many rows differ. Range
 * commits wait while it runs.
 */
export const verifyDerivedCommand: CliCommand = {
  name: 'verify-derived',
  usage: 'verify-derived',
  options: {},
  async run({ env }) {
    const dbh = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-verify-derived' });
    try {
      const { rows } = await dbh.pool.query<{ chain_id: number }>(
        'SELECT chain_id FROM cursors ORDER BY chain_id',
      );
      if (rows.length === 0) throw new CliError('nothing indexed yet: no chain has a cursor');
      const chains = [];
      for (const r of rows) chains.push(await verifyDerived(dbh.pool, r.chain_id));
      const differing = chains.flatMap((c) =>
        c.tables
          .filter((t) => c.differing.includes(t.table))
          .map(
            (t) =>
              `chain ${c.chainId} ${t.table} (${t.storedNotReplayed} stored rows not replayed, ` +
              `${t.replayedNotStored} replayed rows not stored)`,
          ),
      );
      if (differing.length > 0)
        throw new CliError(`derived tables differ from a replay of the raw events: ${differing.join('; ')}`);
      return { ok: true, chains };
    } finally {
      await dbh.close();
    }
  },
};
