import 'server-only';
import { createDb, type Db, type DbHandle } from '../db/client';
import { webEnv } from './env';

// One pool per server process. Kept on globalThis so `next dev` hot reloads do not leak pools.
const holder = globalThis as unknown as { __lianjianDb?: DbHandle };

export function getDb(): Db {
  holder.__lianjianDb ??= createDb(webEnv().DATABASE_URL, { max: 10, applicationName: 'lianjian-web' });
  return holder.__lianjianDb.db;
}
