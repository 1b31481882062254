import { migrationUrl } from '../../workers/env';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { CLI_ACTOR } from '../../server/audit';
import { ServiceError } from '../../server/errors';
import { parseReportPeriod } from '../../server/reports/period';
import { createPdfPrinter } from '../../server/reports/pdf';
import { NATION, reportRegionProblem } from '../../server/reports/region';
import { generateAndStore } from '../../server/reports/store';
import { CliError, requireString, type CliCommand } from '../command';

const FORMATS = ['pdf', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];
const usage =
  'report --region CODE --period 2026-09|2026-Q3|2026 --format pdf|html|json --out FILE [--lang zh|en]  (--region 0 = nation)';

/** `--region 0` (or 000000, or "nation") is the whole nation; otherwise a GB/T 2260 code. */
export function parseRegionOption(v: string): number {
  if (v === 'nation' || /^0+$/.test(v)) return NATION;
  if (!/^\d{6}$/.test(v))
    throw new CliError(`--region must be 0 (nation) or a 6-digit region code, got "${v}"`);
  const code = Number(v);
  const problem = reportRegionProblem(code);
  if (problem) throw new CliError(`--region ${v}: ${problem}`);
  return code;
}

/**
 * DESIGN §3 `report`: writes the adoption report of a region and period to FILE and stores it in
 * the report history (trigger 'cli', audited as the CLI). Prints
 * {"file","region","period","format","bytes"}.
 */
export const reportCommand: CliCommand = {
  name: 'report',
  usage,
  options: {
    region: { type: 'string' },
    period: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
  },
  async run({ env, values }) {
    const regionCode = parseRegionOption(requireString(values, 'region', usage));
    const period = requireString(values, 'period', usage);
    if (!parseReportPeriod(period))
      throw new CliError(
        `--period must be a month 2026-09, a quarter 2026-Q3 or a year 2026, got "${period}"`,
      );
    const format = requireString(values, 'format', usage);
    if (!(FORMATS as readonly string[]).includes(format))
      throw new CliError(`--format must be pdf, html or json (usage: ${usage})`);
    const out = resolve(requireString(values, 'out', usage));
    const lang = values.lang ?? 'zh';
    if (lang !== 'zh' && lang !== 'en') throw new CliError(`--lang must be zh or en (usage: ${usage})`);

    await migrateDatabase(migrationUrl(env));
    const handle = createDb(env.DATABASE_URL, { max: 4, applicationName: 'lianjian-report' });
    const printer = format === 'pdf' ? await createPdfPrinter() : undefined;
    try {
      const r = await generateAndStore(handle.db, {
        regionCode,
        period,
        trigger: 'cli',
        actor: CLI_ACTOR,
        printer,
        lang,
      });
      const bytes = writeOutput(out, format as Format, r);
      return { file: out, region: regionCode, period, format, bytes };
    } catch (e) {
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    } finally {
      await printer?.close();
      await handle.close();
    }
  },
};

function writeOutput(
  file: string,
  format: Format,
  r: { figures: unknown; html: string; pdf: Buffer | null },
): number {
  const data =
    format === 'pdf'
      ? (r.pdf ?? Buffer.alloc(0))
      : Buffer.from(format === 'html' ? r.html : `${JSON.stringify(r.figures, null, 2)}\n`, 'utf8');
  writeFileSync(file, data);
  return data.length;
}
