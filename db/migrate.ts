import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { buildDeferredIndexesOn } from './deferred-indexes';

/**
 * Beside this file when run from source (db/migrate.ts); from the compiled bundle (dist/, see
 * `npm run build:cli`) the migrations stay where they are: db/migrations of the checkout the
 * bundle sits in, found by walking up.
 */
function findMigrations(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'migrations');
  if (existsSync(join(beside, 'meta', '_journal.json'))) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'db', 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(dir) === dir) return beside;
  }
}
const migrationsFolder = findMigrations();

/** Creates the database when missing (the server's `postgres` database must be reachable). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  } catch (e) {
    // Two processes may race to create it; the loser finds it there.
    if ((e as { code?: string }).code !== '42P04') throw e;
  } finally {
    await client.end();
  }
}

/** Brings the schema up to date. Serialised by an advisory lock so concurrent starters are safe. */
export async function migrateDatabase(url: string): Promise<void> {
  let client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    // Only a missing database is created (one more connection, to the server's `postgres`);
    // every other start-up goes straight to the schema.
    if ((e as { code?: string }).code !== '3D000') throw e;
    await ensureDatabase(url);
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }
  try {
    await client.query('select pg_advisory_lock(727274001)');
    await client.query('set client_min_messages = warning');
    await applyPending(client);
  } finally {
    await client.query('select pg_advisory_unlock(727274001)').catch(() => {});
    await client.end();
  }
}

/**
 * drizzle's migrator, in one round trip: the migrations not yet applied (by the same journal, the
 * same `drizzle.__drizzle_migrations` bookkeeping and the same all-or-nothing transaction) go to
 * the server as one multi-statement query instead of one query per statement. A fresh database
 * takes ≈ 300 statements; sent one by one, each waited for a turn of the event loop, which the
 * indexer's read-ahead keeps busy decoding meanwhile (a 0.9-s schema took 2.9 s).
 */
async function applyPending(client: pg.Client): Promise<void> {
  await client.query('CREATE SCHEMA IF NOT EXISTS drizzle');
  await client.query(
    'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
  );
  const { rows } = await client.query<{ created_at: string }>(
    'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
  );
  const last = rows[0] ? Number(rows[0].created_at) : null;
  const pending = readMigrationFiles({ migrationsFolder }).filter(
    (m) => last === null || last < m.folderMillis,
  );
  if (pending.length === 0) return;
  // A migration is written against the whole schema: indexes a stopped backfill deferred are
  // built before it runs (db/deferred-indexes.ts).
  await buildDeferredIndexesOn(client);
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  // Each statement on lines of its own: one ending in a comment must not swallow the separator.
  const body = pending.flatMap((m) => [
    ...m.sql,
    `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${quote(m.hash)}, ${m.folderMillis})`,
  ]);
  try {
    await client.query(['BEGIN', ...body, 'COMMIT'].join('\n;\n'));
  } catch (e) {
    // A failed statement leaves the transaction open and aborted: nothing of it is kept.
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
