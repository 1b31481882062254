import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Bytes per buffer: few stream writes, little slack. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Collects CSV lines into buffers. Each line is built by the caller with one template literal
 * (numbers and validated hex need no quoting) and encoded straight into the current buffer: about
 * four times cheaper than collecting a chunk's lines and encoding their join (profiled: 0.35 s
 * against 1.4 s of CPU for 192,000 raw rows), and no string of a whole chunk is ever built. The
 * backfill builds these while Postgres is still busy with the previous range.
 */
export class CsvBuffers {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(0);
  private used = 0;

  add(line: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit: a line that might not fit starts a buffer.
    const worst = line.length * 3;
    if (this.used + worst > this.buf.length) this.next(worst);
    this.used += this.buf.write(line, this.used, 'utf8');
  }

  finish(): Buffer[] {
    this.next(0);
    return this.chunks;
  }

  private next(atLeast: number): void {
    if (this.used > 0) this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = atLeast > 0 ? Buffer.allocUnsafe(Math.max(CHUNK_BYTES, atLeast)) : Buffer.allocUnsafe(0);
    this.used = 0;
  }
}

/**
 * COPY prebuilt rows into a table, CSV (CsvBuffers) or binary (copy-binary.ts): the fastest way into
 * Postgres. Its cost per range is the `raw` and `accesses` phases of the backfill bench
 * (`npm run bench -- --quick --only=indexer-backfill`: backfill_writer_ms_raw, backfill_writer_ms_accesses).
 */
export async function copyChunks(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: readonly Buffer[],
  format: 'csv' | 'binary' = 'csv',
): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(
    copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT ${format})`),
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
