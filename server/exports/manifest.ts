import { closeSync, openSync, writeSync } from 'node:fs';
import type { Scope } from '../scope';
import type { ExportFormat } from './columns';
import type { ExportFilters } from './incidents-query';
import type { ExportResult } from './write-export';

/** One evidence event of the export, with what a verifier checks against the chain. */
export interface ManifestEvidence {
  /** 1-based data row of the export file that cites this event */
  row: number;
  chainId: number;
  txHash: string;
  blockNumber: number;
  /** the hash the indexer stored for that block: it must still be the chain's block at that height */
  blockHash: string | null;
  logIndex: number;
}

/** The export's proof: which file (by hash), which query, and every chain event its rows cite. */
export interface ExportManifest {
  format: ExportFormat;
  filters: ExportFilters;
  scope: Scope;
  rowCount: number;
  sha256: string;
  generatedAt: string;
  chainId: number | null;
  evidence: ManifestEvidence[];
}

/** Now as ISO 8601 in Asia/Shanghai (+08:00), like the export's detected_at. */
export function shanghaiNowIso(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export function buildManifest(
  p: { filters: ExportFilters; scope: Scope; generatedAt?: string },
  result: ExportResult,
): ExportManifest {
  return {
    format: result.format,
    filters: p.filters,
    scope: p.scope,
    rowCount: result.rowCount,
    sha256: result.sha256,
    generatedAt: p.generatedAt ?? shanghaiNowIso(),
    chainId: result.chainId,
    evidence: result.evidence,
  };
}

/**
 * A manifest written to a file as the export streams: the evidence array is appended page by
 * page (pass `append` as writeIncidentExport's onEvidence), the totals close the object. For a
 * million rows nothing but one page is ever in memory. Key order differs from buildManifest's;
 * JSON readers do not care.
 */
export function openManifestFile(path: string, head: { filters: ExportFilters; scope: Scope }) {
  const fd = openSync(path, 'w');
  const generatedAt = shanghaiNowIso();
  writeSync(
    fd,
    `{"generatedAt":${JSON.stringify(generatedAt)},"filters":${JSON.stringify(head.filters)},"scope":${JSON.stringify(head.scope)},"evidence":[`,
  );
  let first = true;
  return {
    append(page: ManifestEvidence[]): void {
      if (page.length === 0) return;
      writeSync(fd, (first ? '\n' : ',\n') + page.map((e) => JSON.stringify(e)).join(',\n'));
      first = false;
    },
    close(result: ExportResult): void {
      const tail = {
        format: result.format,
        rowCount: result.rowCount,
        sha256: result.sha256,
        chainId: result.chainId,
      };
      writeSync(fd, `${first ? '' : '\n'}],${JSON.stringify(tail).slice(1)}\n`);
      closeSync(fd);
    },
    abort(): void {
      closeSync(fd);
    },
  };
}
