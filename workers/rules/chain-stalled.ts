import { eq, sql, type SQL } from 'drizzle-orm';
import type { Hash } from 'viem';
import { indexerHealth } from '../../db/schema';
import { chainStalledKey } from '../../domain/finding-keys';
import { RULES, type RuleSettings } from '../../domain/rules';
import { summaryText, type SummaryFacts } from '../../domain/incident-summary';
import type { DbOrTx, StoredFinding } from '../incidents/types';

interface StallRow extends Record<string, unknown> {
  number: string;
  gap: number;
  usual: number;
  t: string;
  tx_hash: Hash | null;
  log_index: number | null;
}

interface HeadRow extends Record<string, unknown> {
  usual: number | null;
  number: string | null;
  t: string | null;
}

/** The stored Chinese text (the export's column) and the facts each page renders in its language. */
function withSummary(facts: SummaryFacts): { summary: string; facts: SummaryFacts } {
  return { summary: summaryText(facts, 'zh'), facts };
}

/** Block pairs the usual interval at a block is taken over: the chain as it ran just before. */
const RECENT_PAIRS = 64;
/** Fewer recent pairs than this (the chain's first blocks): the opening pace stands in. */
const MIN_RECENT_PAIRS = 8;

/**
 * Consecutive stored blocks' gaps, and the chain's opening pace: the median of Δts/Δnumber over
 * its first RECENT_PAIRS pairs (seconds), for blocks too early to have a recent pace of their own.
 */
const PAIRS = (chainId: number) => sql`
  pairs as (
    select number, timestamp,
      number - lag(number) over w as dn,
      extract(epoch from timestamp - lag(timestamp) over w)::float8 as gap
    from blocks where chain_id = ${chainId}
    window w as (order by number)
  ),
  usual as (
    select percentile_cont(0.5) within group (order by gap / dn) as usual
    from (select gap, dn from pairs where dn is not null order by number limit ${RECENT_PAIRS}) first_pairs
  )`;

/**
 * The usual interval at block `below` (exclusive): the median of Δts/Δnumber over the
 * RECENT_PAIRS stored pairs before it, null with fewer than MIN_RECENT_PAIRS. A chain whose pace
 * changes — a consortium that shortens its block time, or the demo's hourly history followed by
 * live blocks every few seconds — is judged by how it ran lately, not by a median that the other
 * pace dominates (which flagged every hourly block once live blocks outnumbered them).
 */
const recentUsual = (chainId: number, below: SQL) => sql`(
  select case when count(*) >= ${MIN_RECENT_PAIRS} then percentile_cont(0.5) within group (order by g) end
  from (
    select extract(epoch from b.timestamp - lag(b.timestamp) over o)::float8
           / nullif(b.number - lag(b.number) over o, 0) as g
    from (
      select number, timestamp from blocks where chain_id = ${chainId} and number < ${below}
      order by number desc limit ${RECENT_PAIRS + 1}
    ) b
    window o as (order by b.number)
  ) x where g is not null
)`;

/**
 * CHAIN_STALLED: stored blocks n-1, n more than factor × the usual interval before n apart (key n, evidence
 * the first event of block n when it holds one), and the live stall: now − head time beyond the
 * same bound (key `live-<head>`). A usual interval of 0 (blocks sharing a timestamp, as anvil's
 * automine does) defines no stall: every one-second gap would be "ten times" it.
 */
