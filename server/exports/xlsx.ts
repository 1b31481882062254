import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { EXPORT_COLUMNS, rowValues } from './columns';
import { drained } from './hashing-sink';
import type { RowWriter } from './row-writer';

/**
 * XLSX through exceljs' streaming writer: each row is committed as it comes (no shared strings,
 * no styles), so the workbook is never held in memory. Cells are typed (numbers stay numbers);
 * strings are stored as strings, which a spreadsheet never evaluates as formulas.
 */
export function createXlsxWriter(sink: Writable): RowWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('incidents');
  return {
    begin: () => {
      ws.addRow([...EXPORT_COLUMNS]).commit();
      return Promise.resolve();
    },
    writePage: async (rows) => {
      for (const r of rows) ws.addRow(rowValues(r)).commit();
      // Waits while the sink is full, so a slow client holds back the query, not memory.
      await drained(sink);
    },
    end: async () => {
      ws.commit();
      await wb.commit();
    },
  };
}
