import { createDb, type DbHandle } from '../../db/client';

/**
 * Exports and downloads read on a pool of their own, so that however many run, and however slowly
 * their clients read, sign-in, the dashboard and /api/health keep the main pool's connections.
 *
 * - `statement_timeout` 2 min: one page of an export is a short indexed query; a statement that
 *   runs longer is a mistake or an attack, and is cancelled by Postgres itself.
 * - `idle_in_transaction_session_timeout` 90 s: an export reads in one REPEATABLE READ transaction
 *   and waits for its client between pages. The stall guard (stall-guard.ts) ends an export whose
 *   client has not read for EXPORT_STALL_MS (60 s) first; Postgres ending the session at 90 s is
 *   the backstop should the process itself hang, so no snapshot is held for longer.
 * - A request that finds every connection busy is refused by the export gate before it asks the
 *   pool (gate.ts sizes its total to the pool); the 10 s connection timeout only guards a pool
 *   shared with the console's work.
 */
export const EXPORT_STATEMENT_TIMEOUT_MS = 120_000;
export const EXPORT_IDLE_IN_TRANSACTION_MS = 90_000;
export const EXPORT_CONNECTION_TIMEOUT_MS = 10_000;

export function createExportDb(
  url: string,
  opts: { size: number; statementTimeoutMs?: number; idleInTransactionMs?: number },
): DbHandle {
  return createDb(url, {
    max: opts.size,
    applicationName: 'lianjian-web-export',
    statementTimeoutMs: opts.statementTimeoutMs ?? EXPORT_STATEMENT_TIMEOUT_MS,
    idleInTransactionMs: opts.idleInTransactionMs ?? EXPORT_IDLE_IN_TRANSACTION_MS,
    connectionTimeoutMs: EXPORT_CONNECTION_TIMEOUT_MS,
  });
}
