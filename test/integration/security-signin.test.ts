import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { clientIp } from '../../server/auth/ip';
import { createServerFixture, TEST_ORIGIN, TEST_PASSWORD, type ServerFixture } from '../helpers/web';

/** Security review item 3: sign-in brute force, attacked over HTTP (better-auth's handler). */
let f: ServerFixture;
let limited: ServerFixture;
beforeAll(async () => {
  f = await createServerFixture();
  limited = await createServerFixture({ rateLimit: true });
});
afterAll(async () => {
  await f.close();
  await limited.close();
});

function signIn(fx: ServerFixture, email: string, password: string, xff: string) {
  return fx.auth.handler(
    new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, 'x-forwarded-for': xff },
      body: JSON.stringify({ email, password }),
    }),
  );
}

describe('security 3: sign-in brute force', () => {
  it('30 parallel wrong passwords, each with its own X-Forwarded-For: at most 5 are evaluated, then locked', async () => {
    const u = await f.addUser('analyst', 440100);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(f, u.email, `wrong password ${i}`, `203.0.113.${i + 1}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    const evaluated = await f.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'auth.sign_in_failed'),
          eq(auditLog.actorLabel, u.email),
          sql`${auditLog.details}->>'reason' <> 'locked'`,
        ),
      );
    expect(evaluated[0]!.n).toBeLessThanOrEqual(5);
    // Locked now, even with the right password.
    expect((await signIn(f, u.email, TEST_PASSWORD, '198.51.100.7')).status).toBe(429);
  });

  it('one limiter per address: a forged left-hand X-Forwarded-For does not buy new attempts', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      // The client writes its own first hop; the last hop is what the proxy (or Next.js) saw.
      const res = await signIn(
        limited,
        `nobody${i}@example.gov.cn`,
        'wrong password',
        `10.9.${i}.1, 192.0.2.50`,
      );
      answers.push(res.status);
    }
    expect(answers.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(answers.slice(10)).toEqual([429, 429]);
    // Another real address is not affected.
    expect((await signIn(limited, 'nobody@example.gov.cn', 'wrong password', '192.0.2.51')).status).toBe(401);
  });

  it('the address is the last hop unless the hops to its right are trusted proxies', () => {
    const h = new Headers({ 'x-forwarded-for': '6.6.6.6, 192.0.2.9, 10.0.0.2' });
    expect(clientIp(h, [])).toBe('10.0.0.2');
    expect(clientIp(h, ['10.0.0.2'])).toBe('192.0.2.9');
    expect(clientIp(new Headers({ 'x-real-ip': '192.0.2.1' }), [])).toBe('192.0.2.1');
  });
});
