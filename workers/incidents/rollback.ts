import { and, eq, gt } from 'drizzle-orm';
import { incidents } from '../../db/schema';
import type { DbOrTx } from './types';

/**
 * Reorg rollback: removes every incident that rests on a block above `blockNumber` (its evidence
 * rows and triage history go with it by cascade). Detection over the re-indexed blocks finds them
 * again when the new chain still holds them. Returns how many were removed.
 */
export async function rollbackIncidentsAbove(
  tx: DbOrTx,
  chainId: number,
  blockNumber: number,
): Promise<number> {
  const removed = await tx
    .delete(incidents)
    .where(and(eq(incidents.chainId, chainId), gt(incidents.evidenceBlock, blockNumber)))
    .returning({ id: incidents.id });
  return removed.length;
}
