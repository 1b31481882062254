import type { Writable } from 'node:stream';
import { CSV_BOM, csvRow } from '../csv';
import { EXPORT_COLUMNS, rowValues } from './columns';
import { writeChunk } from './hashing-sink';
import type { RowWriter } from './row-writer';

/**
 * CSV per DESIGN §6 through the shared cell rules of server/csv.ts: UTF-8 BOM (Excel opens
 * Chinese correctly), CRLF, RFC 4180 quoting, and = + - @ tab CR at a cell's start neutralised by
 * a leading apostrophe. One write per page keeps syscalls few and memory at one page.
 */
export function createCsvWriter(sink: Writable): RowWriter {
  return {
    begin: () => writeChunk(sink, CSV_BOM + csvRow(EXPORT_COLUMNS)),
    writePage: (rows) => writeChunk(sink, rows.map((r) => csvRow(rowValues(r))).join('')),
    end: () => Promise.resolve(),
  };
}
