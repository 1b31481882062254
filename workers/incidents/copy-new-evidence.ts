import type pg from 'pg';
import { copyChunks } from '../indexer/copy';

/** incident_evidence's columns in the order write-findings.ts writes its binary COPY rows. */
export const EVIDENCE_COLUMNS = [
  'incident_id',
  'chain_id',
  'block_number',
  'log_index',
  'tx_hash',
  'block_time',
] as const;

/** Per connection: whether its role may set session_replication_role (a superuser's may). */
const maySkipChecks = new WeakMap<pg.PoolClient, boolean>();

async function mayCopyUnchecked(client: pg.PoolClient): Promise<boolean> {
  let may = maySkipChecks.get(client);
  if (may === undefined) {
    const { rows } = await client.query<{ su: boolean }>(
      "SELECT current_setting('is_superuser') = 'on' AS su",
    );
    may = rows[0]?.su === true;
    maySkipChecks.set(client, may);
  }
  return may;
}

/**
 * Copies the evidence of incidents the caller's transaction has just created (their ids as its
 * INSERT … RETURNING gave them). The foreign key to `incidents` checks each row by a look-up and
 * a row lock: two thirds of the copy's cost (100k rows: 1.5–1.6 s checked, 0.45–0.55 s not), and
 * on a chain where every access is two incidents the writer's longest wait after the incidents'
 * own insert. Every id here was returned by that insert, in this transaction, one statement
 * before, so the check cannot fail: where the role may, the copy runs with the session in replica
 * mode, which fires no trigger (incident_evidence has none but the key's), and the mode is set
 * back at once — a failed copy aborts the transaction, whose end restores it too. A role that may
 * not (not a superuser) copies with the checks.
 */
export async function copyNewEvidence(client: pg.PoolClient, rows: Buffer[]): Promise<void> {
  if (rows.length === 0) return;
  const unchecked = await mayCopyUnchecked(client);
  if (unchecked) await client.query('SET LOCAL session_replication_role = replica');
  await copyChunks(client, 'incident_evidence', EVIDENCE_COLUMNS, rows);
  if (unchecked) await client.query('SET LOCAL session_replication_role = origin');
}
