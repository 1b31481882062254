import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cursors, indexerHealth } from '../../db/schema/chain';
import { eventsDaily } from '../../db/schema/rollups';
import { shanghaiDay } from '../../domain/time';

/**
 * Which chain the dashboard shows and the latest day indexed on it. One deployment normally
 * indexes one chain; with several, the one whose indexer reported last wins (as /api/health).
 */
export interface DashboardChain {
  chainId: number | null;
  /** Latest Asia/Shanghai day holding indexed events: the default end of every period. */
  latestDay: string;
  /** Earliest day holding indexed events (null when none): where "since the data began" starts. */
  firstDay: string | null;
  /**
   * Where indexing stands ('block:hash'): every rollup read is a function of it, so it keys the
   * shared result cache (rollup-cache.ts). Empty when nothing is indexed.
   */
  dataVersion: string;
  /** The cursor itself (null when nothing is indexed): what an answer's staleness is judged by. */
  cursor: ChainCursor | null;
}

export interface ChainCursor {
  block: number;
  /** The cursor block's hash; null when the indexer did not record it. */
  hash: string | null;
  /** When the cursor row last changed (exact text): every commit and every rollback moves it. */
  movedAt: string;
}

/** Lookups under way per database and requested chain: calls made meanwhile share them. */
const inFlight = new WeakMap<Db, Map<number | undefined, Promise<DashboardChain>>>();

/**
 * Every dashboard call asks this first — each procedure of a page load's batch, each of fifty users
 * opening a page at once — so calls made while the same lookup is under way share its answer
 * (one query instead of one per call). The answer is then the cursor as of a moment after the
 * earliest of them began, which is what a dashboard read may see anyway while the indexer commits.
 */
export function resolveChain(db: Db, requested?: number): Promise<DashboardChain> {
  let forDb = inFlight.get(db);
  if (!forDb) inFlight.set(db, (forDb = new Map<number | undefined, Promise<DashboardChain>>()));
  const running = forDb.get(requested);
  if (running) return running;
  const lookup = lookUpChain(db, requested).finally(() => forDb.delete(requested));
  forDb.set(requested, lookup);
  return lookup;
}

async function lookUpChain(db: Db, requested?: number): Promise<DashboardChain> {
  // One round trip: every dashboard call asks this before anything else (five times per page
  // load on /adoption), so three queries here were a third of a cached call's database work.
  const picked =
    requested === undefined
      ? sql`coalesce(
          (select ${indexerHealth.chainId} from ${indexerHealth} order by ${indexerHealth.updatedAt} desc limit 1),
          (select ${cursors.chainId} from ${cursors} limit 1))`
      : sql`${requested}::int`;
  const { rows } = await db.execute<{
    chain_id: number | null;
    day: string | null;
    first_day: string | null;
    block: string | null;
    hash: string | null;
    moved: string | null;
  }>(sql`
    with c as (select ${picked} as chain_id)
    select c.chain_id,
           (select max(${eventsDaily.day}) from ${eventsDaily} where ${eventsDaily.chainId} = c.chain_id) as day,
           (select min(${eventsDaily.day}) from ${eventsDaily} where ${eventsDaily.chainId} = c.chain_id) as first_day,
           k.indexed_block as block, k.indexed_hash as hash,
           k.updated_at::text as moved
      from c left join ${cursors} k on k.chain_id = c.chain_id`);
  const r = rows[0];
  const chainId = r?.chain_id ?? null;
  if (chainId === null)
    return {
      chainId: null,
      latestDay: shanghaiDay(Date.now() / 1000),
      firstDay: null,
      dataVersion: '',
      cursor: null,
    };
  return {
    chainId,
    latestDay: r?.day ?? shanghaiDay(Date.now() / 1000),
    firstDay: r?.first_day ?? null,
    dataVersion: r?.block != null ? `${chainId}:${r.block}:${r.hash ?? ''}` : '',
    cursor: r?.block != null ? { block: Number(r.block), hash: r.hash, movedAt: r.moved ?? '' } : null,
  };
}
