import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '~/db/array-literal';

/* The literal is read by Postgres as the array it stands for: the awkward strings stay strings. */

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe('arrayLiteral in Postgres', () => {
  it('gives back the same strings and numbers', async () => {
    const strings = ['2026-11-01', 'NULL', '', 'a b,{c}', '0xAbC', "it's", '你好'];
    const numbers = [0, -1, 2_147_483_647, 30_000_000_000];
    const { rows } = await client.query<{ s: string[]; n: string[] }>(
      'select $1::varchar[] as s, $2::bigint[] as n',
      [arrayLiteral(strings), arrayLiteral(numbers)],
    );
    expect(rows[0]!.s).toEqual(strings);
    expect(rows[0]!.n).toEqual(numbers.map(String));
  });

  it('gives back nulls as nulls, apart from empty strings and the string NULL', async () => {
    const strings = [null, '', 'NULL', '粤B', null];
    const numbers = [null, 0, null, -5];
    const { rows } = await client.query<{ s: (string | null)[]; n: (number | null)[] }>(
      'select $1::varchar[] as s, $2::int[] as n',
      [arrayLiteral(strings), arrayLiteral(numbers)],
    );
    expect(rows[0]!.s).toEqual(strings);
    expect(rows[0]!.n).toEqual(numbers);
  });

  it('gives back booleans, and nulls beside them', async () => {
    const flags = [true, false, null, true];
    const { rows } = await client.query<{ b: (boolean | null)[] }>('select $1::boolean[] as b', [
      arrayLiteral(flags),
    ]);
    expect(arrayLiteral(flags)).toBe('{t,f,NULL,t}');
    expect(rows[0]!.b).toEqual(flags);
  });
});
