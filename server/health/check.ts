import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { indexerHealth } from '../../db/schema/chain';
import { indexerStall } from '../../domain/indexer-stall';
import { readReplicaLag, type ReplicaLag } from './replica-lag';
import { HEALTH_THRESHOLDS as T } from './thresholds';

type Check = 'ok' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  chainId: number | null;
  chainHead: number | null;
  indexedBlock: number | null;
  lagBlocks: number | null;
  lagSeconds: number | null;
  checks: { database: Check; redis: Check; rpc: Check; replica?: Check };
  /** Present when dashboard reads go to a replica (`DATABASE_READ_URL`). */
  replica?: ReplicaLag | null;
  /**
   * Set while the cursor stands still behind the head past STALL_THRESHOLDS
   * (domain/indexer-stall.ts): for how long, the block it waits for and why, e.g.
   * "range 231–250 was not queued, re-planned 3 times".
   */
  stall: { seconds: number; waitingForBlock: number; reason: string | null } | null;
}

export interface HealthDeps {
  db: Db;
  /** Resolves when Redis answers PING; rejects otherwise. */
  pingRedis: () => Promise<unknown>;
  chainId?: number;
  now?: Date;
  /** The read replica, when one is configured. */
  readDb?: Db;
}

function withTimeout<V>(p: Promise<V>, ms: number): Promise<V> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Reads the persisted indexer figures (never the chain) and pings Postgres and Redis. */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const now = deps.now ?? new Date();
  const [row, redisOk, replica] = await Promise.all([
    withTimeout(readHealthRow(deps.db, deps.chainId), T.pingTimeoutMs).then(
      (r) => ({ ok: true as const, row: r }),
      () => ({ ok: false as const, row: undefined }),
    ),
    withTimeout(deps.pingRedis(), T.pingTimeoutMs).then(
      () => true,
      () => false,
    ),
    deps.readDb
      ? withTimeout(readReplicaLag(deps.db, deps.readDb), T.pingTimeoutMs).catch(() => null)
      : Promise.resolve(undefined),
  ]);
  const h = row.row;
  const rpcOk =
    h?.rpcLastOkAt != null && (now.getTime() - h.rpcLastOkAt.getTime()) / 1000 <= T.maxRpcSilenceSeconds;
  const checks = {
    database: row.ok ? 'ok' : 'down',
    redis: redisOk ? 'ok' : 'down',
    rpc: rpcOk ? 'ok' : 'down',
    ...(replica === undefined ? {} : { replica: replica ? ('ok' as const) : ('down' as const) }),
  } as const;
  const replicaBehind = replica != null && replica.lagSeconds > T.maxReplicaLagSeconds;

  const stall = h ? indexerStall(h, now) : null;
  let status: HealthReport['status'];
  if (!row.ok || !h || stall?.status === 'down') status = 'down';
  else if (
    stall?.status === 'degraded' ||
    h.lagBlocks > T.maxLagBlocks ||
    h.lagSeconds > T.maxLagSeconds ||
    !redisOk ||
    !rpcOk ||
    replica === null ||
    replicaBehind
  )
    status = 'degraded';
  else status = 'ok';

  return {
    status,
    chainId: h?.chainId ?? null,
    chainHead: h?.headBlock ?? null,
    indexedBlock: h?.indexedBlock ?? null,
    lagBlocks: h?.lagBlocks ?? null,
    lagSeconds: h?.lagSeconds ?? null,
    checks,
    ...(replica === undefined ? {} : { replica }),
    stall:
      stall && stall.waitingForBlock !== null && stall.status !== 'ok'
        ? { seconds: Math.round(stall.seconds), waitingForBlock: stall.waitingForBlock, reason: stall.reason }
        : null,
  };
}

async function readHealthRow(db: Db, chainId: number | undefined) {
  const [row] = await db
    .select()
    .from(indexerHealth)
    .where(chainId === undefined ? sql`true` : eq(indexerHealth.chainId, chainId))
    .orderBy(desc(indexerHealth.updatedAt))
    .limit(1);
  return row;
}
