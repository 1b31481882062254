import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSankeyOption } from '../../app/_charts/sankey';
import { auditLog } from '../../db/schema/audit';
import { createAuth } from '../../server/auth/better-auth';
import { parseWebEnv } from '../../server/env';
import { createServerFixture, TEST_ORIGIN, TEST_PASSWORD, type ServerFixture } from '../helpers/web';

/** Security review items 6, 7 and 8: markup in chain names, cookie and secret rules, GET side effects. */
let f: ServerFixture;
let bearer: Record<string, string>;
beforeAll(async () => {
  f = await createServerFixture();
  bearer = { authorization: `Bearer ${await f.tokenFor(await f.addUser('analyst', null))}` };
});
afterAll(async () => {
  await f.close();
});

describe('security 6: chain-controlled names are escaped in chart tooltips', () => {
  it('an org name holding markup reaches the tooltip HTML as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const option = buildSankeyOption({
      pairs: [{ source: 'a', target: 'b', records: 10, accesses: 1 }],
      label: (k) => (k === 'a' ? evil : 'ok & "fine"'),
      lang: 'en',
    });
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    const series = (option.series as { links: unknown[]; data: { name: string }[] }[])[0]!;
    const edge = formatter({ dataType: 'edge', data: series.links[0] });
    const node = formatter({ dataType: 'node', name: series.data[0]!.name, value: 10 });
    for (const html of [edge, node]) {
      expect(html).not.toContain('<img');
      expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    }
    expect(edge).toContain('ok &#38; &#34;fine&#34;');
  });
});

describe('security 7: cookies and secrets in production', () => {
  it('refuses the published example secret and the development default in production', () => {
    for (const secret of [
      'CHANGE_ME_TO_32_OR_MORE_RANDOM_CHARACTERS',
      'lianjian-dev-secret-not-for-production-0000',
    ]) {
      expect(() => parseWebEnv({ NODE_ENV: 'production', AUTH_SECRET: secret })).toThrow(/published example/);
    }
    expect(parseWebEnv({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(48) }).AUTH_SECRET).toBe(
      'x'.repeat(48),
    );
  });

  it('in production without BASE_URL the session cookie is Secure; an explicit http origin turns it off', async () => {
    const u = await f.addUser('analyst', 440100);
    const signIn = async (env: { BASE_URL?: string }) => {
      const auth = createAuth({
        db: f.db.db,
        env: { AUTH_SECRET: 'y'.repeat(48), NODE_ENV: 'production', ...env },
        rateLimit: false,
      });
      const res = await auth.handler(
        new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: TEST_ORIGIN },
          body: JSON.stringify({ email: u.email, password: TEST_PASSWORD }),
        }),
      );
      expect(res.status).toBe(200);
      return res.headers.getSetCookie().find((c) => c.includes('session_token')) ?? '';
    };
    expect(await signIn({})).toMatch(/;\s*Secure/i);
    expect(await signIn({ BASE_URL: TEST_ORIGIN })).not.toMatch(/;\s*Secure/i);
  });
});

describe('security 8: no side effects on GET, no 500 on a bad path', () => {
  it('flows.proof is a mutation: a GET (cross-site triggerable) writes no audit row', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { blockNumber: 1, logIndex: 0 } }));
    const res = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/flows.proof?input=${input}`, { headers: bearer }),
    );
    expect(res.status).toBe(405);
    expect(await f.db.db.select().from(auditLog).where(eq(auditLog.action, 'proof.view'))).toHaveLength(0);
    // As a same-origin POST it is the normal path (no access indexed here: 404 after the checks).
    const post = await f.trpcHttp('mutation', 'flows.proof', { blockNumber: 1, logIndex: 0 }, bearer);
    expect(post.status).toBe(404);
  });

  it('a tRPC batch is capped (security 4)', async () => {
    const calls = (n: number) => Array.from({ length: n }, () => 'me.get').join(',');
    const input = (n: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
    const ok = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/${calls(16)}?batch=1&input=${input(16)}`, { headers: bearer }),
    );
    expect(ok.status).toBe(200);
    const big = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/${calls(17)}?batch=1&input=${input(17)}`, { headers: bearer }),
    );
    expect(big.status).toBe(400);
  });

  it('a malformed percent-escape in the tRPC path is a 400', async () => {
    for (const path of ['me.get%E0%A4%A', 'me.get%', '%ZZ']) {
      const res = await f.trpc(new Request(`${TEST_ORIGIN}/api/trpc/${path}`, { headers: bearer }));
      expect(res.status, path).toBe(400);
    }
  });
});
