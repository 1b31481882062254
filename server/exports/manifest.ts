import { closeSync, openSync, writeSync } from 'node:fs';
import { createManifestWriter, type ManifestWriter } from '../evidence/manifest-writer';
import {
  EXPORT_MANIFEST,
  type ExportManifestHeader,
  type FileDigest,
  type ManifestActor,
} from '../evidence/types';
import type { SigningKey } from '../signing/keys';
import type { Scope } from '../scope';
import { EXPORT_COLUMNS, type ExportFormat } from './columns';
import type { ExportFilters } from './incidents-query';
import type { ExportResult } from './write-export';

/** Now as ISO 8601 in Asia/Shanghai (+08:00), like the export's detected_at. */
export function shanghaiNowIso(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export function exportManifestHeader(p: {
  format: ExportFormat;
  filters: ExportFilters;
  scope: Scope;
  exportedBy: ManifestActor;
  exportedAt?: string;
}): ExportManifestHeader {
  return {
    manifest: EXPORT_MANIFEST,
    format: p.format,
    columns: EXPORT_COLUMNS,
    filters: p.filters,
    scope: { regionCode: p.scope.regionCode },
    exportedBy: { id: p.exportedBy.id, label: p.exportedBy.label },
    exportedAt: p.exportedAt ?? shanghaiNowIso(),
  };
}

/** The name an export carries inside its ZIP and in its manifest's seal. */
export function exportFileName(format: ExportFormat, stamp: string): string {
  return `incidents-${stamp}.${format}`;
}

export function exportFileDigest(name: string, r: ExportResult): FileDigest {
  return { name, bytes: r.bytes, sm3: r.sm3, sha256: r.sha256, rows: r.rowCount };
}

/**
 * A manifest written to a file as the export streams (the CLI's --manifest): the header first,
 * evidence lines page by page (pass `append` as writeIncidentExport's onEvidence), the signed
 * seal once the file's hashes are known. For a million rows nothing but one page is in memory.
 */
export function openManifestFile(path: string, p: { header: ExportManifestHeader; key: SigningKey }) {
  const fd = openSync(path, 'w');
  const writer: ManifestWriter = createManifestWriter(p);
  writeSync(fd, writer.header());
  return {
    append(page: Parameters<ManifestWriter['evidence']>[0]): void {
      const text = writer.evidence(page);
      if (text) writeSync(fd, text);
    },
    close(file: FileDigest): void {
      writeSync(fd, writer.seal([file]));
      closeSync(fd);
    },
    abort(): void {
      closeSync(fd);
    },
  };
}
