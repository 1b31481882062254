import type { Writable } from 'node:stream';
import type { Db } from '../../db/client';
import { topic0Of } from '../evidence/chain-check';
import type { EvidenceLine } from '../evidence/types';
import type { Scope } from '../scope';
import { sm3Hex } from '../signing/sm3';
import { rowValues, type ExportFormat } from './columns';
import { createCsvWriter } from './csv';
import { createHashingSink, finishSink } from './hashing-sink';
import { incidentExportConditions, type ExportFilters } from './incidents-query';
import { incidentExportRows, type ExportPageRow } from './incident-rows';
import { createJsonWriter } from './json';
import type { RowWriter } from './row-writer';
import { createXlsxWriter } from './xlsx';

export interface ExportResult {
  format: ExportFormat;
  rowCount: number;
  bytes: number;
  /** sha256 (hex) of the bytes written to `out` */
  sha256: string;
  /** SM3 (hex) of the same bytes */
  sm3: string;
  /** The chain of the exported incidents (null when there were none, or several chains). */
  chainId: number | null;
  /** One evidence line per row, in row order; empty when `onEvidence` took them. */
  evidence: EvidenceLine[];
}

const WRITERS: Record<ExportFormat, (sink: Writable) => RowWriter> = {
  csv: createCsvWriter,
  xlsx: createXlsxWriter,
  json: createJsonWriter,
};

/**
 * The row's SM3 as the manifest states it: over JSON.stringify of its cells as text (null as ""),
 * in column order. A verifier recomputes it from any of the three formats, so a changed file can
 * be traced to the row that changed.
 */
export function rowSm3(cells: readonly (string | number | null | undefined)[]): string {
  return sm3Hex(JSON.stringify(cells.map((c) => (c === null || c === undefined ? '' : String(c)))));
}

/** The manifest's evidence line for one export row. */
export function evidenceLineOf(row: number, r: ExportPageRow): EvidenceLine {
  const cited = r.tx_hash !== null && r.block_number !== null && r.log_index !== null;
  return {
    row,
    incident: r.id,
    rowSm3: rowSm3(rowValues(r)),
    event: cited
      ? {
          chainId: r.chainId,
          address: r.eventAddress,
          blockNumber: r.block_number as number,
          blockHash: r.blockHash,
          txHash: r.tx_hash as string,
          logIndex: r.log_index as number,
          eventName: r.eventName,
          topic0: topic0Of(r.eventName),
          args: r.eventArgs,
        }
      : null,
  };
}

/**
 * Streams an incident export (DESIGN §6) to `out` and returns what its manifest needs. The query
 * runs in one read-only REPEATABLE READ transaction, so pages form one consistent snapshot, and the
 * caller's scope is applied in SQL. Memory holds one page: evidence goes to `onEvidence` page by
 * page when given (a million rows), else it is collected into the result.
 */
export async function writeIncidentExport(p: {
  db: Db;
  format: ExportFormat;
  filters: ExportFilters;
  scope: Scope;
  out: NodeJS.WritableStream;
  /** end `out` when done (default true); false for process.stdout */
  endOut?: boolean;
  chainId?: number;
  pageSize?: number;
  onEvidence?: (page: EvidenceLine[]) => void | Promise<void>;
  /** false: build no evidence lines at all (the bare file, which carries no manifest) */
  evidence?: boolean;
}): Promise<ExportResult> {
  const withEvidence = p.evidence ?? true;
  const sink = createHashingSink(p.out, { end: p.endOut ?? true });
  const writer = WRITERS[p.format](sink);
  const where = incidentExportConditions(p.filters, p.scope, p.chainId);
  const collected: EvidenceLine[] = [];
  let rowCount = 0;
  let chainId: number | null | undefined;

  await p.db.transaction(
    async (tx) => {
      await writer.begin();
      for await (const page of incidentExportRows(tx, where, p.pageSize)) {
        const evidence: EvidenceLine[] = [];
        for (const r of page) {
          rowCount++;
          chainId = chainId === undefined || chainId === r.chainId ? r.chainId : null;
          if (withEvidence) evidence.push(evidenceLineOf(rowCount, r));
        }
        await writer.writePage(page);
        if (p.onEvidence) await p.onEvidence(evidence);
        else for (const e of evidence) collected.push(e);
      }
      await writer.end();
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  await finishSink(sink);
  return {
    format: p.format,
    rowCount,
    bytes: sink.bytes(),
    sha256: sink.digest(),
    sm3: sink.sm3(),
    chainId: chainId ?? null,
    evidence: collected,
  };
}
