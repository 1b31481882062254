import { sql, type SQL } from 'drizzle-orm';
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
