import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserCommand } from '../../cli/commands/create-user';
import { loadWorkerEnv } from '../../workers/env';
import type { TestDb } from '../helpers/db';
import { ORGS, seededTestDb } from './supervision-seed';

/**
 * Issue 21 walk: a department user made with `create-user --role department --org ADDRESS` and no
 * --region had no region, and its pages read 全国 / Nation-wide beside its organisation's name.
 */
let db: TestDb;

beforeAll(async () => {
  db = await seededTestDb();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const run = (values: Record<string, string>) =>
  createUserCommand.run({
    env: loadWorkerEnv({ DATABASE_URL: db.url }),
    values: { password: 'correct horse battery', ...values },
    positionals: [],
  });

describe('create-user', () => {
  it("gives a department user without --region its organisation's region", async () => {
    expect(
      await run({
        email: 'tax@example.gov.cn',
        role: 'department',
        org: ORGS.gzTax.address.toUpperCase().replace('0X', '0x'),
      }),
    ).toMatchObject({ email: 'tax@example.gov.cn', role: 'department', regionCode: 440100 });
  });

  it('keeps an explicit --region, and no region for an organisation the chain has not registered', async () => {
    expect(
      await run({
        email: 'hz@example.gov.cn',
        role: 'department',
        org: ORGS.hzHealth.address,
        region: '330000',
      }),
    ).toMatchObject({ regionCode: 330000 });
    expect(
      await run({ email: 'new@example.gov.cn', role: 'department', org: `0x${'ee'.repeat(20)}` }),
    ).toMatchObject({ regionCode: null });
    expect(await run({ email: 'lead@example.gov.cn', role: 'leadership' })).toMatchObject({
      regionCode: null,
    });
  });
});
