import { and, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { reports } from '../../db/schema/reports';
import { checkHealth } from '../../server/health/check';
import { healthResponse } from '../../server/http/health-response';
import { createExportDb } from '../../server/exports/pool';
import type { PdfPrinter } from '../../server/reports/pdf';
import { createPrintQueue } from '../../server/reports/print-queue';
import { createReportDownloadHandler } from '../../server/reports/download-handler';
import { REPORT_GENERATE_LIMIT } from '../../server/reports/service';
import { countInWindow } from '../../server/services/request-limit';
import { createIncidentExportHandler } from '../../server/services/incidents-export-handler';
import type { UserView } from '../../server/services/users';
import { waitFor } from '../helpers/wait';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';

/**
 * Security review item 4, attacked over HTTP (the handlers the Next routes wrap): exports on their
 * own pool with timeouts, the per-user and total export caps, one shared Chromium behind a queue,
 * and reports.generate's permission and rate limit.
 */

let f: ServerFixture;
let redis: Redis;
/** Enough rows that an export fills every stream buffer and waits for its reader (≈ 1.5 MB CSV). */
const INCIDENTS = 6000;

beforeAll(async () => {
  f = await createServerFixture();
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await f.db.db.execute(sql`
    insert into incidents (chain_id, rule, finding_key, severity, status, region_code, summary,
                           evidence_block, occurred_at, detected_at)
    select 31337, 'ACCESS_WITHOUT_GRANT', 'k-' || i, 'high', 'open', 440100,
           '无授权访问 第' || i || '条：数据共享记录超出授权范围，须核查', i,
           timestamptz '2026-09-01 00:00:00+08' + i * interval '1 minute',
           timestamptz '2026-09-01 00:00:00+08' + i * interval '1 minute'
    from generate_series(1, ${INCIDENTS}) i`);
}, 120_000);

afterAll(async () => {
  redis?.disconnect();
  await f?.close();
});

async function analyst(): Promise<{ user: UserView; token: string }> {
  const user = await f.addUser('analyst', null);
  return { user, token: await f.tokenFor(user, 'export') };
}

function exportReq(token: string, format = 'csv'): Request {
  return new Request(`${TEST_ORIGIN}/api/incidents/export?format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Sessions of the export pool that sit in an open transaction (a paused export's). */
async function exportSessionsInTransaction(): Promise<number> {
  const r = await f.db.db.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and application_name = 'lianjian-web-export'
      and state = 'idle in transaction'`);
  return r.rows[0]?.n ?? 0;
}

/** Runs `call` and fails if the main pool ever had a waiter while it ran. */
async function withoutWaiting<T>(call: () => Promise<T>): Promise<{ value: T; ms: number; waited: number }> {
  let waited = 0;
  const probe = setInterval(() => (waited = Math.max(waited, f.db.pool.waitingCount)), 1);
  const t0 = performance.now();
  try {
    const value = await call();
    return { value, ms: performance.now() - t0, waited };
  } finally {
    clearInterval(probe);
  }
}

const health = async () =>
  healthResponse(await checkHealth({ db: f.deps.db, pingRedis: () => redis.ping() }));

describe('security 4: ten slow-reading exports', () => {
  it('hold only the export pool: sign-in and /api/health answer at their baseline pace; 11th is 503, a 3rd per user 429', async () => {
    const signer = await f.addUser('regulator', 440000, 'signer@example.gov.cn');
    // Baselines on the idle server (three tries each; the slowest counts).
    let baseSignIn = 0;
    let baseHealth = 0;
    for (let i = 0; i < 3; i++) {
      const s = await withoutWaiting(() => f.signIn(signer.email));
      expect(s.value.res.status).toBe(200);
      baseSignIn = Math.max(baseSignIn, s.ms);
      const h = await withoutWaiting(health);
      expect(h.value.status).toBeLessThan(600);
      baseHealth = Math.max(baseHealth, h.ms);
    }

    const handler = createIncidentExportHandler(f.deps);
    const users = await Promise.all([analyst(), analyst(), analyst(), analyst(), analyst()]);
    const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
    try {
      for (const u of users) {
        for (let i = 0; i < 2; i++) {
          const res = await handler(exportReq(u.token));
          expect(res.status).toBe(200);
          const reader = res.body!.getReader();
          // The client reads the first chunk, then stops reading (a paused download).
          expect((await reader.read()).done).toBe(false);
          readers.push(reader);
        }
      }
      // All ten are paused mid-export inside their read transactions, on the export pool.
      await waitFor(
        'ten paused exports in open transactions',
        async () => (await exportSessionsInTransaction()) === 10,
      );
      expect(f.deps.exportGate.running()).toBe(10);
      expect(f.exportPool.totalCount).toBe(10);

      // A third concurrent export of one user: 429 with a message that says what to do.
      const third = await handler(exportReq(users[0].token));
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('30');
      expect(((await third.json()) as { error: { message: string } }).error.message).toBe(
        'at most 2 exports or downloads may run at once per user; wait for one to finish, then try again',
      );
      // An eleventh export by someone else: the server's slots are all taken.
      const eleventh = await handler(exportReq((await analyst()).token));
      expect(eleventh.status).toBe(503);
      expect(((await eleventh.json()) as { error: { code: string } }).error.code).toBe('EXPORTS_BUSY');

      // Sign-in and health use the main pool, which the exports do not touch: neither waits for a
      // connection, and each answers within ten times its idle baseline (or 2 s, if larger).
      const signIn = await withoutWaiting(() => f.signIn(signer.email));
      expect(signIn.value.res.status).toBe(200);
      expect(signIn.waited).toBe(0);
      expect(signIn.ms).toBeLessThan(Math.max(2000, 10 * baseSignIn));
      const h = await withoutWaiting(health);
      expect(h.value.status).toBeLessThan(600);
      const report = (await h.value.json()) as { checks: { database: string; redis: string } };
      expect([report.checks.database, report.checks.redis]).toEqual(['ok', 'ok']);
      expect(h.waited).toBe(0);
      expect(h.ms).toBeLessThan(Math.max(2000, 10 * baseHealth));
    } finally {
      // Clients that go away give their slots and connections back.
      await Promise.all(readers.map((r) => r.cancel()));
    }
    await waitFor('slots released', () => Promise.resolve(f.deps.exportGate.running() === 0));
    await waitFor('export transactions ended', async () => (await exportSessionsInTransaction()) === 0);
    const again = await handler(exportReq(users[0].token, 'json'));
    expect(again.status).toBe(200);
    const body = JSON.parse(await again.text()) as unknown[];
    expect(body).toHaveLength(INCIDENTS);
  }, 120_000);

  it('an export whose client stops reading is ended by the stall guard: audited as failed, slot and transaction freed', async () => {
    const u = await analyst();
    const handler = createIncidentExportHandler({ ...f.deps, exportStallMs: 400 });
    const res = await handler(exportReq(u.token));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await waitFor(
      'the paused export in its transaction',
      async () => (await exportSessionsInTransaction()) === 1,
    );
    const failed = await waitFor('export_failed audit row', async () => {
      const [row] = await f.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'incidents.export_failed'), eq(auditLog.actorId, u.user.id)));
      return row;
    });
    expect(failed.details.reason).toBe('the client read nothing for 0.4 s; export ended');
    expect(f.deps.exportGate.running(u.user.id)).toBe(0);
    await waitFor('its transaction ended', async () => (await exportSessionsInTransaction()) === 0);
    await reader.cancel().catch(() => undefined);
  }, 60_000);

  it('the export pool runs with statement and idle-in-transaction timeouts, enforced by Postgres', async () => {
    const show = async (name: string) =>
      (await f.deps.exportDb.execute<Record<string, string>>(sql.raw(`show ${name}`))).rows[0]?.[name];
    expect(await show('statement_timeout')).toBe('2min');
    expect(await show('idle_in_transaction_session_timeout')).toBe('90s');

    // The same settings, shortened: Postgres itself cancels a long statement and ends a session
    // left idle inside a transaction.
    const short = createExportDb(f.db.url, { size: 1, statementTimeoutMs: 200, idleInTransactionMs: 200 });
    try {
      await expect(short.pool.query('select pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      const client = await short.pool.connect();
      client.on('error', () => undefined);
      await client.query('begin');
      await new Promise((r) => setTimeout(r, 1000));
      await expect(client.query('select 1')).rejects.toThrow();
      client.release(true);
    } finally {
      await short.close();
    }
  }, 30_000);
});

