import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';

const BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb extends DbHandle {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file; dropped afterwards. */
export async function createTestDb(baseUrl = BASE_URL): Promise<TestDb> {
  const name = `lianjian_test_${randomBytes(5).toString('hex')}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const handle = createDb(url.toString(), { max: 5, applicationName: 'lianjian-test' });
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** A Redis key prefix of its own, so test queues never meet a running demo's. */
export function testQueuePrefix(): string {
  return `lianjian-test-${randomBytes(4).toString('hex')}`;
}
