import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

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
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(727274001)').catch(() => {});
    await client.end();
  }
}
