/**
 * CSV for Excel: UTF-8 with a BOM (so Excel reads Chinese correctly), CRLF rows, RFC 4180
 * quoting, and cells that start with = + - @ (or tab / CR, which Excel strips before them)
 * prefixed with an apostrophe so a spreadsheet never evaluates them as formulas.
 */
export const CSV_BOM = '\uFEFF';

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value.toString();
  return JSON.stringify(value) ?? '';
}

export function csvCell(value: unknown): string {
  let s = text(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
