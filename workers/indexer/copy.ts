import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Characters that force a CSV cell into quotes. */
const NEEDS_QUOTES = /[",\n\r]/;

/** A CSV cell that is always quoted (JSON, free text): `"` doubled. */
export function csvQuoted(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * A CSV cell from text that may hold anything (a value the node sent and nothing validated):
 * quoted when needed; the empty string quoted so that COPY does not read it as NULL.
 */
export function csvText(s: string): string {
  return s === '' || NEEDS_QUOTES.test(s) ? csvQuoted(s) : s;
}

/** CSV text per buffer: no giant string, few stream writes. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Collects CSV lines into buffers. Each line is built by the caller with one template literal
 * (numbers and validated hex need no quoting); joining a chunk's lines at once and encoding the
 * flat result is several times cheaper than growing one string cell by cell (profiled), and the
 * backfill builds these while Postgres is still busy with the previous range.
 */
export class CsvBuffers {
  readonly chunks: Buffer[] = [];
  private lines: string[] = [];
  private chars = 0;

  add(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars > CHUNK_CHARS) this.flush();
  }

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.chunks.push(Buffer.from(this.lines.join(''), 'utf8'));
    this.lines = [];
    this.chars = 0;
  }
}

/**
 * COPY prebuilt CSV into a table: the fastest way into Postgres. Its cost per range is the `raw` and
 * `accesses` phases of the backfill bench (`npm run bench -- --quick --only=indexer-backfill`:
 * backfill_writer_ms_raw, backfill_writer_ms_accesses).
 */
export async function copyChunks(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: readonly Buffer[],
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
