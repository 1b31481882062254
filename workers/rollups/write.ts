import type pg from 'pg';
import { arrayLiteral } from '../../db/array-literal';
import { MONTH_DAYS, type RollupAccumulator } from './accumulator';

/** One column of a table's rows as an unnest() parameter (arrayLiteral: made by one join). */
const col = <T>(rows: readonly T[], value: (row: T) => string | number) => arrayLiteral(rows.map(value));

/**
 * Adds one range's sums to the rollup tables (and grants' access counts, which are sums too): one `INSERT … SELECT FROM unnest(…)` per table
 * (one bind parameter per column, ≈ 100k rows/s here) with `ON CONFLICT … DO UPDATE` adding.
 */
export async function writeRollups(
  client: pg.ClientBase,
  chainId: number,
  acc: RollupAccumulator,
): Promise<void> {
  const flows = [...acc.flows.values()];
  if (flows.length > 0) {
    await client.query(
      `INSERT INTO flow_daily (chain_id, day, owner_org, accessor_org, category, sensitivity, mode,
                               owner_region, accessor_region, accesses, records)
       SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::smallint[],
                                $7::smallint[], $8::int[], $9::int[], $10::int[], $11::bigint[])
       ON CONFLICT (chain_id, day, owner_org, accessor_org, category, sensitivity, mode) DO UPDATE
       SET accesses = flow_daily.accesses + excluded.accesses, records = flow_daily.records + excluded.records`,
      [
        chainId,
        col(flows, (f) => f.day),
        col(flows, (f) => f.ownerOrg),
        col(flows, (f) => f.accessorOrg),
        col(flows, (f) => f.category),
        col(flows, (f) => f.sensitivity),
        col(flows, (f) => f.mode),
        col(flows, (f) => f.ownerRegion),
        col(flows, (f) => f.accessorRegion),
        col(flows, (f) => f.accesses),
        col(flows, (f) => f.records),
      ],
    );
  }
  const regions = [...acc.flowRegions.values()];
  if (regions.length > 0) {
    await client.query(
      `INSERT INTO flow_region_daily (chain_id, day, owner_region, accessor_region, mode, accesses, records)
       SELECT $1, * FROM unnest($2::varchar[], $3::int[], $4::int[], $5::smallint[], $6::int[], $7::bigint[])
       ON CONFLICT (chain_id, day, owner_region, accessor_region, mode) DO UPDATE
       SET accesses = flow_region_daily.accesses + excluded.accesses,
           records = flow_region_daily.records + excluded.records`,
      [
        chainId,
        col(regions, (f) => f.day),
        col(regions, (f) => f.ownerRegion),
        col(regions, (f) => f.accessorRegion),
        col(regions, (f) => f.mode),
        col(regions, (f) => f.accesses),
        col(regions, (f) => f.records),
      ],
    );
  }
  const pairs = [...acc.pairMonths.values()];
  if (pairs.length > 0) {
    // unnest() flattens a 2-D array, so each row's running totals travel as one array literal.
    await client.query(
      `INSERT INTO flow_pair_monthly (chain_id, month, owner_org, accessor_org, owner_region, accessor_region,
                                      day_mask, accesses_cum, records_cum)
       SELECT $1, u.month, u.owner_org, u.accessor_org, u.owner_region, u.accessor_region, u.day_mask,
              u.accesses_cum::bigint[], u.records_cum::bigint[]
       FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[])
            AS u(month, owner_org, accessor_org, owner_region, accessor_region, day_mask, accesses_cum, records_cum)
       ON CONFLICT (chain_id, month, owner_org, accessor_org, owner_region, accessor_region) DO UPDATE
       SET day_mask = flow_pair_monthly.day_mask | excluded.day_mask,
           accesses_cum = ${sumOfDays('accesses_cum')},
           records_cum = ${sumOfDays('records_cum')}`,
      [
        chainId,
        col(pairs, (p) => p.month),
        col(pairs, (p) => p.ownerOrg),
        col(pairs, (p) => p.accessorOrg),
        col(pairs, (p) => p.ownerRegion),
        col(pairs, (p) => p.accessorRegion),
        col(pairs, (p) => p.dayMask),
        col(pairs, (p) => runningTotalsLiteral(p.accesses)),
        col(pairs, (p) => runningTotalsLiteral(p.records)),
      ],
    );
  }
  const daily = [...acc.accessDaily.values()];
  if (daily.length > 0) {
    await client.query(
      `INSERT INTO access_daily (chain_id, day, accessor, dataset_id, accesses, records)
       SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::bigint[])
       ON CONFLICT (chain_id, accessor, dataset_id, day) DO UPDATE
       SET accesses = access_daily.accesses + excluded.accesses, records = access_daily.records + excluded.records`,
      [
        chainId,
        col(daily, (d) => d.day),
        col(daily, (d) => d.accessor),
        col(daily, (d) => d.datasetId),
        col(daily, (d) => d.accesses),
        col(daily, (d) => d.records),
      ],
    );
  }
  const adoption = [...acc.adoption.values()];
  if (adoption.length > 0) {
    await client.query(
      `INSERT INTO adoption_daily (chain_id, day, region_code, cases_total, cases_window, cases_web, cases_mobile,
                                   joint_cases, duration_minutes_total)
       SELECT $1, * FROM unnest($2::varchar[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::bigint[])
       ON CONFLICT (chain_id, day, region_code) DO UPDATE SET
         cases_total = adoption_daily.cases_total + excluded.cases_total,
         cases_window = adoption_daily.cases_window + excluded.cases_window,
         cases_web = adoption_daily.cases_web + excluded.cases_web,
         cases_mobile = adoption_daily.cases_mobile + excluded.cases_mobile,
         joint_cases = adoption_daily.joint_cases + excluded.joint_cases,
         duration_minutes_total = adoption_daily.duration_minutes_total + excluded.duration_minutes_total`,
      [
        chainId,
        col(adoption, (a) => a.day),
        col(adoption, (a) => a.regionCode),
        col(adoption, (a) => a.casesTotal),
        col(adoption, (a) => a.casesWindow),
        col(adoption, (a) => a.casesWeb),
        col(adoption, (a) => a.casesMobile),
        col(adoption, (a) => a.jointCases),
        col(adoption, (a) => a.durationMinutesTotal),
      ],
    );
  }
  const items = [...acc.items.values()];
  if (items.length > 0) {
    await client.query(
      `INSERT INTO items_daily (chain_id, day, region_code, online_level, listings)
       SELECT $1, * FROM unnest($2::varchar[], $3::int[], $4::smallint[], $5::int[])
       ON CONFLICT (chain_id, day, region_code, online_level) DO UPDATE
       SET listings = items_daily.listings + excluded.listings`,
      [
        chainId,
        col(items, (i) => i.day),
        col(items, (i) => i.regionCode),
        col(items, (i) => i.onlineLevel),
        col(items, (i) => i.listings),
      ],
    );
  }
  const ev = [...acc.eventsDaily.values()];
  if (ev.length > 0) {
    await client.query(
      `INSERT INTO events_daily (chain_id, day, event_name, count)
       SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::int[])
       ON CONFLICT (chain_id, day, event_name) DO UPDATE SET count = events_daily.count + excluded.count`,
      [chainId, col(ev, (e) => e.day), col(ev, (e) => e.eventName), col(ev, (e) => e.count)],
    );
  }
  await writeGrantAccesses(client, chainId, acc);
}

