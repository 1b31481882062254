import { and, between, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { indexerHealth } from '../../db/schema/chain';
import { reports } from '../../db/schema/reports';
import { adoptionDaily } from '../../db/schema/rollups';
import { resolveChain } from '../services/chain-select';
import { addDays } from '../services/period';
import { CLI_ACTOR } from '../audit';
import { regionKey } from '../scope';
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

/** Whether a scheduled report of the period is stored for the chain: of `regionCode`, or of any region. */
async function hasScheduledReport(
  db: Db,
  chainId: number,
  periodKey: string,
  regionCode?: number,
): Promise<boolean> {
  const [have] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        eq(reports.chainId, chainId),
        regionCode === undefined ? undefined : eq(reports.regionCode, regionCode),
        eq(reports.period, periodKey),
        eq(reports.trigger, 'scheduled'),
      ),
    )
    .limit(1);
  return have !== undefined;
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
  o: { period: string; printer?: PdfPrinter; chainId?: number; now?: Date },
): Promise<ScheduledRun> {
  const period = parseReportPeriod(o.period);
  if (!period) throw new Error(`bad report period "${o.period}"`);
  const chain = await resolveChain(db, o.chainId);
  const out: ScheduledRun = { period: period.key, generated: [], skipped: [] };
  if (chain.chainId === null) return out;
  for (const regionCode of await regionsWithActivity(db, chain.chainId, period.from, period.to)) {
    if (await hasScheduledReport(db, chain.chainId, period.key, regionCode)) {
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
      now: o.now,
    });
    (r.id === null ? out.skipped : out.generated).push(regionCode);
  }
  return out;
}

/**
 * Where a period's scheduled run stands: 'stored' when its reports exist (the run happened),
 * 'not-indexed' while the chain is not indexed past the period's last Asia/Shanghai day (a report
 * written then would miss the period's last blocks), 'empty' when the chain holds no activity in
 * the period (a chain that began after it: nothing to report), else 'due'.
 */
export async function scheduledRunState(
  db: Db,
  o: { period: string; chainId?: number },
): Promise<'stored' | 'not-indexed' | 'empty' | 'due'> {
  const period = parseReportPeriod(o.period);
  if (!period) throw new Error(`bad report period "${o.period}"`);
  const chain = await resolveChain(db, o.chainId);
  if (chain.chainId === null) return 'not-indexed';
  if (await hasScheduledReport(db, chain.chainId, period.key)) return 'stored';
  const [h] = await db
    .select({ indexedTime: indexerHealth.indexedTime })
    .from(indexerHealth)
    .where(eq(indexerHealth.chainId, chain.chainId));
  // The period ends at 00:00 Asia/Shanghai (+08:00, no DST) of the day after its last day.
  const end = Date.parse(`${addDays(period.to, 1)}T00:00:00+08:00`);
  if (!h?.indexedTime || h.indexedTime.getTime() < end) return 'not-indexed';
  const [active] = await db
    .select({ day: adoptionDaily.day })
    .from(adoptionDaily)
    .where(and(eq(adoptionDaily.chainId, chain.chainId), between(adoptionDaily.day, period.from, period.to)))
    .limit(1);
  return active ? 'due' : 'empty';
}
