import { isDeepStrictEqual } from 'node:util';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createTestDb } from './db';
import { dumpTables } from './db-dump';
import { INDEXED_TABLES, type IndexerHarness } from './indexer';

/**
 * The indexed tables two correct indexers of one chain agree on: stored block headers and
 * evidence rows depend on how ranges were cut and on when a spike was found.
 */
export const COMPARED_TABLES = INDEXED_TABLES.filter((t) => t !== 'incident_evidence' && t !== 'blocks');

/** What a fresh indexer makes of the harness's chain as it is now, in a database of its own. */
export async function freshIndexTables(
  h: Pick<IndexerHarness, 'env'>,
  tables: readonly string[] = COMPARED_TABLES,
): Promise<Record<string, unknown[]>> {
  const fresh = await createTestDb();
  const ctx = await createIndexerContext(h.env({ DATABASE_URL: fresh.url }));
  try {
    await syncToHead(ctx);
    return await dumpTables(fresh.pool, tables);
  } finally {
    await ctx.dbh.close();
    await fresh.drop();
  }
}

/** The tables of `ours` whose rows differ from a fresh indexer's of the same chain. */
export async function tablesDifferingFromFresh(
  h: Pick<IndexerHarness, 'env' | 'db'>,
  tables: readonly string[] = COMPARED_TABLES,
): Promise<string[]> {
  const [ours, fresh] = [await dumpTables(h.db.pool, tables), await freshIndexTables(h, tables)];
  return tables.filter((t) => !isDeepStrictEqual(ours[t], fresh[t]));
}
