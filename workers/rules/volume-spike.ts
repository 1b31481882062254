import { sql } from 'drizzle-orm';
import type { Address, Hash } from 'viem';
import { volumeSpikeKey } from '../../domain/finding-keys';
import { RULES, type RuleSettings } from '../../domain/rules';
import type { DbOrTx } from '../incidents/types';
import type { EventRef, Finding } from '../state/types';
import { summaryText, type SummaryFacts } from '../../domain/incident-summary';

interface SpikeRow extends Record<string, unknown> {
  accessor: Address;
  dataset_id: Hash;
  day: string;
  records: string;
  median: number;
  active_days: string;
  block_number: string;
  log_index: number;
  tx_hash: Hash;
  t: string;
  region_code: number | null;
  org_name: string | null;
  title: string | null;
}

/** Spike threshold: strictly more records than max(minRecords, factor × median). */
export function volumeThreshold(median: number, settings: RuleSettings): number {
  return Math.max(settings.volumeSpikeMinRecords, settings.volumeSpikeMedianFactor * median);
}

/**
 * VOLUME_SPIKE over the access_daily rollup: for each (accessor, dataset, Asia/Shanghai day D) in
 * [fromDay, toDay], the median of that pair's daily totals on its previous N active days (days with
 * a row, before D; none → 0), and a spike when D's records exceed max(min, factor × median).
 * Evidence is every access of the pair whose block time falls in D's Shanghai day.
 */
export async function detectVolumeSpikes(p: {
  db: DbOrTx;
  chainId: number;
  settings: RuleSettings;
  fromDay?: string;
  toDay?: string;
}): Promise<Finding[]> {
  const { db, chainId, settings: s } = p;
  const from = p.fromDay ? sql`and d.day >= ${p.fromDay}` : sql``;
  const to = p.toDay ? sql`and d.day <= ${p.toDay}` : sql``;
  // Only days above the floor can spike, so the per-row median (a lateral LIMIT over the pair's
  // primary key) runs for the few candidates, not for every row of the rollup.
  const res = await db.execute<SpikeRow>(sql`
    with candidates as (
      select d.accessor, d.dataset_id, d.day, d.records, coalesce(h.median, 0)::float8 as median, h.active_days
      from access_daily d
      cross join lateral (
        select percentile_cont(0.5) within group (order by prev.records) as median, count(*) as active_days
        from (
          select p.records from access_daily p
          where p.chain_id = d.chain_id and p.accessor = d.accessor and p.dataset_id = d.dataset_id
            and p.day < d.day and p.accesses > 0
          order by p.day desc
          limit ${s.volumeSpikeHistoryDays}
        ) prev
      ) h
      where d.chain_id = ${chainId} and d.records > ${s.volumeSpikeMinRecords} ${from} ${to}
    )
    select c.accessor, c.dataset_id, c.day, c.records, c.median, c.active_days,
      a.block_number, a.log_index, a.tx_hash, extract(epoch from a.block_time)::bigint as t,
      o.region_code, o.name as org_name, ds.title
    from candidates c
    join accesses a on a.chain_id = ${chainId} and a.accessor = c.accessor and a.dataset_id = c.dataset_id
      and a.block_time >= (c.day::date::timestamp at time zone 'Asia/Shanghai')
      and a.block_time < ((c.day::date + 1)::timestamp at time zone 'Asia/Shanghai')
    left join orgs o on o.chain_id = ${chainId} and o.address = c.accessor
    left join datasets ds on ds.chain_id = ${chainId} and ds.dataset_id = c.dataset_id
    where c.records > greatest(${s.volumeSpikeMinRecords}::float8, ${s.volumeSpikeMedianFactor}::float8 * c.median)
    order by c.accessor, c.dataset_id, c.day, a.block_number, a.log_index
  `);

  const findings = new Map<string, Finding>();
  for (const r of res.rows) {
    const key = volumeSpikeKey(r.accessor, r.dataset_id, r.day);
    const ref: EventRef = { blockNumber: Number(r.block_number), logIndex: r.log_index, txHash: r.tx_hash };
    const t = Number(r.t);
    const f = findings.get(key);
    if (f) {
      f.evidence.push(ref);
      f.occurredAt = Math.max(f.occurredAt, t);
      continue;
    }
    const median = Number(r.median);
    const facts: SummaryFacts = {
      rule: 'VOLUME_SPIKE',
      org: { name: r.org_name, address: r.accessor },
      dataset: { title: r.title, id: r.dataset_id },
      day: r.day,
      records: Number(r.records),
      threshold: volumeThreshold(median, s),
      activeDays: Number(r.active_days),
      median,
    };
    findings.set(key, {
      rule: 'VOLUME_SPIKE',
      key,
      severity: RULES.VOLUME_SPIKE.severity,
      regionCode: r.region_code ?? 0,
      orgAddress: r.accessor,
      summary: summaryText(facts, 'zh'),
      facts,
      occurredAt: t,
      evidence: [ref],
    });
  }
  return [...findings.values()];
}
