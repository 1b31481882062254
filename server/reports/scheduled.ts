import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { reports } from '../../db/schema/reports';
import { regionKey } from '../services/adoption';
import { resolveChain } from '../services/chain-select';
import { CLI_ACTOR } from '../audit';
import { parseReportPeriod } from './period';
import type { PdfPrinter } from './pdf';
import { NATION, reportRegionProblem } from './region';
import { generateAndStore } from './store';

/** The scheduler acts as the system, like the CLI, but says so in the log. */
const SCHEDULER_ACTOR = { ...CLI_ACTOR, label: 'scheduler' };

/**
 * The regions a scheduled run reports on: the nation, every province and every city (or
 * municipal district) that completed cases in the period. A region without activity gets no
 * report rather than an empty one.
 */
export async function regionsWithActivity(
  db: Db,
  chainId: number,
  from: string,
  to: string,
): Promise<number[]> {
  const col = sql.raw('region_code');
  const { rows } = await db.execute<{ province: number; city: number }>(
    sql`select distinct ${regionKey(col, 'province')} as province, ${regionKey(col, 'city')} as city
          from adoption_daily where chain_id = ${chainId} and day between ${from} and ${to} and region_code <> 0`,
  );
  const codes = new Set<number>([NATION]);
  for (const r of rows) {
    for (const c of [Number(r.province), Number(r.city)]) if (reportRegionProblem(c) === null) codes.add(c);
  }
  return [...codes].sort((a, b) => a - b);
}

export interface ScheduledRun {
  period: string;
  generated: number[];
  skipped: number[];
}

/**
 * Generates and stores (with PDF) every report of a period. Idempotent: a region whose scheduled
 * report is already stored is skipped, so a retried or duplicated job adds nothing.
 */
export async function runScheduledReports(
  db: Db,
  o: { period: string; printer?: PdfPrinter; chainId?: number },
): Promise<ScheduledRun> {
  const period = parseReportPeriod(o.period);
  if (!period) throw new Error(`bad report period "${o.period}"`);
  const chain = await resolveChain(db, o.chainId);
  const out: ScheduledRun = { period: period.key, generated: [], skipped: [] };
  if (chain.chainId === null) return out;
  for (const regionCode of await regionsWithActivity(db, chain.chainId, period.from, period.to)) {
    const [have] = await db
      .select({ id: reports.id })
      .from(reports)
      .where(
        and(
          eq(reports.chainId, chain.chainId),
          eq(reports.regionCode, regionCode),
          eq(reports.period, period.key),
          eq(reports.trigger, 'scheduled'),
        ),
      );
    if (have) {
      out.skipped.push(regionCode);
      continue;
    }
    const r = await generateAndStore(db, {
      regionCode,
      period: period.key,
      chainId: chain.chainId,
      trigger: 'scheduled',
      actor: SCHEDULER_ACTOR,
      printer: o.printer,
    });
    (r.id === null ? out.skipped : out.generated).push(regionCode);
  }
  return out;
}
