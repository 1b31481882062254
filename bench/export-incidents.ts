/**
 * Incident export throughput and memory: seeds N export rows (N/2 incidents × 2 evidence events)
 * into a bench database with INSERT … SELECT generate_series, then streams a CSV export with its
 * manifest to /dev/null and a temp file, sampling RSS. Prints
 * `{"export_csv_rows_per_s": …, "export_csv_peak_rss_mb": …, "export_xlsx_rows_per_s": …, …}`.
 *
 *   npx tsx bench/export-incidents.ts [--quick]
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { createDb, type DbHandle } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import type { ExportFormat } from '../server/exports/columns';
import { exportFileDigest, exportManifestHeader, openManifestFile } from '../server/exports/manifest';
import { generateSigningKeyPem } from '../server/signing/keys';
import { writeIncidentExport } from '../server/exports/write-export';
import { loadWorkerEnv } from '../workers/env';
import { dropBenchDatabase, runWhenMain } from './bench-db';

export interface ExportBenchFigures {
  export_csv_rows: number;
  export_csv_rows_per_s: number;
  export_csv_peak_rss_mb: number;
  /** RSS when the CSV export started: peak minus this is what the export itself held */
  export_csv_start_rss_mb: number;
  export_xlsx_rows: number;
  export_xlsx_rows_per_s: number;
  export_xlsx_peak_rss_mb: number;
}

const BENCH_DB = 'lianjian_bench_export';

export async function recreateDatabase(baseUrl: string): Promise<string> {
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`drop database if exists ${BENCH_DB} with (force)`);
  await c.end();
  const url = new URL(baseUrl);
  url.pathname = `/${BENCH_DB}`;
  await migrateDatabase(url.toString());
  return url.toString();
}

/** Rows = incidents × 2 evidence events; summaries carry Chinese, commas and a formula-like lead. */
export async function seedExportBench(h: DbHandle, rows: number): Promise<void> {
  const incidents = Math.ceil(rows / 2);
  const blocks = 200_000;
  await h.db.execute(sql`
    insert into orgs (chain_id, address, org_code, region_code, kind, name, active, registered_block, registered_at,
      registered_log_index, registered_tx, last_block)
    select 31337, '0x' || lpad(to_hex(g), 40, '0'), '0x' || lpad(to_hex(g), 64, '0'),
      (array[440300, 440100, 330100, 110108, 320500])[1 + g % 5], 21, '深圳市某医院 ' || g, true, 1, now(), 0,
      '0x' || lpad(to_hex(g), 64, '0'), 1
    from generate_series(1, 500) g`);
  await h.db.execute(sql`
    insert into blocks (chain_id, number, hash, parent_hash, timestamp)
    select 31337, g, '0x' || md5(g::text) || md5((g + 1)::text), '0x' || md5((g - 1)::text) || md5(g::text),
      timestamp '2026-09-01' + g * interval '2 seconds'
    from generate_series(1, ${blocks}) g`);
  await h.db.execute(sql`
    insert into incidents (chain_id, rule, finding_key, severity, status, region_code, org_address, summary,
      evidence_block, occurred_at, detected_at)
    select 31337, (array['DUPLICATE_REIMBURSEMENT','OFF_HOURS_BULK','ACCESS_WITHOUT_GRANT'])[1 + g % 3], 'k-' || g,
      (array['high','low','high'])[1 + g % 3], 'open',
      (array[440300, 440100, 330100, 110108, 320500])[1 + g % 5], '0x' || lpad(to_hex(1 + g % 500), 40, '0'),
      case when g % 10 = 0 then '=发票 0x12…ab 第二次报销（一票多报）, 报销单位 "某医院" ' || g
           else '发票 0x12…ab 第二次报销（一票多报），报销单位 深圳市某医院 ' || g end,
      1 + g % ${blocks}, now(), timestamp '2026-09-01' + g * interval '1 second'
    from generate_series(1, ${incidents}) g`);
  await h.db.execute(sql`
    insert into incident_evidence (incident_id, chain_id, block_number, log_index, tx_hash, block_time)
    select i.id, 31337, greatest(1, i.evidence_block - k), k, '0x' || md5(i.id::text) || md5(k::text), i.occurred_at
    from incidents i cross join (values (0), (1)) v(k)`);
  await h.db.execute(sql`analyze`);
}

async function measure(
  h: DbHandle,
  format: ExportFormat,
  dir: string,
): Promise<{ rows: number; rowsPerS: number; peakRssMb: number; startRssMb: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const manifest = openManifestFile(join(dir, `${format}.manifest.jsonl`), {
    key: generateSigningKeyPem().key,
    header: exportManifestHeader({
      format,
      filters: {},
      scope: { regionCode: null },
      exportedBy: { id: null, label: 'bench' },
    }),
  });
  const started = performance.now();
  const result = await writeIncidentExport({
    db: h.db,
    format,
    filters: {},
    scope: { regionCode: null },
    out: createWriteStream('/dev/null'),
    onEvidence: (page) => manifest.append(page),
  });
  manifest.close(exportFileDigest(`incidents.${format}`, result));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    rows: result.rowCount,
    rowsPerS: Math.round(result.rowCount / seconds),
    peakRssMb: Math.round(peak / 1048576),
    startRssMb: Math.round(start / 1048576),
  };
}

export async function runExportBench(opts: { quick?: boolean } = {}): Promise<ExportBenchFigures> {
  const csvRows = opts.quick ? 100_000 : 1_000_000;
  const xlsxRows = opts.quick ? 20_000 : 100_000;
  const env = loadWorkerEnv();
  const dir = mkdtempSync(join(tmpdir(), 'lj-bench-export-'));
  const url = await recreateDatabase(env.DATABASE_URL);
  let h = createDb(url, { max: 2, applicationName: 'lianjian-bench' });
  try {
    await seedExportBench(h, csvRows);
    const csv = await measure(h, 'csv', dir);
    await h.close();
    // XLSX is far slower per row (zip + XML): measured on a smaller database of its own.
    const url2 = await recreateDatabase(env.DATABASE_URL);
    h = createDb(url2, { max: 2, applicationName: 'lianjian-bench' });
    await seedExportBench(h, xlsxRows);
    const xlsx = await measure(h, 'xlsx', dir);
    return {
      export_csv_rows: csv.rows,
      export_csv_rows_per_s: csv.rowsPerS,
      export_csv_peak_rss_mb: csv.peakRssMb,
      export_csv_start_rss_mb: csv.startRssMb,
      export_xlsx_rows: xlsx.rows,
      export_xlsx_rows_per_s: xlsx.rowsPerS,
      export_xlsx_peak_rss_mb: xlsx.peakRssMb,
    };
  } finally {
    await h.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const admin = new URL(env.DATABASE_URL);
    admin.pathname = '/postgres';
    await dropBenchDatabase(BENCH_DB, admin.toString());
  }
}

runWhenMain(import.meta.url, 'export-incidents', runExportBench);
