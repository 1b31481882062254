import 'server-only';
import { createDb, type Db, type DbHandle } from '../db/client';
import { webEnv } from './env';
import { createExportDb } from './exports/pool';
import { log } from './logger';
import { getRedis } from './redis';
import { shareRollupCache } from './services/rollup-cache';

// One pool per server process. Kept on globalThis so `next dev` hot reloads do not leak pools.
const holder = globalThis as unknown as {
  __lianjianDb?: DbHandle;
  __lianjianReadDb?: DbHandle;
  __lianjianExportDb?: DbHandle;
};

export function getDb(): Db {
  if (!holder.__lianjianDb) {
    holder.__lianjianDb = createDb(webEnv().DATABASE_URL, {
      max: 10,
      applicationName: 'lianjian-web',
      jit: false,
    });
    shareAnswers(holder.__lianjianDb.db);
  }
  return holder.__lianjianDb.db;
}

/** Rollup answers read through `db` are shared with the other web processes through Redis. */
function shareAnswers(db: Db): void {
  shareRollupCache(db, {
    redis: getRedis(),
    prefix: webEnv().CACHE_PREFIX,
    warn: (message, err) => log().warn({ err: err instanceof Error ? err.message : String(err) }, message),
  });
}

/**
 * Where dashboard and report reads go: the streaming replica of `DATABASE_READ_URL`, else the
 * primary. Writes, auth, triage and audit always use getDb(), and so do the reads that show a user
 * what they just changed (incidents, admin): a replica's lag must never hide one's own change.
 */
export function getReadDb(): Db {
  const url = webEnv().DATABASE_READ_URL;
  if (!url) return getDb();
  if (!holder.__lianjianReadDb) {
    holder.__lianjianReadDb = createDb(url, { max: 10, applicationName: 'lianjian-web-read', jit: false });
    shareAnswers(holder.__lianjianReadDb.db);
  }
  return holder.__lianjianReadDb.db;
}

/** True when reads go to a replica of their own (for the health figures). */
export function hasReadReplica(): boolean {
  return webEnv().DATABASE_READ_URL !== undefined;
}

/**
 * Exports and downloads: a pool of their own on the primary (server/exports/pool.ts), with
 * statement and idle-in-transaction timeouts, so slow exports never take sign-in's connections.
 */
export function getExportDb(): Db {
  holder.__lianjianExportDb ??= createExportDb(webEnv().DATABASE_URL, { size: webEnv().EXPORT_POOL_SIZE });
  return holder.__lianjianExportDb.db;
}
