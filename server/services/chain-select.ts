import { desc, eq, sql } from 'drizzle-orm';
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
  /**
   * Where indexing stands ('block:hash'): every rollup read is a function of it, so it keys the
   * shared result cache (rollup-cache.ts). Empty when nothing is indexed.
   */
  dataVersion: string;
}

export async function resolveChain(db: Db, requested?: number): Promise<DashboardChain> {
  let chainId = requested ?? null;
  if (chainId === null) {
    const [h] = await db
      .select({ chainId: indexerHealth.chainId })
      .from(indexerHealth)
      .orderBy(desc(indexerHealth.updatedAt))
      .limit(1);
    chainId = h?.chainId ?? null;
  }
  if (chainId === null) {
    const [c] = await db.select({ chainId: cursors.chainId }).from(cursors).limit(1);
    chainId = c?.chainId ?? null;
  }
  if (chainId === null) return { chainId: null, latestDay: shanghaiDay(Date.now() / 1000), dataVersion: '' };
  const [[d], [c]] = await Promise.all([
    db
      .select({ day: sql<string | null>`max(${eventsDaily.day})` })
      .from(eventsDaily)
      .where(eq(eventsDaily.chainId, chainId)),
    db
      .select({ block: cursors.indexedBlock, hash: cursors.indexedHash })
      .from(cursors)
      .where(eq(cursors.chainId, chainId)),
  ]);
  return {
    chainId,
    latestDay: d?.day ?? shanghaiDay(Date.now() / 1000),
    dataVersion: c ? `${chainId}:${c.block}:${c.hash ?? ''}` : '',
  };
}
