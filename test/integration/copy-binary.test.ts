import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '~/chain/simulate/prng';
import { BinaryCopyRows } from '~/workers/indexer/copy-binary';
import { copyChunks } from '~/workers/indexer/copy';
import { createTestDb, type TestDb } from '../helpers/db';

/*
 * Rows built by BinaryCopyRows read back from Postgres exactly as given: every type the raw
 * events and accesses use (int2, int4, int8 from a JS number, timestamptz from unix seconds, varchar, json),
 * NULLs, text of any script with the characters CSV would have had to quote, and values longer
 * than a buffer. Seeded: the seed is printed and replays with COPY_SEED.
 */
const seed = process.env.COPY_SEED ?? randomUUID();
console.log(`binary COPY seed: ${seed} (replay: COPY_SEED=${seed})`);

interface Row {
  small: number;
  int: number;
  big: number;
  at: number;
  name: string | null;
  doc: string;
}

const ALPHABET = ['a', '0', ',', '"', '\n', '\r', '\\', '\t', '链', '监', '😀', 'é', ' '];

function randomText(rng: ReturnType<typeof createRng>, long: boolean): string {
  const len = long ? 300_000 : rng.int(0, 60);
  let s = '';
  for (let k = 0; k < len; k++) s += ALPHABET[rng.int(0, ALPHABET.length - 1)];
  return s;
}

function randomRows(n: number): Row[] {
  const rng = createRng(`${seed}/rows`);
  return Array.from({ length: n }, (_, i) => ({
    small: i === 0 ? -32_768 : i === 1 ? 32_767 : rng.int(-32_768, 32_767),
    int: rng.int(-2_147_483_648, 2_147_483_647),
    // Block numbers and the like: whole numbers up to 2^53, negatives too (the halves' sign).
    big:
      i === 0 ? Number.MAX_SAFE_INTEGER : i === 1 ? -Number.MAX_SAFE_INTEGER : rng.int(-(2 ** 40), 2 ** 52),
    // Before and after 2000-01-01 (binary zero) and the unix epoch, whole seconds.
    at: i === 0 ? 0 : i === 1 ? 946_684_800 : rng.int(-1_000_000_000, 4_000_000_000),
    // Every 397th a text longer than a buffer, never NULL: the rows span several buffers whatever
    // the seed (seed dc730849… drew NULL for three of the six and filled only three).
    name: i % 397 === 5 ? randomText(rng, true) : rng.int(0, 9) === 0 ? null : randomText(rng, false),
    doc: JSON.stringify({ i, s: randomText(rng, false) }),
  }));
}

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

describe(`binary COPY rows (seed ${seed})`, () => {
  it('reads back exactly what was written, across buffers', async () => {
    const rows = randomRows(2_000);
    const b = new BinaryCopyRows();
    for (const r of rows)
      b.row(6).int2(r.small).int4(r.int).int8(r.big).timestamptz(r.at).text(r.name).text(r.doc);
    const chunks = b.finish();
    expect(chunks.length).toBeGreaterThan(3);

    const client = await db.pool.connect();
    try {
      await client.query(
        `CREATE TEMP TABLE copied (n serial, small smallint, int integer, big bigint, at timestamptz,
                                   name varchar(400000), doc json)`,
      );
      await copyChunks(client, 'copied', ['small', 'int', 'big', 'at', 'name', 'doc'], chunks);
      const back = await client.query<{
        small: number;
        int: number;
        big: string;
        at: string;
        name: string | null;
        doc: string;
      }>(
        `SELECT small, int, big::text AS big, extract(epoch FROM at)::bigint::text AS at, name, doc::text AS doc
         FROM copied ORDER BY n`,
      );
      expect(back.rows.length).toBe(rows.length);
      back.rows.forEach((got, i) => {
        const want = rows[i]!;
        expect({ ...got, big: Number(got.big), at: Number(got.at) }).toEqual(want);
      });
    } finally {
      client.release();
    }
  });

  it('refuses a value that is not a whole number for an integer column, as COPY of CSV did', () => {
    const b = new BinaryCopyRows();
    expect(() => b.row(1).int4(undefined as unknown as number)).toThrow(
      'binary COPY: undefined is not a whole number',
    );
    expect(() => b.row(1).int2(Number.NaN)).toThrow('binary COPY: NaN is not a whole number');
    expect(() => b.row(1).int8(1.5)).toThrow('binary COPY: 1.5 is not a whole number');
  });

  it('hashes and addresses go as their characters, NULL as NULL', async () => {
    const rng = createRng(`${seed}/hex`);
    const values = [
      ...Array.from({ length: 500 }, () => rng.hex32()),
      ...Array.from({ length: 500 }, () => rng.hex32().slice(0, 42) as `0x${string}`),
      null,
    ];
    const b = new BinaryCopyRows();
    for (const v of values) b.row(1).hex(v);
    const client = await db.pool.connect();
    try {
      await client.query('CREATE TEMP TABLE hexes (n serial, h varchar(66))');
      await copyChunks(client, 'hexes', ['h'], b.finish());
      const back = await client.query<{ h: string | null }>('SELECT h FROM hexes ORDER BY n');
      expect(back.rows.map((r) => r.h)).toEqual(values);
    } finally {
      client.release();
    }
  });

  it('gives no buffer for no rows', () => {
    expect(new BinaryCopyRows().finish()).toEqual([]);
  });
});
