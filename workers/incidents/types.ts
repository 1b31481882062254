import type { Tx } from '~/db/client';
import type { Finding } from '../state/types';

/** The database or a transaction of it: detection and writes run inside the indexer's range tx. */
export type DbOrTx = Tx;

/**
 * A finding as written: windowed findings may rest on no event (a live CHAIN_STALLED, or a stalled
 * block that holds no event), so they name the block a reorg must remove them with.
 */
export type StoredFinding = Finding & { anchorBlock?: number };
