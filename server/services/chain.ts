import { and, between, desc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { indexerHealth } from '../../db/schema/chain';
import { incidents } from '../../db/schema/incidents';
import { eventsDaily } from '../../db/schema/rollups';
import { indexerStall, type Stall } from '../../domain/indexer-stall';
import { CONTRACT_NAMES, EVENT_CONTRACT, type ContractName, type EventName } from '../../domain/events';
import { scopeCondition, type Scope } from '../scope';
import { resolveChain } from './chain-select';
import { bucketSql, bucketsBetween, resolvePeriod, type PeriodInput, type ResolvedPeriod } from './period';
import type { SummaryFacts } from '../../domain/incident-summary';

/**
 * 链上运行. Chain and indexer health are facts about the shared infrastructure, not about a
 * region's data, so every caller with chain:read sees them whatever their scope.
 */
export interface ChainStatus {
  chainId: number | null;
  latestDay: string;
  health: typeof indexerHealth.$inferSelect | null;
  /** The server's clock when answering. */
  serverTime: Date;
  /**
   * Seconds by which the newest block's time is ahead of the server's clock, beyond the tolerance
   * (AHEAD_TOLERANCE_SECONDS); null when it is not. A chain ahead of the clock shows accesses "in
   * the future" and a lag of zero: the page says so instead.
   */
  aheadSeconds: number | null;
  /** Whether the cursor is stuck behind the head (the same verdict /api/health gives). */
  stall: Stall | null;
}

/** Clocks of nodes and servers drift a little; a minute is not worth a warning. */
export const AHEAD_TOLERANCE_SECONDS = 60;

export async function chainStatus(db: Db, input: { chainId?: number; now?: Date }): Promise<ChainStatus> {
  const serverTime = input.now ?? new Date();
  const chain = await resolveChain(db, input.chainId);
  if (chain.chainId === null)
    return {
      chainId: null,
      latestDay: chain.latestDay,
      health: null,
      serverTime,
      aheadSeconds: null,
      stall: null,
    };
  const [health] = await db
    .select()
    .from(indexerHealth)
    .where(eq(indexerHealth.chainId, chain.chainId))
    .limit(1);
  const ahead = health?.headTime ? (health.headTime.getTime() - serverTime.getTime()) / 1000 : 0;
  return {
    chainId: chain.chainId,
    latestDay: chain.latestDay,
    health: health ?? null,
    serverTime,
    aheadSeconds: ahead > AHEAD_TOLERANCE_SECONDS ? Math.round(ahead) : null,
    stall: health ? indexerStall(health, serverTime) : null,
  };
}

export interface ChainActivity {
  period: ResolvedPeriod;
  granularity: ResolvedPeriod['granularity'];
  /** Event counts per bucket and contract, contracts in CONTRACT_NAMES order. */
  contracts: readonly ContractName[];
  points: { bucket: string; counts: number[] }[];
  /** The last bucket when the period reaches today, which is not over: drawn as to date. */
  partialBucket: string | null;
  /** Totals over the period per event name. */
  byEvent: { eventName: string; contract: ContractName | null; count: number }[];
}

export async function chainActivity(
  db: Db,
  input: PeriodInput & { chainId?: number },
): Promise<ChainActivity> {
  const chain = await resolveChain(db, input.chainId);
  const period = resolvePeriod(input, chain.latestDay);
  const g = period.granularity;
  const contracts = CONTRACT_NAMES;
  const points = bucketsBetween(period.from, period.to, g).map((bucket) => ({
    bucket,
    counts: contracts.map(() => 0),
  }));
  const partialBucket = period.partial ? (points[points.length - 1]?.bucket ?? null) : null;
  const out: ChainActivity = { period, granularity: g, contracts, points, partialBucket, byEvent: [] };
  if (chain.chainId === null) return out;
  const bucket = bucketSql(eventsDaily.day, g);
  const rows = await db
    .select({
      bucket,
      eventName: eventsDaily.eventName,
      count: sql`sum(${eventsDaily.count})`.mapWith(Number),
    })
    .from(eventsDaily)
    .where(and(eq(eventsDaily.chainId, chain.chainId), between(eventsDaily.day, period.from, period.to)))
    .groupBy(bucket, eventsDaily.eventName);
  const byBucket = new Map(points.map((p) => [p.bucket, p]));
  const byEvent = new Map<string, number>();
  for (const r of rows) {
    const contract = EVENT_CONTRACT[r.eventName as EventName] as ContractName | undefined;
    byEvent.set(r.eventName, (byEvent.get(r.eventName) ?? 0) + r.count);
    const p = byBucket.get(r.bucket);
    const i = contract ? contracts.indexOf(contract) : -1;
    if (p && i >= 0) p.counts[i] = (p.counts[i] ?? 0) + r.count;
  }
  out.byEvent = [...byEvent]
    .map(([eventName, count]) => ({
      eventName,
      contract: (EVENT_CONTRACT[eventName as EventName] as ContractName | undefined) ?? null,
      count,
    }))
    .sort((a, b) => b.count - a.count || a.eventName.localeCompare(b.eventName));
  return out;
}

export interface StallIncident {
  id: number;
  severity: string;
  status: string;
  summary: string;
  facts: SummaryFacts | null;
  evidenceBlock: number;
  occurredAt: Date;
  detectedAt: Date;
}

/**
 * CHAIN_STALLED incidents, newest first. A stall has no acting org (region 0): it concerns the
 * whole chain, so it is shown to every scope; one that does carry a region obeys the scope.
 */
export async function chainStalls(
  db: Db,
  input: { chainId?: number; limit: number },
  scope: Scope,
): Promise<StallIncident[]> {
  const chain = await resolveChain(db, input.chainId);
  if (chain.chainId === null) return [];
  return db
    .select({
      id: incidents.id,
      severity: incidents.severity,
      status: incidents.status,
      summary: incidents.summary,
      facts: incidents.facts,
      evidenceBlock: incidents.evidenceBlock,
      occurredAt: incidents.occurredAt,
      detectedAt: incidents.detectedAt,
    })
    .from(incidents)
    .where(
      and(
        eq(incidents.chainId, chain.chainId),
        eq(incidents.rule, 'CHAIN_STALLED'),
        or(eq(incidents.regionCode, 0), scopeCondition(scope, incidents.regionCode)),
      ),
    )
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(input.limit);
}
