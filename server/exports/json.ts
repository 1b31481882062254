import type { Writable } from 'node:stream';
import { EXPORT_COLUMNS, type ExportRow } from './columns';
import { writeChunk } from './hashing-sink';
import type { RowWriter } from './row-writer';

/** Exactly the export columns, in order, whatever else the row object carries. */
function pick(r: ExportRow): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const c of EXPORT_COLUMNS) o[c] = r[c];
  return o;
}

/** A JSON array of objects with the export's keys, streamed one page at a time. */
export function createJsonWriter(sink: Writable): RowWriter {
  let first = true;
  return {
    begin: () => writeChunk(sink, '['),
    writePage: (rows) => {
      if (rows.length === 0) return Promise.resolve();
      const body = rows.map((r) => JSON.stringify(pick(r))).join(',\n');
      const chunk = (first ? '\n' : ',\n') + body;
      first = false;
      return writeChunk(sink, chunk);
    },
    end: () => writeChunk(sink, first ? ']\n' : '\n]\n'),
  };
}
