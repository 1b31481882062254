import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ChannelMonth, FlowRow, ReportFigures } from './figures-types';
import { monthsBetween } from './period';
import { regionFilter } from './region';

const num = (v: unknown): number => Number(v ?? 0);

async function rows(db: Db, q: SQL): Promise<Record<string, unknown>[]> {
  return (await db.execute<Record<string, unknown>>(q)).rows;
}

export interface DetailQuery {
  chainId: number;
  regionCode: number;
  from: string;
  to: string;
}

/** The first month of the 12-month trend that ends with the period's last month. */
function trendStart(to: string): string {
  const y = Number(to.slice(0, 4));
  const m = Number(to.slice(5, 7));
  const start = m === 12 ? `${y}-01` : `${y - 1}-${String(m + 1).padStart(2, '0')}`;
  return `${start}-01`;
}

/** Cases per channel per month for the 12 months ending with the period (the trend chart). */
export async function channelTrend(db: Db, q: DetailQuery): Promise<ChannelMonth[]> {
  const from = trendStart(q.to);
  const r = await rows(
    db,
    sql`select left(day, 7) as month, sum(cases_window) as window, sum(cases_web) as web, sum(cases_mobile) as mobile
          from adoption_daily
         where chain_id = ${q.chainId} and day between ${from} and ${q.to}
           and ${regionFilter(q.regionCode, sql.raw('region_code'))}
         group by 1`,
  );
  const by = new Map(r.map((x) => [String(x.month), x]));
  const months = monthsBetween(from, q.to).map((month) => {
    const x = by.get(month);
    return { month, window: num(x?.window), web: num(x?.web), mobile: num(x?.mobile) };
  });
  // A young chain has no cases in the early months: start the chart at the first active month,
  // but always show the period's own months.
  const own = q.from.slice(0, 7);
  const first = months.findIndex((m) => m.month >= own || m.window + m.web + m.mobile > 0);
  return months.slice(Math.max(0, first));
}

/** Cases of the period split by channel (web and mobile make the online share). */
export async function caseChannels(db: Db, q: DetailQuery) {
  const [r] = await rows(
    db,
    sql`select coalesce(sum(cases_total), 0) as total, coalesce(sum(cases_window), 0) as window,
               coalesce(sum(cases_web), 0) as web, coalesce(sum(cases_mobile), 0) as mobile,
               coalesce(sum(joint_cases), 0) as joint, coalesce(sum(duration_minutes_total), 0) as minutes
          from adoption_daily
         where chain_id = ${q.chainId} and day between ${q.from} and ${q.to}
           and ${regionFilter(q.regionCode, sql.raw('region_code'))}`,
  );
  return {
    casesTotal: num(r?.total),
    casesWindow: num(r?.window),
    casesWeb: num(r?.web),
    casesMobile: num(r?.mobile),
    jointCases: num(r?.joint),
    durationMinutesTotal: num(r?.minutes),
  };
}

/** flow_daily rows of the period where the provider or the user lies in the region. */
function flowWhere(q: DetailQuery): SQL {
  return sql`chain_id = ${q.chainId} and day between ${q.from} and ${q.to}
    and (${regionFilter(q.regionCode, sql.raw('owner_region'))} or ${regionFilter(q.regionCode, sql.raw('accessor_region'))})`;
}

export async function sharingBreakdown(
  db: Db,
  q: DetailQuery,
): Promise<Pick<ReportFigures['sharing'], 'byCategory' | 'byMode' | 'topFlows'>> {
  const [byCategory, byMode, top] = await Promise.all([
    rows(
      db,
      sql`select category, sum(accesses) as accesses, sum(records) as records from flow_daily
           where ${flowWhere(q)} group by 1 order by sum(records) desc, 1`,
    ),
    rows(
      db,
      sql`select mode, sum(accesses) as accesses, sum(records) as records from flow_daily
           where ${flowWhere(q)} group by 1 order by 1`,
    ),
    rows(
      db,
      sql`with top as (
            select owner_org, accessor_org, sum(accesses) as accesses, sum(records) as records
              from flow_daily where ${flowWhere(q)}
             group by owner_org, accessor_org
             order by sum(records) desc, owner_org, accessor_org
             limit 5)
          select top.*, oo.name as owner_name, ao.name as accessor_name from top
            left join orgs oo on oo.chain_id = ${q.chainId} and oo.address = top.owner_org
            left join orgs ao on ao.chain_id = ${q.chainId} and ao.address = top.accessor_org
           order by top.records desc, top.owner_org, top.accessor_org`,
    ),
  ]);
  return {
    byCategory: byCategory.map((r) => ({
      category: num(r.category),
      accesses: num(r.accesses),
      records: num(r.records),
    })),
    byMode: byMode.map((r) => ({ mode: num(r.mode), accesses: num(r.accesses), records: num(r.records) })),
    topFlows: top.map((r): FlowRow => ({
      ownerOrg: String(r.owner_org),
      ownerName: typeof r.owner_name === 'string' ? r.owner_name : '未注册机构',
      accessorOrg: String(r.accessor_org),
      accessorName: typeof r.accessor_name === 'string' ? r.accessor_name : '未注册机构',
      accesses: num(r.accesses),
      records: num(r.records),
    })),
  };
}

/**
 * Incidents that occurred in the period in the region, by rule and by current status: from the
 * incident tallies (kept by triggers, db/schema/incidents.ts), whose day is the Asia/Shanghai day
 * of occurrence, so a flood of incidents costs a report its days' tally rows, not a scan.
 */
export async function incidentBreakdown(
  db: Db,
  q: DetailQuery,
): Promise<Pick<ReportFigures['oversight'], 'byRule' | 'byStatus'>> {
  const where = sql`chain_id = ${q.chainId} and day >= ${q.from} and day <= ${q.to}
    and ${regionFilter(q.regionCode, sql.raw('region_code'))}`;
  const [byRule, byStatus] = await Promise.all([
    rows(
      db,
      sql`select rule, sum(count) as n from incident_tallies where ${where}
           group by 1 having sum(count) <> 0 order by 2 desc, 1`,
    ),
    rows(
      db,
      sql`select status, sum(count) as n from incident_tallies where ${where}
           group by 1 having sum(count) <> 0 order by 1`,
    ),
  ]);
  return {
    byRule: byRule.map((r) => ({ rule: String(r.rule), count: num(r.n) })),
    byStatus: byStatus.map((r) => ({ status: String(r.status), count: num(r.n) })),
  };
}
