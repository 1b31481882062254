import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, users } from '../../db/schema/auth';
import type { UserView } from '../../server/services/users';
import { createServerFixture, type ServerFixture } from '../helpers/web';

/**
 * Security review items 1 and 2, attacked over HTTP (the tRPC handler, bearer tokens) as the
 * assessment did against the demo server: a 330000 (浙江) administrator must not widen any scope,
 * reach users outside the province, or read other regions' audit rows; nobody mints a token for
 * someone else, and every token expires.
 */
let f: ServerFixture;
let zjAdmin: UserView;
let zj: Record<string, string>;
let nationAdmin: UserView;
let nation: Record<string, string>;
let gdAnalyst: UserView;
let hzAnalyst: UserView;

beforeAll(async () => {
  f = await createServerFixture();
  zjAdmin = await f.addUser('admin', 330000, 'zj-admin@example.gov.cn');
  nationAdmin = await f.addUser('admin', null, 'nation-admin@example.gov.cn');
  gdAnalyst = await f.addUser('analyst', 440100, 'gz-analyst@example.gov.cn');
  hzAnalyst = await f.addUser('analyst', 330100, 'hz-analyst@example.gov.cn');
  zj = { authorization: `Bearer ${await f.tokenFor(zjAdmin)}` };
  nation = { authorization: `Bearer ${await f.tokenFor(nationAdmin)}` };
});
afterAll(async () => {
  await f.close();
});

const regionOf = async (id: string) =>
  (await f.db.db.select({ r: users.regionCode }).from(users).where(eq(users.id, id)))[0]?.r;

describe('security 1: a regional administrator stays inside their region', () => {
  it('cannot make themselves nation-wide, nor move themselves to another province', async () => {
    const widen = await f.trpcHttp(
      'mutation',
      'admin.users.updateAccess',
      { userId: zjAdmin.id, regionCode: null },
      zj,
    );
    expect(widen.status).toBe(403);
    const move = await f.trpcHttp(
      'mutation',
      'admin.users.updateAccess',
      { userId: zjAdmin.id, regionCode: 440000 },
      zj,
    );
    expect(move.status).toBe(403);
    expect(await regionOf(zjAdmin.id)).toBe(330000);
  });

  it('may narrow a user inside the province, but not widen one to nation-wide', async () => {
    const narrow = await f.trpcHttp(
      'mutation',
      'admin.users.updateAccess',
      { userId: hzAnalyst.id, regionCode: 330106 },
      zj,
    );
    expect(narrow.status).toBe(200);
    const widen = await f.trpcHttp(
      'mutation',
      'admin.users.updateAccess',
      { userId: hzAnalyst.id, regionCode: null },
      zj,
    );
    expect(widen.status).toBe(403);
    expect(await regionOf(hzAnalyst.id)).toBe(330106);
  });

  it('cannot create a nation-wide user or a user of another province', async () => {
    const base = { password: 'long enough pw', role: 'admin' };
    const nationWide = await f.trpcHttp(
      'mutation',
      'admin.users.create',
      { ...base, email: 'evil1@example.gov.cn', regionCode: null },
      zj,
    );
    expect(nationWide.status).toBe(403);
    const other = await f.trpcHttp(
      'mutation',
      'admin.users.create',
      { ...base, email: 'evil2@example.gov.cn', regionCode: 440000 },
      zj,
    );
    expect(other.status).toBe(403);
    const inside = await f.trpcHttp(
      'mutation',
      'admin.users.create',
      { ...base, email: 'nb@example.gov.cn', regionCode: 330200 },
      zj,
    );
    expect(inside.status).toBe(200);
    const emails = (await f.db.db.select({ e: users.email }).from(users)).map((r) => r.e);
    expect(emails).not.toContain('evil1@example.gov.cn');
    expect(emails).not.toContain('evil2@example.gov.cn');
  });

  it('cannot disable or re-scope users outside the province (answered as not found)', async () => {
    for (const target of [gdAnalyst, nationAdmin]) {
      const dis = await f.trpcHttp(
        'mutation',
        'admin.users.setDisabled',
        { userId: target.id, disabled: true },
        zj,
      );
      expect(dis.status).toBe(404);
      const acc = await f.trpcHttp(
        'mutation',
        'admin.users.updateAccess',
        { userId: target.id, role: 'leadership' },
        zj,
      );
      expect(acc.status).toBe(404);
    }
    const rows = await f.db.db.select().from(users).where(eq(users.id, gdAnalyst.id));
    expect(rows[0]).toMatchObject({ disabled: false, role: 'analyst' });
  });

  it('lists only the users of the province; a nation-wide admin lists all', async () => {
    const list = await f.trpcHttp('query', 'admin.users.list', undefined, zj);
    expect(list.status).toBe(200);
    const emails = (list.body.result?.data.json as { email: string; regionCode: number | null }[]).map(
      (u) => u.email,
    );
    expect(emails).toContain('hz-analyst@example.gov.cn');
    expect(emails).not.toContain('gz-analyst@example.gov.cn');
    expect(emails).not.toContain('nation-admin@example.gov.cn');
    const all = await f.trpcHttp('query', 'admin.users.list', undefined, nation);
    expect((all.body.result?.data.json as unknown[]).length).toBeGreaterThanOrEqual(4);
  });

  it("reads only audit rows of actors inside the province; rows carry the actor's region", async () => {
    // One action by the nation-wide admin, one by a Guangzhou user (a token of their own).
    await f.trpcHttp(
      'mutation',
      'admin.users.setDisabled',
      { userId: gdAnalyst.id, disabled: false },
      nation,
    );
    await f.trpcHttp(
      'mutation',
      'me.tokens.create',
      { name: 'gz' },
      { cookie: (await f.signIn(gdAnalyst.email)).cookie },
    );
    const mine = await f.trpcHttp('query', 'admin.audit.list', {}, zj);
    expect(mine.status).toBe(200);
    const rows = (
      mine.body.result?.data.json as { rows: { actorRegion: number | null; actorLabel: string }[] }
    ).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.actorRegion !== null && Math.floor(r.actorRegion / 10000) === 33)).toBe(true);
    const everything = await f.trpcHttp('query', 'admin.audit.list', {}, nation);
    const labels = (
      everything.body.result?.data.json as { rows: { actorLabel: string; actorRegion: number | null }[] }
    ).rows;
    expect(labels.some((r) => r.actorLabel === 'nation-admin@example.gov.cn' && r.actorRegion === null)).toBe(
      true,
    );
    expect(labels.some((r) => r.actorLabel === 'gz-analyst@example.gov.cn' && r.actorRegion === 440100)).toBe(
      true,
    );
  });

  it('the audit CSV export is scoped the same way', async () => {
    const { createAuditExportHandler } = await import('../../server/http/audit-export');
    const res = await createAuditExportHandler(f.deps)(
      new Request('http://lianjian.test/api/admin/audit-export', { headers: zj }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('nation-admin@example.gov.cn');
    expect(text).not.toContain('gz-analyst@example.gov.cn');
    expect(text).toContain('zj-admin@example.gov.cn');
  });

  it('sees and revokes only the tokens of users inside the province', async () => {
    const gzToken = await f.tokenFor(gdAnalyst, 'gz script');
    const [row] = await f.db.db.select().from(apiTokens).where(eq(apiTokens.userId, gdAnalyst.id));
    const list = await f.trpcHttp('query', 'admin.tokens.list', undefined, zj);
    expect(JSON.stringify(list.body)).not.toContain('gz-analyst@example.gov.cn');
    const revoke = await f.trpcHttp('mutation', 'admin.tokens.revoke', { tokenId: row!.id }, zj);
    expect(revoke.status).toBe(404);
    const me = await f.trpcHttp('query', 'me.get', undefined, { authorization: `Bearer ${gzToken}` });
    expect(me.status).toBe(200);
  });
});

