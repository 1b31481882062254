import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, sessions, users } from '../../db/schema/auth';
import { auditLog } from '../../db/schema/audit';
import { createAuth } from '../../server/auth/better-auth';
import { LOCKOUT } from '../../server/auth/lockout';
import { SESSION_IDLE_MS } from '../../server/auth/session-policy';
import {
  cookieHeader,
  createServerFixture,
  TEST_ORIGIN,
  TEST_PASSWORD,
  totpFromUri,
  type ServerFixture,
} from '../helpers/web';

let f: ServerFixture;
beforeAll(async () => {
  f = await createServerFixture();
});
afterAll(async () => {
  await f.close();
});

async function meWith(cookie: string) {
  return (await f.callerFromHeaders(new Headers({ cookie }))).me.get();
}

async function auditActions(email: string) {
  const rows = await f.db.db.select().from(auditLog).where(eq(auditLog.actorLabel, email));
  return rows.map((r) => r.action);
}

describe('auth: password sign-in and sessions', () => {
  it('stores passwords as argon2id with at least 19 MiB and 2 passes', async () => {
    const u = await f.addUser('analyst');
    const [acc] = await f.db.db.select().from(accounts).where(eq(accounts.userId, u.id));
    expect(acc?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs in with the right password: httpOnly SameSite=Lax session cookie, audit row', async () => {
    const u = await f.addUser('regulator', 440100);
    const { res, cookie } = await f.signIn(u.email.toUpperCase());
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.includes('session_token'));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await meWith(cookie);
    expect(me).toMatchObject({ email: u.email, role: 'regulator', regionCode: 440100, via: 'session' });
    expect(await auditActions(u.email)).toContain('auth.sign_in');
  });

  it('refuses a wrong password with 401, audits it, and creates no session', async () => {
    const u = await f.addUser('analyst');
    const { res } = await f.signIn(u.email, 'wrong password!');
    expect(res.status).toBe(401);
    expect(await f.db.db.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(0);
    expect(await auditActions(u.email)).toContain('auth.sign_in_failed');
  });

  it(`locks an address after ${LOCKOUT.maxFailures} failures, even for the right password and from another process`, async () => {
    const u = await f.addUser('analyst');
    for (let i = 0; i < LOCKOUT.maxFailures; i++)
      expect((await f.signIn(u.email, `bad password ${i}`)).res.status).toBe(401);
    const locked = await f.signIn(u.email);
    expect(locked.res.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // A second auth instance on the same database (another server process) sees the lock.
    const other = createAuth({
      db: f.db.db,
      env: { AUTH_SECRET: 'x'.repeat(40), BASE_URL: TEST_ORIGIN },
      rateLimit: false,
    });
    const res = await other.handler(
      new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: TEST_ORIGIN },
        body: JSON.stringify({ email: u.email, password: TEST_PASSWORD }),
      }),
    );
    expect(res.status).toBe(429);
  });

  it('locks unknown addresses too, so a lockout tells nothing about which accounts exist', async () => {
    for (let i = 0; i < LOCKOUT.maxFailures; i++) await f.signIn('nobody@example.gov.cn', `guess ${i} guess`);
    expect((await f.signIn('nobody@example.gov.cn')).res.status).toBe(429);
  });

  it('refuses a forged session cookie', async () => {
    await expect(meWith('better-auth.session_token=forged.value')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('ends a session past its absolute expiry', async () => {
    const u = await f.addUser('analyst');
    const { cookie } = await f.signIn(u.email);
    await f.db.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, u.id));
    await expect(meWith(cookie)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends an idle session and deletes it', async () => {
    const u = await f.addUser('analyst');
    const { cookie } = await f.signIn(u.email);
    expect((await meWith(cookie)).email).toBe(u.email);
    await f.db.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 1000) })
      .where(eq(sessions.userId, u.id));
    await expect(meWith(cookie)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await f.db.db.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(0);
  });

  it('disabling a user ends their session at once and blocks sign-in like a wrong password', async () => {
    const admin = await f.addUser('admin');
    const u = await f.addUser('analyst');
    const { cookie } = await f.signIn(u.email);
    await f.callerFor(admin).admin.users.setDisabled({ userId: u.id, disabled: true });
    await expect(meWith(cookie)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const again = await f.signIn(u.email);
    expect(again.res.status).toBe(401);
  });

  it('changing a role ends existing sessions so the new rights apply', async () => {
    const admin = await f.addUser('admin');
    const u = await f.addUser('analyst');
    const { cookie } = await f.signIn(u.email);
    await f.callerFor(admin).admin.users.updateAccess({ userId: u.id, role: 'leadership' });
    await expect(meWith(cookie)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses cross-origin sign-in posts (better-auth origin check)', async () => {
    const u = await f.addUser('analyst');
    const res = await f.auth.handler(
      new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: 'a=b' },
        body: JSON.stringify({ email: u.email, password: TEST_PASSWORD }),
      }),
    );
    expect(res.status).toBe(403);
  });
});

describe('auth: TOTP second factor', () => {
  it('enrols, then requires the code at sign-in; admin actions need it when ADMIN_TOTP=required', async () => {
    const strict = await createServerFixture({ policy: { adminTotp: 'required' } });
    try {
      const admin = await strict.addUser('admin');
      let { cookie } = await strict.signIn(admin.email);
      // Signed in, but admin actions wait for the second factor.
      const before = await strict.callerFromHeaders(new Headers({ cookie }));
      expect((await before.me.get()).secondFactorRequired).toBe(true);
      await expect(before.admin.users.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });

      const enable = await strict.authPost('/two-factor/enable', { password: TEST_PASSWORD }, cookie);
      expect(enable.status).toBe(200);
      cookie = cookieHeader(enable, cookie);
      const { totpURI } = (await enable.json()) as { totpURI: string };
      const verify = await strict.authPost('/two-factor/verify-totp', { code: totpFromUri(totpURI) }, cookie);
      expect(verify.status).toBe(200);
      cookie = cookieHeader(verify, cookie);
      const [row] = await strict.db.db.select().from(users).where(eq(users.id, admin.id));
      expect(row?.twoFactorEnabled).toBe(true);
      expect(
        await (await strict.callerFromHeaders(new Headers({ cookie }))).admin.users.list(),
      ).not.toHaveLength(0);

      // A fresh sign-in now stops after the password: no session until the code.
      const first = await strict.signIn(admin.email);
      expect(first.body).toMatchObject({ twoFactorRedirect: true });
      await expect(
        (await strict.callerFromHeaders(new Headers({ cookie: first.cookie }))).me.get(),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      const bad = await strict.authPost('/two-factor/verify-totp', { code: '000000' }, first.cookie);
      expect(bad.status).toBe(401);
      const good = await strict.authPost(
        '/two-factor/verify-totp',
        { code: totpFromUri(totpURI) },
        first.cookie,
      );
      expect(good.status).toBe(200);
      const signedIn = cookieHeader(good, first.cookie);
      expect((await (await strict.callerFromHeaders(new Headers({ cookie: signedIn }))).me.get()).email).toBe(
        admin.email,
      );
      const actions = (
        await strict.db.db.select().from(auditLog).where(eq(auditLog.actorLabel, admin.email))
      ).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(['auth.sign_in', 'auth.password_ok', 'auth.second_factor_ok']),
      );
    } finally {
      await strict.close();
    }
  });
});