export async function detectChainStalls(p: {
  db: DbOrTx;
  chainId: number;
  settings: RuleSettings;
  /** unix seconds */
  now: number;
  /** judge the live condition too (default true); off when replaying a chain whose clock is not now */
  live?: boolean;
}): Promise<StoredFinding[]> {
  const { db, chainId, settings, now } = p;
  const factor = settings.chainStalledIntervalFactor;
  // Only a gap above factor × the smallest interval anywhere can be a stall, and (a bound that
  // needs no median) only one above factor × a floor of the recent pace: a median of
  // non-negative intervals that is positive is at least half the smallest positive one, and at
  // least the smallest one when none is zero. The window of each pair's RECENT_PAIRS predecessors
  // is the one recentUsual reads, so this keeps exactly the gaps that the per-block median (a
  // lateral over the index) may confirm; a chain running at its own pace leaves almost none.
  // The chain-wide figures are scalar subqueries, computed once.
  const stalls = await db.execute<StallRow>(sql`
    with ${PAIRS(chainId)},
    paced as (
      select number, timestamp, dn, gap,
        count(rate) over recent as prior_n,
        min(rate) over recent as prior_min,
        min(rate) filter (where rate > 0) over recent as prior_min_pos
      from (select number, timestamp, dn, gap, gap / nullif(dn, 0) as rate from pairs) r
      window recent as (order by number rows between ${RECENT_PAIRS} preceding and 1 preceding)
    ),
    candidates as (
      select p.number, p.timestamp, p.gap from paced p
      where p.dn = 1
        and p.gap > ${factor}::float8 * (select min(gap / dn) from pairs where dn is not null and gap > 0)
        and case
          when p.prior_n < ${MIN_RECENT_PAIRS} then p.gap > ${factor}::float8 * (select usual from usual)
          when p.prior_min < 0 then true
          when p.prior_min > 0 then p.gap > ${factor}::float8 * p.prior_min
          else p.gap > ${factor}::float8 * p.prior_min_pos / 2
        end
    )
    select p.number, p.gap, l.usual, extract(epoch from p.timestamp)::bigint as t, e.tx_hash, e.log_index
    from candidates p cross join usual u
    cross join lateral (
      select coalesce(${recentUsual(chainId, sql`p.number`)}, u.usual) as usual
    ) l
    left join lateral (
      select tx_hash, log_index from chain_events
      where chain_id = ${chainId} and block_number = p.number order by log_index limit 1
    ) e on true
    where l.usual > 0 and p.gap > ${factor}::float8 * l.usual
    order by p.number
  `);
  const findings: StoredFinding[] = stalls.rows.map((r) => {
    const n = Number(r.number);
    return {
      rule: 'CHAIN_STALLED',
      key: chainStalledKey(n),
      severity: RULES.CHAIN_STALLED.severity,
      regionCode: 0,
      orgAddress: null,
      ...withSummary({
        rule: 'CHAIN_STALLED',
        block: n,
        gapSeconds: Number(r.gap),
        usualSeconds: Number(r.usual),
        factor,
      }),
      occurredAt: Number(r.t),
      evidence:
        r.tx_hash && r.log_index !== null
          ? [{ blockNumber: n, logIndex: r.log_index, txHash: r.tx_hash }]
          : [],
      anchorBlock: n,
    };
  });

  const live = p.live === false ? null : await liveStall(db, chainId, factor, now);
  if (live) findings.push(live);
  return findings;
}

async function liveStall(
  db: DbOrTx,
  chainId: number,
  factor: number,
  now: number,
): Promise<StoredFinding | null> {
  const latest = await db.execute<HeadRow>(sql`
    with ${PAIRS(chainId)}
    select coalesce(${recentUsual(chainId, sql`b.number + 1`)}, u.usual) as usual,
      b.number, extract(epoch from b.timestamp)::bigint as t
    from usual u
    left join lateral (
      select number, timestamp from blocks where chain_id = ${chainId} order by number desc limit 1
    ) b on true
  `);
  const row = latest.rows[0];
  const usual = row?.usual ?? null;
  if (usual === null || usual <= 0) return null;
  let head = row?.number != null ? Number(row.number) : null;
  let headTime = row?.t != null ? Number(row.t) : null;
  // The head follower may know a newer head than the last stored block (blocks without events
  // are not all stored); its figure wins when it is ahead.
  const [h] = await db
    .select({ headBlock: indexerHealth.headBlock, headTime: indexerHealth.headTime })
    .from(indexerHealth)
    .where(eq(indexerHealth.chainId, chainId));
  if (h?.headTime && (head === null || h.headBlock >= head)) {
    head = h.headBlock;
    headTime = Math.floor(h.headTime.getTime() / 1000);
  }
  if (head === null || headTime === null) return null;
  const silent = now - headTime;
  if (silent <= factor * usual) return null;
  return {
    rule: 'CHAIN_STALLED',
    key: `live-${head}`,
    severity: RULES.CHAIN_STALLED.severity,
    regionCode: 0,
    orgAddress: null,
    ...withSummary({ rule: 'CHAIN_STALLED_LIVE', head, silentSeconds: silent, usualSeconds: usual }),
    occurredAt: now,
    evidence: [],
    anchorBlock: head,
  };
}
