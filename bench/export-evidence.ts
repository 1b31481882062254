/**
 * What the signed manifest costs an export (issue 15): the same CSV export at N rows (default
 * 1,000,000), once bare and once with per-row evidence (event contract, name, decoded fields, row
 * SM3) streamed into an SM2-signed manifest file, sampling RSS. Prints
 * `{"evidence_rows", "evidence_plain_s", "evidence_signed_s", "evidence_overhead_pct",
 *   "evidence_plain_peak_rss_mb", "evidence_signed_peak_rss_mb", "evidence_manifest_mb", …}`.
 *
 *   npm run bench -- --only=export-evidence [--quick]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createDb, type DbHandle } from '../db/client';
import { exportFileDigest, exportManifestHeader, openManifestFile } from '../server/exports/manifest';
import { writeIncidentExport } from '../server/exports/write-export';
import { generateSigningKeyPem } from '../server/signing/keys';
import { loadWorkerEnv } from '../workers/env';
import { recreateDatabase, seedExportBench } from './export-incidents';
import { dropBenchDatabase, runWhenMain } from './bench-db';

/** Raw event rows for every evidence event, so the export joins real decoded fields. */
async function seedEvents(h: DbHandle): Promise<void> {
  await h.db.execute(sql`
    insert into events (chain_id, block_number, log_index, tx_hash, tx_index, block_time, contract, address, event_name, args)
    select e.chain_id, e.block_number, e.log_index, e.tx_hash, 0, timestamp '2026-09-01', 'InvoiceLedger',
      '0x' || lpad('1', 40, '0'), 'InvoiceReimbursed',
      json_build_object('invoiceHash', '0x' || md5(e.incident_id::text) || md5('i'), 'claimant',
        '0x' || lpad(to_hex(e.incident_id % 500), 40, '0'), 'amountFen', (e.incident_id * 37)::text)
    from incident_evidence e
    on conflict do nothing`);
  await h.db.execute(sql`analyze events`);
}

async function measure<T>(fn: () => Promise<T>): Promise<{ seconds: number; peakRssMb: number; value: T }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds: Math.round(seconds * 10) / 10, peakRssMb: Math.round(peak / 1048576), value };
}

export async function runExportEvidenceBench(
  opts: { quick?: boolean } = {},
): Promise<Record<string, number>> {
  const rows = opts.quick ? 100_000 : 1_000_000;
  const env = loadWorkerEnv();
  const dir = mkdtempSync(join(tmpdir(), 'lj-bench-evidence-'));
  const url = await recreateDatabase(env.DATABASE_URL);
  const h = createDb(url, { max: 2, applicationName: 'lianjian-bench' });
  const { key } = generateSigningKeyPem();
  const scope = { regionCode: null };
  try {
    await seedExportBench(h, rows);
    await seedEvents(h);
    const startRss = Math.round(process.memoryUsage.rss() / 1048576);
    const plain = await measure(() =>
      writeIncidentExport({
        db: h.db,
        format: 'csv',
        filters: {},
        scope,
        out: createWriteStream('/dev/null'),
        evidence: false,
      }),
    );
    const manifestPath = join(dir, 'manifest.jsonl');
    const signed = await measure(async () => {
      const m = openManifestFile(manifestPath, {
        key,
        header: exportManifestHeader({
          format: 'csv',
          filters: {},
          scope,
          exportedBy: { id: null, label: 'bench' },
        }),
      });
      const r = await writeIncidentExport({
        db: h.db,
        format: 'csv',
        filters: {},
        scope,
        out: createWriteStream('/dev/null'),
        onEvidence: (page) => m.append(page),
      });
      m.close(exportFileDigest('incidents.csv', r));
      return r;
    });
    return {
      evidence_rows: signed.value.rowCount,
      evidence_start_rss_mb: startRss,
      evidence_plain_s: plain.seconds,
      evidence_plain_peak_rss_mb: plain.peakRssMb,
      evidence_signed_s: signed.seconds,
      evidence_signed_peak_rss_mb: signed.peakRssMb,
      evidence_overhead_pct: Math.round(((signed.seconds - plain.seconds) / plain.seconds) * 100),
      evidence_manifest_mb: Math.round(statSync(manifestPath).size / 1048576),
    };
  } finally {
    await h.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const admin = new URL(env.DATABASE_URL);
    admin.pathname = '/postgres';
    await dropBenchDatabase('lianjian_bench_export', admin.toString());
  }
}

runWhenMain(import.meta.url, 'export-evidence', runExportEvidenceBench);
