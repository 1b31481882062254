/**
 * A backfill that starts while its database's schema is still being migrated (openIndexerContext):
 * the first ranges are read from the cursor the database held before, and whatever was read from a
 * cursor that proves to be elsewhere is dropped. Either way every event is indexed exactly once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerContext, openIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { countedAs, createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario } from '../helpers/scenario';

let h: IndexerHarness;
/** The counts of an index of the whole scenario in one plain run: what every path must equal. */
let whole: Record<string, number>;
const extraDbs: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(h.db.url);
  url.pathname = '/postgres';
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A database URL on the same server that does not exist yet. */
function newDatabaseUrl(): string {
  const name = `lianjian_test_${randomBytes(5).toString('hex')}`;
  extraDbs.push(name);
  const url = new URL(h.db.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function countsAt(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of Object.keys(whole)) {
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${countedAs(t)}`);
      out[t] = Number(rows[0]!.n);
    }
    return out;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  h = await createIndexerHarness();
  await basicScenario(h.scenario);
  const ctx = await createIndexerContext(h.env());
  try {
    const s = await syncToHead(ctx);
    expect(s.events).toBe(16);
  } finally {
    await ctx.dbh.close();
  }
  whole = await h.counts();
});
afterAll(async () => {
  await admin(async (c) => {
    for (const name of extraDbs) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  await h.close();
});

describe('a backfill opened before its schema is migrated', () => {
  it('on a database that does not exist yet: created, migrated and indexed, every event once', async () => {
    const url = newDatabaseUrl();
    const opening = await openIndexerContext(h.env({ DATABASE_URL: url }));
    // No schema yet: the read ahead starts at the deployment's first block.
    expect(opening.cursorBefore).toBe(opening.chain.startBlock - 1);
    const s = await syncToHead(opening);
    const ctx = await opening.ready;
    await ctx.dbh.close();
    expect(s.events).toBe(16);
    expect(s.fromBlock).toBe(opening.chain.startBlock);
    expect(await countsAt(url)).toEqual(whole);
  });

  it('on a database indexed halfway: reads on from its cursor and indexes only the rest', async () => {
    const url = newDatabaseUrl();
    const first = await createIndexerContext(h.env({ DATABASE_URL: url }));
    const half = first.startBlock + 3;
    const part = await syncToHead(first, { untilBlock: half });
    await first.dbh.close();
    const opening = await openIndexerContext(h.env({ DATABASE_URL: url }));
    expect(opening.cursorBefore).toBe(half);
    const rest = await syncToHead(opening);
    await (await opening.ready).dbh.close();
    expect(rest.fromBlock).toBe(half + 1);
    expect(part.events + rest.events).toBe(16);
    expect(await countsAt(url)).toEqual(whole);
  });

  it.each([
    ['behind it (another writer moved it on)', (start: number) => start - 1],
    ['ahead of it (a rollback since)', (_start: number, half: number) => half + 2],
  ])('when the cursor read before migrating is %s, what was read ahead is dropped', async (_, wrong) => {
    const url = newDatabaseUrl();
    const first = await createIndexerContext(h.env({ DATABASE_URL: url }));
    const half = first.startBlock + 3;
    const part = await syncToHead(first, { untilBlock: half });
    // As if the cursor had moved between the peek and the schema's readiness: ranges read from the
    // wrong cursor must be neither written twice nor leave a gap.
    const rest = await syncToHead({
      chain: first,
      cursorBefore: wrong(first.startBlock, half),
      ready: Promise.resolve<IndexerContext>(first),
    });
    await first.dbh.close();
    expect(rest.fromBlock).toBe(half + 1);
    expect(part.events + rest.events).toBe(16);
    expect(await countsAt(url)).toEqual(whole);
  });

  it('a schema that cannot be migrated fails the sync with its error, and nothing is left running', async () => {
    // A migration role that does not exist: the chain side opens, the schema never does.
    const bad = new URL(newDatabaseUrl());
    bad.username = 'lianjian_no_such_role';
    const opening = await openIndexerContext(h.env({ DATABASE_MIGRATION_URL: bad.toString() }));
    await expect(syncToHead(opening)).rejects.toThrow(/lianjian_no_such_role/);
    await expect(opening.ready).rejects.toThrow(/lianjian_no_such_role/);
  });
});