describe('security 4: PDFs through one shared Chromium behind a queue', () => {
  it('six parallel first downloads launch one browser, print two at a time; a 3rd per user is 429', async () => {
    const leaders = await Promise.all([0, 1, 2].map(() => f.addUser('leadership', null)));
    const tokens = await Promise.all(leaders.map((l) => f.tokenFor(l, 'reports')));
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [row] = await f.db.db
        .insert(reports)
        .values({
          chainId: 31337,
          regionCode: 440000,
          period: '2026-09',
          trigger: 'manual',
          generatedBy: 'test',
          figures: { region: { nameZh: '广东省' }, period: { labelZh: '2026年9月' } },
          figuresSha256: '0'.repeat(64),
          html: `<html><body>report ${i}</body></html>`,
        })
        .returning({ id: reports.id });
      ids.push(row!.id);
    }

    let launches = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const gates: (() => void)[] = [];
    const fakeBrowser = (): Promise<PdfPrinter> => {
      launches += 1;
      return Promise.resolve({
        print: async (html) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise<void>((r) => gates.push(r));
          inFlight -= 1;
          return Buffer.from(`%PDF-fake ${html}`);
        },
        connected: () => true,
        close: () => Promise.resolve(),
      });
    };
    const queue = createPrintQueue({ concurrency: 2, launch: fakeBrowser });
    const download = createReportDownloadHandler({ ...f.deps, print: (html) => queue.print(html) });
    const get = (token: string, id: number) =>
      download(
        new Request(`${TEST_ORIGIN}/api/reports/${id}?format=pdf`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        String(id),
      );

    // Two downloads per leader, all at once.
    const pending = ids.slice(0, 6).map((id, i) => get(tokens[i % 3]!, id));
    await waitFor('two prints running, four waiting', () => Promise.resolve(queue.stats().waiting === 4));
    expect(queue.stats()).toEqual({ running: 2, waiting: 4, launches: 1 });
    // The first leader already has two downloads in progress.
    const third = await get(tokens[0]!, ids[6]!);
    expect(third.status).toBe(429);

    // Release the prints one by one; never more than two at once.
    while (gates.length > 0 || queue.stats().running > 0) {
      await waitFor('a print to release', () => Promise.resolve(gates.length > 0));
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    const answers = await Promise.all(pending);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const texts = await Promise.all(answers.map(async (r) => Buffer.from(await r.arrayBuffer()).toString()));
    expect(texts).toEqual(ids.slice(0, 6).map((_, i) => `%PDF-fake <html><body>report ${i}</body></html>`));
    expect(launches).toBe(1);
    expect(maxInFlight).toBe(2);
    await queue.close();
  }, 60_000);
});

