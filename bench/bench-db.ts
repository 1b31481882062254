import pg from 'pg';
import { pathToFileURL } from 'node:url';

/** The maintenance database benches create and drop their own databases from. */
export const ADMIN_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * An empty database for one indexer run, made before the indexer's process starts: Lianjian and
 * Ponder are both timed from spawn to exit on a database that exists and holds nothing (Ponder
 * cannot create its own), so neither pays CREATE DATABASE inside its figure.
 *
 * Then a checkpoint, so neither pays for the run before it either: Ponder's 1M run leaves ≈ 1 GB of
 * WAL and dirty pages behind, and the sparse run that followed it wrote them back during its own
 * time (7.1 s in the bench against 4.5–5.2 s by hand on the same build, 2026-12-03).
 */
export async function createBenchDatabase(name: string, adminUrl: string = ADMIN_DB): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query('CHECKPOINT');
  } finally {
    await admin.end();
  }
}

/** Drops a bench's database, whoever is still connected to it. */
export async function dropBenchDatabase(name: string, adminUrl: string = ADMIN_DB): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Runs a bench when its file is the program (`tsx bench/x.ts [--quick]`), printing its figures. */
export function runWhenMain(
  moduleUrl: string,
  name: string,
  run: (o: { quick: boolean }) => Promise<object>,
): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  run({ quick: process.argv.includes('--quick') }).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 1)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench ${name}: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
