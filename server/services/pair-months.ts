import { sql, type Column, type SQL } from 'drizzle-orm';
import { flowPairMonthly } from '../../db/schema/rollups';
import { addDays } from './period';

/**
 * Day bits of flow_pair_monthly (bit d-1 = day d of the month) that fall inside [from, to], per
 * month the range touches.
 */
export function monthMasks(from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const month = day.slice(0, 7);
    out.set(month, (out.get(month) ?? 0) | (1 << (Number(day.slice(8, 10)) - 1)));
  }
  return out;
}

/** The region columns of the pair subqueries below, for flowScope. */
export const PAIR_REGIONS = { ownerRegion: sql`owner_region`, accessorRegion: sql`accessor_region` };

export interface PairActivityPeriods {
  cur: { from: string; to: string };
  /** Omitted: only the current period is asked for (`prev` is then always false). */
  prev?: { from: string; to: string };
}

/**
 * A subquery `(owner_org, accessor_org, owner_region, accessor_region, cur, prev)`: one row per
 * org pair and month that exchanged data on a day of either period, with whether it did in each.
 * Distinct pairs or orgs over it are exact, and it reads one row per pair and month touched.
 */
export function pairActivitySql(chainId: number, periods: PairActivityPeriods): SQL {
  const cur = monthMasks(periods.cur.from, periods.cur.to);
  const prev = periods.prev ? monthMasks(periods.prev.from, periods.prev.to) : new Map<string, number>();
  const months = [...new Set([...cur.keys(), ...prev.keys()])].sort();
  const values = sql.join(
    months.map((m) => sql`(${m}::varchar, ${cur.get(m) ?? 0}::int, ${prev.get(m) ?? 0}::int)`),
    sql`, `,
  );
  const f = flowPairMonthly;
  return sql`(
    select ${f.ownerOrg} as owner_org, ${f.accessorOrg} as accessor_org,
           ${f.ownerRegion} as owner_region, ${f.accessorRegion} as accessor_region,
           (${f.dayMask} & m.cur) <> 0 as cur, (${f.dayMask} & m.prev) <> 0 as prev
    from ${f} join (values ${values}) as m(month, cur, prev) on m.month = ${f.month}
    where ${f.chainId} = ${chainId}
      and ${f.month} in (${sql.join(
        months.map((m) => sql`${m}`),
        sql`, `,
      )})
      and (${f.dayMask} & (m.cur | m.prev)) <> 0
  )`;
}

/** The first and last day of each month that [from, to] touches (31 stands for "to the end"). */
export function monthBounds(from: string, to: string): Map<string, { lo: number; hi: number }> {
  const bounds = new Map<string, { lo: number; hi: number }>();
  for (const month of monthMasks(from, to).keys()) {
    const lo = from.startsWith(month) ? Number(from.slice(8, 10)) : 1;
    const hi = to.startsWith(month) ? Number(to.slice(8, 10)) : 31;
    bounds.set(month, { lo, hi });
  }
  return bounds;
}

/**
 * A subquery `(owner_org, accessor_org, owner_region, accessor_region, accesses, records)`: each
 * org pair's sums over [from, to], one row per pair and month touched, from the month's running
 * totals (`cum[last day] - cum[day before the first]`). Rows with nothing in the range are left out.
 */
export function pairSumsSql(chainId: number, from: string, to: string): SQL {
  const bounds = monthBounds(from, to);
  const values = sql.join(
    [...bounds].map(([m, b]) => sql`(${m}::varchar, ${b.lo}::int, ${b.hi}::int)`),
    sql`, `,
  );
  const f = flowPairMonthly;
  const diff = (col: Column) => sql`(${col}[m.hi] - coalesce(${col}[m.lo - 1], 0))`;
  return sql`(
    select ${f.ownerOrg} as owner_org, ${f.accessorOrg} as accessor_org,
           ${f.ownerRegion} as owner_region, ${f.accessorRegion} as accessor_region,
           ${diff(f.accessesCum)} as accesses, ${diff(f.recordsCum)} as records
    from ${f} join (values ${values}) as m(month, lo, hi) on m.month = ${f.month}
    where ${f.chainId} = ${chainId}
      and ${f.month} in (${sql.join(
        [...bounds.keys()].map((m) => sql`${m}`),
        sql`, `,
      )})
      and ${diff(f.accessesCum)} > 0
  )`;
}