describe('security 2: tokens are minted by their owner and always expire', () => {
  it('an administrator has no way to mint a token for another user', async () => {
    const res = await f.trpcHttp(
      'mutation',
      'admin.tokens.create',
      { userId: nationAdmin.id, name: 'x' },
      nation,
    );
    expect(res.status).toBe(404);
    const before = await f.db.db.select().from(apiTokens).where(eq(apiTokens.userId, hzAnalyst.id));
    // me.tokens.create takes no userId: a foreign id is refused as an unknown field.
    const sneaky = await f.trpcHttp(
      'mutation',
      'me.tokens.create',
      { name: 'x', userId: hzAnalyst.id },
      { cookie: (await f.signIn(nationAdmin.email)).cookie },
    );
    expect(sneaky.status).toBe(400);
    expect(await f.db.db.select().from(apiTokens).where(eq(apiTokens.userId, hzAnalyst.id))).toHaveLength(
      before.length,
    );
  });

  it('a user mints their own token from a session; it expires in 90 days by default, at most a year', async () => {
    const { cookie } = await f.signIn(hzAnalyst.email);
    const made = await f.trpcHttp('mutation', 'me.tokens.create', { name: 'nightly' }, { cookie });
    expect(made.status).toBe(200);
    const out = made.body.result?.data.json as { id: number; token: string };
    const [row] = await f.db.db.select().from(apiTokens).where(eq(apiTokens.id, out.id));
    const days = (row!.expiresAt!.getTime() - row!.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    const tooLong = await f.trpcHttp(
      'mutation',
      'me.tokens.create',
      { name: 'forever', expiresAt: new Date(Date.now() + 366 * 86_400_000).toISOString() },
      { cookie },
    );
    expect(tooLong.status).toBe(400);
    // A token cannot mint tokens (it would renew itself forever).
    const byToken = await f.trpcHttp(
      'mutation',
      'me.tokens.create',
      { name: 'child' },
      { authorization: `Bearer ${out.token}` },
    );
    expect(byToken.status).toBe(403);
    // The token carries its owner's scope, never more.
    const me = await f.trpcHttp('query', 'me.get', undefined, { authorization: `Bearer ${out.token}` });
    expect(me.body.result?.data.json).toMatchObject({
      email: hzAnalyst.email,
      regionCode: hzAnalyst.regionCode === null ? null : 330106,
    });
  });

  it('where the role needs a second factor, minting needs it enrolled', async () => {
    const strict = await createServerFixture({ policy: { adminTotp: 'required' } });
    try {
      const admin = await strict.addUser('admin', null);
      const { cookie } = await strict.signIn(admin.email);
      const res = await strict.trpcHttp('mutation', 'me.tokens.create', { name: 'x' }, { cookie });
      expect(res.status).toBe(403);
      const analyst = await strict.addUser('analyst', 440100);
      const ok = await strict.trpcHttp(
        'mutation',
        'me.tokens.create',
        { name: 'x' },
        { cookie: (await strict.signIn(analyst.email)).cookie },
      );
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
