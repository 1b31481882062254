import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../db/schema/auth';
import { hashApiToken } from '../../server/auth/tokens';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';

let f: ServerFixture;
beforeAll(async () => {
  f = await createServerFixture();
});
afterAll(async () => {
  await f.close();
});

/** GET me.get through the real tRPC HTTP handler with an Authorization header. */
async function meByBearer(authorization: string) {
  const res = await f.trpc(new Request(`${TEST_ORIGIN}/api/trpc/me.get`, { headers: { authorization } }));
  return {
    status: res.status,
    body: (await res.json()) as { result?: { data: { json: { email: string; via: string } } } },
  };
}

describe('auth: API tokens', () => {
  it('creates a token shown once, stores only its sha256, and accepts it as Bearer', async () => {
    const admin = await f.addUser('admin');
    const analyst = await f.addUser('analyst', 440000);
    const created = await f.callerFor(analyst).me.tokens.create({ name: 'nightly export' });
    expect(created.token).toMatch(/^lj_[A-Za-z0-9_-]{43}$/);
    const [row] = await f.db.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row?.tokenHash).toBe(hashApiToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const listed = await f.callerFor(admin).admin.tokens.list();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.find((t) => t.id === created.id)?.prefix).toBe(created.token.slice(0, 11));

    const me = await meByBearer(`Bearer ${created.token}`);
    expect(me.status).toBe(200);
    expect(me.body.result?.data.json).toMatchObject({ email: analyst.email, via: 'token' });
  });

  it('refuses a revoked token at once', async () => {
    const admin = await f.addUser('admin');
    const u = await f.addUser('analyst');
    const { id, token } = await f.callerFor(u).me.tokens.create({ name: 'soon revoked' });
    expect((await meByBearer(`Bearer ${token}`)).status).toBe(200);
    await f.callerFor(admin).admin.tokens.revoke({ tokenId: id });
    expect((await meByBearer(`Bearer ${token}`)).status).toBe(401);
    await expect(f.callerFor(admin).admin.tokens.revoke({ tokenId: id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses expired, forged and malformed tokens with 401', async () => {
    const u = await f.addUser('analyst');
    const { id, token } = await f.callerFor(u).me.tokens.create({ name: 'short lived' });
    await f.db.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, id));
    expect((await meByBearer(`Bearer ${token}`)).status).toBe(401);
    const forged = `lj_${'A'.repeat(43)}`;
    expect((await meByBearer(`Bearer ${forged}`)).status).toBe(401);
    expect((await meByBearer(`Bearer ' OR '1'='1`)).status).toBe(401);
    expect((await meByBearer('Basic dXNlcjpwYXNz')).status).toBe(401);
  });

  it("a disabled user's tokens stop working", async () => {
    const admin = await f.addUser('admin');
    const u = await f.addUser('regulator', 440100);
    const token = await f.tokenFor(u, 'x');
    await f.callerFor(admin).admin.users.setDisabled({ userId: u.id, disabled: true });
    expect((await meByBearer(`Bearer ${token}`)).status).toBe(401);
  });

  it('token creation and revocation are in the audit log', async () => {
    const admin = await f.addUser('admin');
    const u = await f.addUser('analyst');
    const { id } = await f.callerFor(u).me.tokens.create({ name: 'audited' });
    await f.callerFor(admin).admin.tokens.revoke({ tokenId: id });
    const { rows } = await f.callerFor(admin).admin.audit.list({ target: `token:${id}` });
    expect(rows.map((r) => r.action).sort()).toEqual(['token.create', 'token.revoke']);
    expect(rows.map((r) => `${r.action} ${r.actorLabel}`).sort()).toEqual([
      `token.create ${u.email}`,
      `token.revoke ${admin.email}`,
    ]);
  });
});
