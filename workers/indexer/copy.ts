import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * COPY prebuilt rows in Postgres's binary format (copy-binary.ts) into a table: the fastest way
 * into Postgres, with nothing for it to parse. Its cost per range is the `raw`, `accesses` and `cases`
 * phases of the backfill bench (`npm run bench -- --quick --only=indexer-backfill`:
 * backfill_writer_ms_raw, backfill_writer_ms_accesses).
 */
export async function copyChunks(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: readonly Buffer[],
): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(
    copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT binary)`),
  );
  await pipeline(Readable.from(chunks), stream);
}

/** ISO text of a unix time; consecutive rows of one block reuse the last answer. */
let lastUnix = NaN;
let lastIso = '';
export function isoTime(unixSeconds: number): string {
  if (unixSeconds !== lastUnix) {
    lastUnix = unixSeconds;
    lastIso = new Date(unixSeconds * 1000).toISOString();
  }
  return lastIso;
}
