import type { Writable } from 'node:stream';
import type { Db } from '../../db/client';
import type { Scope } from '../scope';
import type { ExportFormat } from './columns';
import { createCsvWriter } from './csv';
import { createHashingSink, finishSink } from './hashing-sink';
import { incidentExportConditions, type ExportFilters } from './incidents-query';
import { incidentExportRows } from './incident-rows';
import { createJsonWriter } from './json';
import type { ManifestEvidence } from './manifest';
import type { RowWriter } from './row-writer';
import { createXlsxWriter } from './xlsx';

export interface ExportResult {
  format: ExportFormat;
  rowCount: number;
  bytes: number;
  /** sha256 (hex) of the bytes written to `out` */
  sha256: string;
  /** The chain of the exported incidents (null when there were none, or several chains). */
  chainId: number | null;
  /** One entry per row with evidence, in row order; empty when `onEvidence` took them. */
  evidence: ManifestEvidence[];
}

const WRITERS: Record<ExportFormat, (sink: Writable) => RowWriter> = {
  csv: createCsvWriter,
  xlsx: createXlsxWriter,
  json: createJsonWriter,
};

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
  onEvidence?: (page: ManifestEvidence[]) => void | Promise<void>;
}): Promise<ExportResult> {
  const sink = createHashingSink(p.out, { end: p.endOut ?? true });
  const writer = WRITERS[p.format](sink);
  const where = incidentExportConditions(p.filters, p.scope, p.chainId);
  const collected: ManifestEvidence[] = [];
  let rowCount = 0;
  let chainId: number | null | undefined;

  await p.db.transaction(
    async (tx) => {
      await writer.begin();
      for await (const page of incidentExportRows(tx, where, p.pageSize)) {
        const evidence: ManifestEvidence[] = [];
        for (const r of page) {
          rowCount++;
          chainId = chainId === undefined || chainId === r.chainId ? r.chainId : null;
          if (r.tx_hash === null || r.block_number === null || r.log_index === null) continue;
          evidence.push({
            row: rowCount,
            chainId: r.chainId,
            txHash: r.tx_hash,
            blockNumber: r.block_number,
            blockHash: r.blockHash,
            logIndex: r.log_index,
          });
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
    chainId: chainId ?? null,
    evidence: collected,
  };
}
