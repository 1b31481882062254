import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CsvCell = string | number | bigint | boolean | null;

/** Characters that force a CSV cell into quotes. */
const NEEDS_QUOTES = /[",\n\r]/;

/** One CSV cell for COPY … (FORMAT csv): unquoted empty is NULL, everything else quoted when needed. */
function cell(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' ? v : String(v);
  if (s === '' || NEEDS_QUOTES.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** CSV text in chunks of about this many characters: no giant string, few stream writes. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Rows as CSV chunks, built up front: the backfill builds a range's CSV while Postgres is still
 * busy with the previous range, so the COPY itself only streams text.
 */
export function csvChunks(rows: Iterable<readonly CsvCell[]>): string[] {
  const out: string[] = [];
  let chunk = '';
  for (const r of rows) {
    let line = cell(r[0] ?? null);
    for (let i = 1; i < r.length; i++) line += ',' + cell(r[i] ?? null);
    chunk += line + '\n';
    if (chunk.length > CHUNK_CHARS) {
      out.push(chunk);
      chunk = '';
    }
  }
  if (chunk) out.push(chunk);
  return out;
}

/** COPY prebuilt CSV chunks into a table: the fastest way into Postgres (≈ 200k rows/s here, MEASURED.md). */
export async function copyChunks(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: readonly string[],
): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
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
