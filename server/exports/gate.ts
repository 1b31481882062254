import { jsonError } from '../http/limits';

export interface ExportLimits {
  /** Concurrent exports and downloads one user may run (`EXPORTS_PER_USER`). */
  perUser: number;
  /** Concurrent exports of the whole process: the export pool's size (`EXPORT_POOL_SIZE`). */
  total: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; response: Response };

export interface ExportGate {
  /** A slot for `userId`'s export, or the 429/503 answer to return instead. */
  admit(userId: string): Admission;
  /** Exports running now (for one user, or all). */
  running(userId?: string): number;
  readonly limits: ExportLimits;
}

/** Seconds a refused client is told to wait: a typical export of a filtered month takes seconds. */
const RETRY_AFTER_S = 30;

/**
 * Counts running exports per user and in all, in this process. Each web process has its own
 * gate and its own export pool, so the totals hold per process; the per-user cap multiplies by
 * the number of web processes (docs/security.md).
 *
 * Beyond the per-user cap the answer is 429 (the user's own doing); beyond the total, 503 (the
 * server is busy with others' exports). Both are answered at once, never queued: a queued request
 * would hold a socket and memory for as long as the slowest export ahead of it.
 */
export function createExportGate(limits: ExportLimits): ExportGate {
  const byUser = new Map<string, number>();
  let total = 0;
  return {
    limits,
    admit(userId) {
      const mine = byUser.get(userId) ?? 0;
      if (mine >= limits.perUser) {
        return refuse(
          429,
          'TOO_MANY_EXPORTS',
          `at most ${limits.perUser} exports or downloads may run at once per user; ` +
            'wait for one to finish, then try again',
        );
      }
      if (total >= limits.total) {
        return refuse(
          503,
          'EXPORTS_BUSY',
          `all ${limits.total} export slots of this server are in use; try again in ${RETRY_AFTER_S} seconds`,
        );
      }
      byUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total -= 1;
          const left = (byUser.get(userId) ?? 1) - 1;
          if (left === 0) byUser.delete(userId);
          else byUser.set(userId, left);
        },
      };
    },
    running(userId) {
      return userId === undefined ? total : (byUser.get(userId) ?? 0);
    },
  };
}

function refuse(status: number, code: string, message: string): Admission {
  const response = jsonError(status, code, message);
  response.headers.set('retry-after', String(RETRY_AFTER_S));
  return { ok: false, response };
}

/**
 * What every export and download handler takes besides authentication: the export pool (pool.ts),
 * the gate, and the stall limit. Absent pool = the main pool, absent gate = no cap (CLI, tests
 * of the format); the web runtime and the server fixture always pass both.
 */
export interface ExportDeps {
  exportDb?: import('../../db/client').Db;
  exportGate?: ExportGate;
  /** EXPORT_STALL_MS unless a test shortens it. */
  exportStallMs?: number;
}

const OPEN: Admission = { ok: true, release: () => undefined };

/** The gate's answer for `userId`, or an open admission when no gate is configured. */
export function admitExport(deps: ExportDeps, userId: string): Admission {
  return deps.exportGate ? deps.exportGate.admit(userId) : OPEN;
}
