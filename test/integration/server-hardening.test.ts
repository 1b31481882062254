import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/auth';
import { auditLog } from '../../db/schema/audit';
import { indexerHealth } from '../../db/schema/chain';
import { writeAudit } from '../../server/audit';
import { csvCell } from '../../server/csv';
import { checkHealth } from '../../server/health/check';
import { createAuditExportHandler } from '../../server/http/audit-export';
import { healthResponse } from '../../server/http/health-response';
import { TRPC_BODY_LIMIT } from '../../server/http/limits';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';

let f: ServerFixture;
let adminToken: string;
beforeAll(async () => {
  f = await createServerFixture();
  const admin = await f.addUser('admin');
  adminToken = await f.tokenFor(admin);
});
afterAll(async () => {
  await f.close();
});

const userCount = async () => (await f.db.db.select({ n: count() }).from(users))[0]!.n;

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return f.trpc(
    new Request(`${TEST_ORIGIN}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...headers },
      body,
    }),
  );
}

describe('server: bad input gets a clear error and changes nothing', () => {
  it('a malformed batch request is a 400, not a 500', async () => {
    const res = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/admin.audit.list,scopeProbe.orgs?batch=1&input=%7Bnot-json`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }),
    );
    expect(res.status).toBe(400);
    const bad = await post('admin.users.create?batch=1', '{"0": {"json": ');
    expect(bad.status).toBe(400);
  });

  it('a body over the limit is refused with 413 before parsing', async () => {
    const before = await userCount();
    const huge = JSON.stringify({
      json: {
        email: 'big@example.gov.cn',
        password: 'x'.repeat(TRPC_BODY_LIMIT),
        role: 'analyst',
        regionCode: null,
      },
    });
    const res = await post('admin.users.create', huge);
    expect(res.status).toBe(413);
    expect(await userCount()).toBe(before);
  });

  it('unknown fields are refused with field detail', async () => {
    const before = await userCount();
    const res = await post(
      'admin.users.create',
      JSON.stringify({
        json: {
          email: 'x@example.gov.cn',
          password: 'long enough pw',
          role: 'analyst',
          regionCode: null,
          isSuperuser: true,
        },
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { data: { zodError: { formErrors: string[] } } } } };
    expect(JSON.stringify(body.error.json.data.zodError)).toContain('isSuperuser');
    expect(await userCount()).toBe(before);
  });

  it('invalid fields name the field', async () => {
    const res = await post(
      'admin.users.create',
      JSON.stringify({ json: { email: 'not-an-email', password: 'short', role: 'god', regionCode: 12 } }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { json: { data: { zodError: { fieldErrors: Record<string, string[]> } } } };
    };
    expect(Object.keys(body.error.json.data.zodError.fieldErrors).sort()).toEqual([
      'email',
      'password',
      'regionCode',
      'role',
    ]);
  });

  it('SQL injection strings are data, not SQL', async () => {
    const admin = f.callerFor(await f.addUser('admin'));
    const before = await userCount();
    await expect(
      admin.admin.users.create({
        email: "a'; drop table users; --@x.cn",
        password: 'long enough pw',
        role: 'analyst',
        regionCode: null,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const created = await admin.admin.users.create({
      email: 'robert@example.gov.cn',
      name: "Robert'); DROP TABLE users;--",
      password: 'long enough pw',
      role: 'analyst',
      regionCode: null,
    });
    expect(created.name).toBe("Robert'); DROP TABLE users;--");
    expect(await userCount()).toBe(before + 1);
    const { rows } = await admin.admin.audit.list({ actor: "%' OR 1=1 --" });
    expect(rows).toHaveLength(0);
    const wildcard = await admin.admin.audit.list({ actor: '%' });
    expect(wildcard.rows).toHaveLength(0); // % is matched literally, not as a wildcard
  });

  it('cookie-authenticated mutations from another origin are refused (CSRF)', async () => {
    const u = await f.addUser('admin');
    const { cookie } = await f.signIn(u.email);
    const body = JSON.stringify({ json: { userId: u.id, disabled: true } });
    const headers = { 'content-type': 'application/json', cookie };
    const evil = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/admin.users.setDisabled`, {
        method: 'POST',
        headers: { ...headers, origin: 'https://evil.example' },
        body,
      }),
    );
    expect(evil.status).toBe(403);
    const none = await f.trpc(
      new Request(`${TEST_ORIGIN}/api/trpc/admin.users.setDisabled`, { method: 'POST', headers, body }),
    );
    expect(none.status).toBe(403);
    const [row] = await f.db.db.select().from(users).where(eq(users.id, u.id));
    expect(row?.disabled).toBe(false);
  });
});

describe('server: audit log', () => {
  it('refuses UPDATE and DELETE (append-only trigger)', async () => {
    await writeAudit(f.db.db, { actor: { id: null, label: 'test' }, action: 'test.append' });
    // drizzle wraps the driver error; the trigger's message is on its cause.
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'allowed',
        (e: { cause?: Error }) => e.cause?.message ?? '',
      );
    expect(await refusal(f.db.db.execute(sql`update audit_log set action = 'x'`))).toMatch(
      /append-only: UPDATE/,
    );
    expect(await refusal(f.db.db.execute(sql`delete from audit_log`))).toMatch(/append-only: DELETE/);
    expect(await refusal(f.db.db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE/);
    expect((await f.db.db.select({ n: count() }).from(auditLog))[0]!.n).toBeGreaterThan(0);
  });

  it('an audit row written in a failed transaction is rolled back with it', async () => {
    await expect(
      f.db.db.transaction(async (tx) => {
        await writeAudit(tx, { actor: { id: null, label: 'test' }, action: 'test.rolled_back' });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const rows = await f.db.db.select().from(auditLog).where(eq(auditLog.action, 'test.rolled_back'));
    expect(rows).toHaveLength(0);
  });

  it('CSV export: BOM, formula injection neutralised, export itself audited', async () => {
    await writeAudit(f.db.db, {
      actor: { id: null, label: '=HYPERLINK("http://evil")' },
      action: 'test.formula',
      target: '+1-2',
    });
    const handler = createAuditExportHandler(f.deps);
    const res = await handler(
      new Request(`${TEST_ORIGIN}/api/admin/audit-export?action=test.formula`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }),
    );
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`'+1-2`);
    const exported = await f.db.db.select().from(auditLog).where(eq(auditLog.action, 'audit.export'));
    expect(exported.length).toBeGreaterThan(0);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1')).toBe("'-1");
  });

  it('CSV export refuses bad filters with 400 and other roles with 403', async () => {
    const handler = createAuditExportHandler(f.deps);
    const bad = await handler(
      new Request(`${TEST_ORIGIN}/api/admin/audit-export?from=yesterday`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }),
    );
    expect(bad.status).toBe(400);
    const analyst = await f.addUser('analyst');
    const token = await f.tokenFor(analyst, 'a');
    const refused = await handler(
      new Request(`${TEST_ORIGIN}/api/admin/audit-export`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(refused.status).toBe(403);
    const anon = await handler(new Request(`${TEST_ORIGIN}/api/admin/audit-export`));
    expect(anon.status).toBe(401);
  });
});

describe('server: /api/health', () => {
  const ok = () => Promise.resolve('PONG');
  const now = new Date('2026-09-01T00:00:00Z');

  it('is down (503) without a health row', async () => {
    const report = await checkHealth({ db: f.db.db, pingRedis: ok, now });
    expect(report.status).toBe('down');
    expect(healthResponse(report).status).toBe(503);
  });

  it('is ok, degraded on lag / redis / stale rpc, with the exact shape', async () => {
    await f.db.db.insert(indexerHealth).values({
      chainId: 31337,
      headBlock: 130,
      indexedBlock: 128,
      lagBlocks: 2,
      lagSeconds: 1.5,
      rpcLastOkAt: new Date(now.getTime() - 5000),
      updatedAt: now,
    });
    const report = await checkHealth({ db: f.db.db, pingRedis: ok, now });
    expect(report).toEqual({
      status: 'ok',
      chainId: 31337,
      chainHead: 130,
      indexedBlock: 128,
      lagBlocks: 2,
      lagSeconds: 1.5,
      checks: { database: 'ok', redis: 'ok', rpc: 'ok' },
      stall: null,
    });
    expect(healthResponse(report).status).toBe(200);

    const noRedis = await checkHealth({
      db: f.db.db,
      pingRedis: () => Promise.reject(new Error('ECONNREFUSED')),
      now,
    });
    expect(noRedis).toMatchObject({ status: 'degraded', checks: { redis: 'down' } });
    const hung = await checkHealth({ db: f.db.db, pingRedis: () => new Promise(() => {}), now });
    expect(hung.status).toBe('degraded');

    const later = new Date(now.getTime() + 120_000);
    expect(await checkHealth({ db: f.db.db, pingRedis: ok, now: later })).toMatchObject({
      status: 'degraded',
      checks: { rpc: 'down' },
    });

    await f.db.db.update(indexerHealth).set({ lagBlocks: 51 }).where(eq(indexerHealth.chainId, 31337));
    expect((await checkHealth({ db: f.db.db, pingRedis: ok, now })).status).toBe('degraded');
  });

  it('says degraded, then down, when the head moves and the cursor does not, naming the block and why', async () => {
    const reason = 'range 129–130 was not queued, re-planned 3 times';
    await f.db.db
      .update(indexerHealth)
      .set({
        lagBlocks: 2,
        // The cursor last moved 20 s before `now`.
        cursorMovedAt: new Date(now.getTime() - 20_000),
        waitingForBlock: 129,
        waitingReason: reason,
      })
      .where(eq(indexerHealth.chainId, 31337));
    // 20 s: under the 30 s threshold.
    expect((await checkHealth({ db: f.db.db, pingRedis: ok, now })).stall).toBeNull();
    const at = (s: number) => new Date(now.getTime() - 20_000 + s * 1000);
    // The RPC figure is refreshed with the clock, so only the stall speaks.
    const fresh = (s: number) =>
      f.db.db
        .update(indexerHealth)
        .set({ rpcLastOkAt: at(s) })
        .where(eq(indexerHealth.chainId, 31337));
    await fresh(31);
    const degraded = await checkHealth({ db: f.db.db, pingRedis: ok, now: at(31) });
    expect(degraded).toMatchObject({
      status: 'degraded',
      stall: { seconds: 31, waitingForBlock: 129, reason },
    });
    expect(healthResponse(degraded).status).toBe(200);
    await fresh(121);
    const down = await checkHealth({ db: f.db.db, pingRedis: ok, now: at(121) });
    expect(down).toMatchObject({ status: 'down', stall: { seconds: 121, waitingForBlock: 129, reason } });
    expect(healthResponse(down).status).toBe(503);
    // Caught up: the head follower clears what the cursor waits for.
    await f.db.db
      .update(indexerHealth)
      .set({ waitingForBlock: null, waitingReason: null })
      .where(eq(indexerHealth.chainId, 31337));
    expect((await checkHealth({ db: f.db.db, pingRedis: ok, now: at(121) })).stall).toBeNull();
  });
});