/**
 * Adds the accesses under each grant to grants.access_count. The grant's row is there: it was
 * upserted by the range that issued it, before any access it counts (derive.ts counts only
 * accesses under a grant already issued).
 */
async function writeGrantAccesses(client: pg.ClientBase, chainId: number, acc: RollupAccumulator) {
  if (acc.grantAccesses.size === 0) return;
  const perGrant = new Map<string, number>();
  for (const day of acc.grantAccesses.values())
    for (const [grantId, n] of day) perGrant.set(grantId, (perGrant.get(grantId) ?? 0) + n);
  await client.query(
    `UPDATE grants g SET access_count = g.access_count + d.n
     FROM unnest($2::varchar[], $3::int[]) AS d(grant_id, n)
     WHERE g.chain_id = $1 AND g.grant_id = d.grant_id`,
    [chainId, arrayLiteral([...perGrant.keys()]), arrayLiteral([...perGrant.values()])],
  );
}

/**
 * The stored running totals of `column` plus the range's, element by element, as one array
 * constructor. The SQL function add_bigint_arrays (migration 0007, kept for a worker of an older
 * release) does the same through unnest and array_agg, and calling it cost ≈ 18 µs a row against
 * ≈ 2 µs for this: two calls for each pair-month a range touches.
 */
function sumOfDays(column: string): string {
  const days = Array.from(
    { length: MONTH_DAYS },
    (_, i) => `flow_pair_monthly.${column}[${i + 1}] + excluded.${column}[${i + 1}]`,
  );
  return `ARRAY[${days.join(', ')}]`;
}

/** '{a1,a1+a2,…}': the running totals of a month's daily amounts as a Postgres array literal. */
function runningTotalsLiteral(daily: number[]): string {
  let sum = 0;
  return `{${daily.map((v) => (sum += v)).join(',')}}`;
}
