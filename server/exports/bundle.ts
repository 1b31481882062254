import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../../db/client';
import { createManifestWriter } from '../evidence/manifest-writer';
import type { ManifestActor } from '../evidence/types';
import { STANDALONE_VERIFIER } from '../evidence/standalone/verifier-source';
import { createZipStream, writeEntry } from '../evidence/zip-stream';
import type { Scope } from '../scope';
import type { SigningKey } from '../signing/keys';
import { registerSigningKey } from '../signing/registry';
import type { ExportFormat } from './columns';
import type { ExportFilters } from './incidents-query';
import { exportFileDigest, exportManifestHeader, shanghaiNowIso } from './manifest';
import { writeIncidentExport, type ExportResult } from './write-export';

export const MANIFEST_ENTRY = 'manifest.jsonl';
export const STANDALONE_ENTRY = 'verify.mjs';

/**
 * The browser's download (issue: one file holding the export and its proof): a ZIP streamed into
 * `out` with the export as its first entry and the signed manifest (docs/evidence.md) as its
 * second. The export entry streams as the query pages; the evidence lines go to a spool file
 * meanwhile (a ZIP cannot interleave entries, and a million lines must not sit in memory) and
 * are copied into the manifest entry once the file's hashes are known and the seal is signed.
 */
export async function writeSignedExportZip(p: {
  db: Db;
  format: ExportFormat;
  filters: ExportFilters;
  scope: Scope;
  exportedBy: ManifestActor;
  key: SigningKey;
  fileName: string;
  out: PassThrough;
}): Promise<ExportResult & { manifestSignature: string }> {
  await registerSigningKey(p.db, p.key);
  const zip = createZipStream(p.out);
  const writer = createManifestWriter({
    key: p.key,
    header: exportManifestHeader({ ...p, exportedAt: shanghaiNowIso() }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'lianjian-manifest-'));
  const spool = join(dir, 'evidence.jsonl');
  const fd = openSync(spool, 'w');
  let closed = false;
  try {
    const result = await writeIncidentExport({
      db: p.db,
      format: p.format,
      filters: p.filters,
      scope: p.scope,
      out: zip.entry(p.fileName),
      onEvidence: (page) => {
        const text = writer.evidence(page);
        if (text) writeSync(fd, text);
      },
    });
    closeSync(fd);
    closed = true;
    const seal = writer.seal([exportFileDigest(p.fileName, result)]);
    const manifest = zip.entry(MANIFEST_ENTRY);
    manifest.write(writer.header());
    await pipeline(createReadStream(spool), manifest, { end: false });
    await writeEntry(manifest, seal);
    // The offline checker travels with the data (unsealed: verify-export ignores it).
    await writeEntry(zip.entry(STANDALONE_ENTRY), STANDALONE_VERIFIER);
    zip.end();
    return { ...result, manifestSignature: (JSON.parse(seal) as { signature: string }).signature };
  } finally {
    if (!closed) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
