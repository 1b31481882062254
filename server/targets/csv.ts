import { parseString } from '@fast-csv/parse';
import * as z from 'zod';
import { parseTargetMetric, TARGET_METRIC_META, type TargetCsvRow } from '../../domain/targets';
import { invalid } from '../errors';
import { reportRegionProblem } from '../reports/region';
import { dayString } from '../services/period';

/** A region a target may be set for: a province, a city, or a municipality's district. */
export function targetRegionProblem(code: number): string | null {
  if (code === 0) return 'targets are set per province or city, not for the nation';
  return reportRegionProblem(code);
}

/** 85%, 0.85 → 0.85 for a share; counts are whole numbers ≥ 0 (thousands separators allowed). */
function parseValue(raw: string, share: boolean): number | null {
  const s = raw.trim().replace(/,/g, '');
  const pct = s.endsWith('%');
  const n = Number(pct ? s.slice(0, -1) : s);
  if (s === '' || !Number.isFinite(n) || n < 0) return null;
  if (share) {
    const v = pct || n > 1 ? n / 100 : n;
    return v <= 1 ? v : null;
  }
  return pct || !Number.isInteger(n) ? null : n;
}

const header = z.tuple([z.literal('region'), z.literal('metric'), z.literal('value'), z.literal('date')]);

/**
 * Reads the targets CSV (`region,metric,value,date`, header first, UTF-8 with or without BOM).
 * Every bad line is reported with its line number; nothing is returned unless all lines are good.
 */
export async function parseTargetsCsv(text: string): Promise<TargetCsvRow[]> {
  const lines: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    parseString(text.replace(/^\uFEFF/, ''), { ignoreEmpty: true, trim: true })
      .on('data', (r: string[]) => lines.push(r))
      .on('error', reject)
      .on('end', () => resolve());
  });
  const [head, ...body] = lines;
  if (!head || !header.safeParse(head.map((h) => h.toLowerCase())).success)
    throw invalid('line 1: the header must be region,metric,value,date');
  const problems: string[] = [];
  const rows: TargetCsvRow[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== 4) return problems.push(`line ${line}: expected 4 cells, got ${cells.length}`);
    const [r = '', m = '', v = '', d = ''] = cells;
    const regionCode = Number(r);
    const regionProblem = Number.isInteger(regionCode) ? targetRegionProblem(regionCode) : 'not a number';
    if (regionProblem) return problems.push(`line ${line}: region "${r}": ${regionProblem}`);
    const metric = parseTargetMetric(m);
    if (!metric) return problems.push(`line ${line}: unknown metric "${m}"`);
    const value = parseValue(v, TARGET_METRIC_META[metric].unit === 'share');
    if (value === null)
      return problems.push(
        `line ${line}: value "${v}" must be ${TARGET_METRIC_META[metric].unit === 'share' ? 'a share such as 85% or 0.85' : 'a whole number ≥ 0'}`,
      );
    if (!dayString.safeParse(d).success) return problems.push(`line ${line}: date "${d}" must be YYYY-MM-DD`);
    rows.push({ regionCode, metric, value, targetDate: d });
  });
  if (problems.length) throw invalid(problems.join('; '), { problems });
  if (rows.length === 0) throw invalid('the file holds no targets');
  return rows;
}
