import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { EXPORT_COLUMNS, type ExportFormat } from './columns';

/** The chain coordinates one data row of an export cites (null cells when it cites none). */
export interface CitedEvent {
  row: number;
  txHash: string | null;
  blockNumber: number | null;
  logIndex: number | null;
}

const TX = EXPORT_COLUMNS.indexOf('tx_hash');
const BLOCK = EXPORT_COLUMNS.indexOf('block_number');
const LOG = EXPORT_COLUMNS.indexOf('log_index');

function cited(row: number, cells: readonly unknown[]): CitedEvent {
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  const tx = cells[TX];
  return {
    row,
    txHash: typeof tx === 'string' && tx !== '' ? tx : null,
    blockNumber: num(cells[BLOCK]),
    logIndex: num(cells[LOG]),
  };
}

/** RFC 4180 records of a CSV file, streamed: quoted fields may hold commas, quotes and newlines. */
export async function* csvRecords(path: string): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let start = true;
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    let text = chunk as string;
    if (start) {
      text = text.replace(/^\uFEFF/, '');
      start = false;
    }
    for (const ch of text) {
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else field += ch;
        continue;
      }
      if (ch === '"') {
        if (afterQuote) field += '"'; // "" inside a quoted field
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (ch === ',') {
        record.push(field);
        field = '';
      } else if (ch === '\n') {
        record.push(field);
        yield record;
        record = [];
        field = '';
      } else if (ch !== '\r') field += ch;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    yield record;
  }
}

/** One data row of an export file: its cells as text, in column order (null and empty as ""). */
export interface FileRow {
  row: number;
  cells: string[];
}

/** Undoes the CSV writer's formula neutralisation (server/csv.ts) to get the value back. */
function unneutralise(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const asText = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'number'
        ? String(v)
        : JSON.stringify(v);

/** The rows of an export file in order, for checking them against the manifest's evidence. */
export async function* exportFileRows(path: string, format: ExportFormat): AsyncGenerator<FileRow> {
  let row = 0;
  if (format === 'csv') {
    let header = true;
    for await (const rec of csvRecords(path)) {
      if (header) {
        header = false;
        continue;
      }
      yield { row: ++row, cells: rec.map(unneutralise) };
    }
  } else if (format === 'json') {
    const rows = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
    if (!Array.isArray(rows)) throw new Error('the JSON export is not an array');
    for (const r of rows) yield { row: ++row, cells: EXPORT_COLUMNS.map((c) => asText(r[c])) };
  } else {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      worksheets: 'emit',
    });
    for await (const sheet of reader) {
      for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
        if (r.number === 1) continue;
        // exceljs rows are 1-based with a hole at index 0
        const values = (r.values as unknown[]).slice(1);
        yield { row: ++row, cells: EXPORT_COLUMNS.map((_, i) => asText(values[i])) };
      }
      break;
    }
  }
}

/** The chain coordinates a file row cites. */
export function citedBy(r: FileRow): CitedEvent {
  return cited(r.row, r.cells);
}

/** The rows of an export file in order, for checking them against the manifest's evidence. */
export async function* citedEvents(path: string, format: ExportFormat): AsyncGenerator<CitedEvent> {
  for await (const r of exportFileRows(path, format)) yield citedBy(r);
}