describe('security 4: reports.generate', () => {
  it('needs reports:generate: a regulator (reports:read only) is refused with 403', async () => {
    const regulator = await f.addUser('regulator', null);
    const r = await f.trpcHttp(
      'mutation',
      'reports.generate',
      { regionCode: 0, period: '2026-09' },
      { authorization: `Bearer ${await f.tokenFor(regulator)}` },
    );
    expect(r.status).toBe(403);
  });

  it(`is limited to ${REPORT_GENERATE_LIMIT.max} per user per minute: the next is 429 before any work`, async () => {
    const leader = await f.addUser('leadership', null);
    const headers = { authorization: `Bearer ${await f.tokenFor(leader)}` };
    const statuses: number[] = [];
    for (let i = 0; i <= REPORT_GENERATE_LIMIT.max; i++) {
      const r = await f.trpcHttp(
        'mutation',
        'reports.generate',
        { regionCode: 0, period: '2026-09' },
        headers,
      );
      statuses.push(r.status);
      if (r.status === 429)
        expect(r.body.error?.json.message).toBe(
          'at most 5 reports may be generated per minute; wait a minute, or open one already generated from the list',
        );
    }
    // This database indexes no chain: allowed calls answer 404 after the limiter has let them in.
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    // Another user is not affected.
    const other = await f.addUser('leadership', null);
    const o = await f.trpcHttp(
      'mutation',
      'reports.generate',
      { regionCode: 0, period: '2026-09' },
      { authorization: `Bearer ${await f.tokenFor(other)}` },
    );
    expect(o.status).toBe(404);
  });

  it('the window is counted atomically and starts again after a minute (pinned clock)', async () => {
    const t = Date.UTC(2026, 8, 1, 2, 0, 0);
    const key = 'test-window';
    const counts = await Promise.all(Array.from({ length: 8 }, () => countInWindow(f.db.db, key, 60_000, t)));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await countInWindow(f.db.db, key, 60_000, t + 59_999)).toBe(9);
    expect(await countInWindow(f.db.db, key, 60_000, t + 60_001)).toBe(1);
  });
});
