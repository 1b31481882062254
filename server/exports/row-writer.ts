import type { ExportRow } from './columns';

/** One export format: a header, pages of rows as they stream from Postgres, a footer. */
export interface RowWriter {
  begin(): Promise<void>;
  writePage(rows: readonly ExportRow[]): Promise<void>;
  end(): Promise<void>;
}
