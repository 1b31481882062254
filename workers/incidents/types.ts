import type { Tx } from '~/db/client';
import type { Finding } from '../state/types';

/** The database or a transaction of it: detection and writes run inside the indexer's range tx. */
export type DbOrTx = Tx;

/**
 * A finding as written: windowed findings may rest on no event (a live CHAIN_STALLED, or a stalled
 * block that holds no event), so they name the block a reorg must remove them with.
 */
export type StoredFinding = Finding & {
  anchorBlock?: number;
  /**
   * Evidence too large to carry through this process: every access of one accessor to one dataset
   * in one Asia/Shanghai day (VOLUME_SPIKE), which Postgres copies into the incident's evidence
   * itself. A spike can rest on hundreds of thousands of accesses; `evidence` then stays empty and
   * `anchorBlock` / `occurredAt` are those accesses' newest.
   */
  evidenceOfAccessDay?: AccessDay;
};

/** One accessor's accesses to one dataset in one Asia/Shanghai day (`YYYY-MM-DD`). */
export interface AccessDay {
  accessor: string;
  datasetId: string;
  day: string;
}
