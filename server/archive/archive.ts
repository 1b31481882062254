import { createHash } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  ensureMonthPartitions,
  PARTITIONED_TABLES,
  partitionName,
  type PartitionedTable,
} from '~/db/partitions';
import { createManifestWriter } from '../evidence/manifest-writer';
import {
  ARCHIVE_MANIFEST,
  type ArchiveManifestHeader,
  type FileDigest,
  type ManifestActor,
} from '../evidence/types';
import type { SigningKey } from '../signing/keys';
import { createSm3, sm3Hex } from '../signing/sm3';
import { planArchive, type Refusal } from './plan';
import { takeCheckpoint } from '~/db/derived-checkpoints';

export const ARCHIVE_MANIFEST_FILE = 'manifest.jsonl';

/** The archive cannot run as asked; the message says why, and nothing was changed. */
export class ArchiveInputError extends Error {}

export class ArchiveRefusedError extends ArchiveInputError {
  constructor(readonly refusals: Refusal[]) {
    super(
      `archive refused, nothing was exported or dropped:\n${refusals.map((r) => `  ${r.month}: ${r.reason}`).join('\n')}`,
    );
  }
}

export interface ArchiveResult {
  months: string[];
  files: FileDigest[];
  manifest: string;
  manifestSm3: string;
}

/** One file per table and month: `events_2025_01.csv.gz`. */
export function archiveFileName(table: PartitionedTable, month: string): string {
  return `${partitionName(table, month)}.csv.gz`;
}

/** Hashes the bytes that pass through (the compressed file as written). */
function digestTap() {
  const sha = createHash('sha256');
  const sm3 = createSm3();
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sha.update(chunk);
      sm3.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: sha.digest('hex'), sm3: sm3.digest('hex') }) };
}

/** COPY one partition into a gzip file; returns its digest with COPY's row count. */
async function exportPartition(client: pg.PoolClient, partition: string, path: string): Promise<FileDigest> {
  const copy = client.query(copyTo(`COPY ${partition} TO STDOUT WITH (FORMAT csv, HEADER true)`));
  const tap = digestTap();
  await pipeline(copy, createGzip({ level: 6 }), tap.stream, createWriteStream(path, { flags: 'wx' }));
  syncFile(path);
  return { name: path.split('/').pop()!, ...tap.result(), rows: copy.rowCount };
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * `archive --before YYYY-MM --out DIR`: every month before `before` is exported (COPY, gzip, one
 * file per table and month) with a manifest signed like the evidence exports, then its partitions
 * are detached and dropped — all in one transaction that holds the month's partitions against
 * writes from the first COPY to the DROP, so no row can arrive between export and drop. Files are
 * flushed to disk before the transaction commits: a crash leaves the rows in the database.
 */
export async function archiveMonths(
  pool: pg.Pool,
  p: { before: string; outDir: string; key: SigningKey; exportedBy: ManifestActor; exportedAt: string },
): Promise<ArchiveResult> {
  if (existsSync(p.outDir) && readdirSync(p.outDir).length > 0)
    throw new ArchiveInputError(
      `${p.outDir} is not empty; an archive is written to a new or empty directory`,
    );
  const client = await pool.connect();
  try {
    // Rows of these months waiting in a default partition move into the month's partitions first.
    const plan0 = await planArchive(client, p.before);
    if (plan0.refusals.length > 0) throw new ArchiveRefusedError(plan0.refusals);
    if (plan0.months.length === 0)
      throw new ArchiveInputError(`nothing to archive: no month before ${p.before} has partitions`);
    await ensureMonthPartitions(client, plan0.months);
    // A reorg after this must not need the raw rows that leave now: each chain gets a checkpoint of
    // its derived tables at its cursor, from which recovery replays only rows that stay.
    await checkpointEveryChain(pool);

    await client.query('BEGIN');
    const parts = plan0.months.flatMap((month) =>
      PARTITIONED_TABLES.map(({ table }) => ({ table, month, partition: partitionName(table, month) })),
    );
    if (parts.length > 0)
      await client.query(`LOCK TABLE ${parts.map((x) => x.partition).join(', ')} IN SHARE MODE`);
    // Checked again under the locks: a triage may have reopened an incident meanwhile.
    const plan = await planArchive(client, p.before);
    if (plan.refusals.length > 0) throw new ArchiveRefusedError(plan.refusals);
    if (plan.months.join() !== plan0.months.join())
      throw new Error('the months to archive changed; run it again');

    mkdirSync(p.outDir, { recursive: true });
    const files: FileDigest[] = [];
    const contents: ArchiveManifestHeader['contents'] = [];
    for (const x of parts) {
      const file = archiveFileName(x.table, x.month);
      files.push(await exportPartition(client, x.partition, join(p.outDir, file)));
      contents.push({ file, ...x });
    }
    const header: ArchiveManifestHeader = {
      manifest: ARCHIVE_MANIFEST,
      before: p.before,
      months: plan.months,
      contents,
      format: 'csv-header',
      exportedBy: p.exportedBy,
      exportedAt: p.exportedAt,
    };
    const writer = createManifestWriter({ header, key: p.key });
    const manifest = writer.header() + writer.seal(files);
    const manifestPath = join(p.outDir, ARCHIVE_MANIFEST_FILE);
    writeFileSync(manifestPath, manifest, { flag: 'wx' });
    syncFile(manifestPath);
    syncFile(p.outDir);
    const manifestSm3 = sm3Hex(manifest);

    for (const month of plan.months) {
      const rows: Record<string, number> = {};
      for (const x of parts.filter((y) => y.month === month))
        rows[x.table] = files[parts.indexOf(x)]!.rows ?? 0;
      await client.query('INSERT INTO archived_months (month, rows, manifest_sm3) VALUES ($1, $2, $3)', [
        month,
        JSON.stringify(rows),
        manifestSm3,
      ]);
    }
    for (const x of parts) {
      await client.query(`ALTER TABLE ${x.table} DETACH PARTITION ${x.partition}`);
      await client.query(`DROP TABLE ${x.partition}`);
    }
    await client.query('COMMIT');
    return { months: plan.months, files, manifest: manifestPath, manifestSm3 };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function checkpointEveryChain(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ chain_id: number }>('SELECT chain_id FROM cursors');
  for (const r of rows)
    if (!(await takeCheckpoint(pool, r.chain_id)))
      throw new ArchiveInputError(
        `chain ${r.chain_id}: no checkpoint can be taken now (another is being taken, a reorg is being ` +
          'rolled back, or a backfill is still writing its rollups); run the archive again',
      );
}
