/**
 * The dashboard as users meet it: 50 signed-in users on the overview, flows and adoption pages,
 * through HTTP against two `next start` processes (the production build, as `npm start` runs it)
 * sharing one Postgres and one Redis, while new blocks keep arriving.
 *
 * - Build: `.next` is reused when it is newer than every source under app/, server/, domain/ and
 *   db/; otherwise `next build` runs first.
 * - Processes: two `next start` on free ports, NODE_ENV=production, the bench database, Redis at
 *   REDIS_URL (default local) under a prefix of this run's own (CACHE_PREFIX=lianjian-bench-…),
 *   so a running demo's cache is never read or written.
 * - Users: 20 leadership (nation-wide; overview and adoption — leadership may not read flows),
 *   20 regulators scoped to a province (10 Guangdong 440000, the rest 330000, 320000, 110000,
 *   510000; all three pages), 10 analysts (nation-wide; overview and flows). Created in the bench
 *   database as `create-user` does (kept for the next run), each signs in through the real route
 *   (POST /api/auth/sign-in/email) from an address of its own (X-Forwarded-For behind a trusted
 *   proxy, so the per-address sign-in limit is not what is measured) and uses its session cookie.
 * - Loads: each page load is the one GET batch the browser's httpBatchLink sends for that page
 *   with no query string (the procedures and inputs of app/(dashboard)/…, superjson-encoded);
 *   users alternate between the two processes, load a page, read it for 0.5–1.5 s (random), load
 *   the next of their pages. After a warm-up pass (not counted) the run lasts 60 s (20 s quick).
 * - Blocks: every 3 s (BENCH_DASHBOARD_BLOCK_SECONDS) a block is appended as an indexer commit would change what these pages read
 *   (bench/dashboard-appender.ts): cursor, rollups and raw rows move in one transaction.
 * - Figures: a call's latency is its batch's (the browser gets every answer of a batch at once).
 *   `dashboard_http_p50/p95/max_ms` over every call; `dashboard_http_first_after_block_*` over the
 *   calls of the first load of each page × scope after each new block (the load that finds no
 *   answer computed yet for its cursor); per page `dashboard_http_<page>_p95_ms`; errors; CPU
 *   seconds of each web process and of the database's Postgres backends during the run.
 *
 * Data: BENCH_DASHBOARD_DATABASE_URL (e.g. the ≈ 9M-event database docs/performance.md describes,
 * `lianjian_bench_dash9m`), else a simulated chain indexed for the run (small quick, else medium).
 *
 *   npm run bench -- --only=dashboard-http [--quick]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import superjson from 'superjson';
import { createDb } from '../db/client';
import { users } from '../db/schema/auth';
import type { Role } from '../server/permissions';
import { createUser } from '../server/services/users';
import { appendBlock } from './dashboard-appender';
import { openDashboardDataset } from './dashboard-dataset';
import { cpuSeconds, backendsOf, percentile } from './measure';
import { freePortForBench } from './ports';
import { runWhenMain } from './bench-db';

const PASSWORD = 'bench dashboard password 1';
/** Seconds between appended blocks: BENCH_DASHBOARD_BLOCK_SECONDS, default 3. */
const BLOCK_EVERY_MS = Number(process.env.BENCH_DASHBOARD_BLOCK_SECONDS ?? 3) * 1000;

interface User {
  email: string;
  role: Role;
  regionCode: number | null;
  cookie?: string;
  ip: string;
}

type Call = [procedure: string, input: unknown];

/** The tRPC calls each page sends on load, in one batch, for a caller of this role and scope. */
function pageCalls(page: string, u: User): Call[] | null {
  const incidents = u.role === 'regulator' || u.role === 'analyst';
  const province = u.regionCode === null ? undefined : Math.floor(u.regionCode / 10000) * 10000;
  switch (page) {
    case 'overview':
      return [
        ['overview.summary', {}],
        ...(incidents ? ([['overview.highIncidents', { limit: 8 }]] as Call[]) : []),
      ];
    case 'flows':
      if (u.role === 'leadership') return null;
      return [
        ['flows.sankey', { group: 'org', top: 30 }],
        ['flows.matrix', { axis: 'kind' }],
        ['flows.series', {}],
        ['flows.accesses', { link: undefined, limit: 20, cursor: undefined, direction: 'forward' }],
      ];
    case 'adoption':
      if (u.role === 'analyst') return null;
      return [
        ['adoption.regions', { province }],
        ['adoption.trend', { province, top: 8 }],
        ['targets.progress', undefined],
        ['me.get', undefined],
        ['silo.index', { province, top: 10 }],
      ];
    default:
      return null;
  }
}

/** The GET httpBatchLink sends: `/api/trpc/a,b?batch=1&input={"0":…,"1":…}` (superjson). */
function batchPath(calls: Call[]): string {
  const input = Object.fromEntries(calls.map(([, i], n) => [n, superjson.serialize(i)]));
  return `/api/trpc/${calls.map(([p]) => p).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

function benchUsers(): User[] {
  const out: User[] = [];
  const provinces = [440000, 330000, 320000, 110000, 510000];
  for (let i = 0; i < 20; i++)
    out.push({ email: `bench-lead-${i}@example.gov.cn`, role: 'leadership', regionCode: null, ip: '' });
  for (let i = 0; i < 20; i++)
    out.push({
      email: `bench-reg-${i}@example.gov.cn`,
      role: 'regulator',
      regionCode: i < 10 ? 440000 : provinces[1 + (i % 4)]!,
      ip: '',
    });
  for (let i = 0; i < 10; i++)
    out.push({ email: `bench-analyst-${i}@example.gov.cn`, role: 'analyst', regionCode: null, ip: '' });
  return out.map((u, i) => ({ ...u, ip: `10.77.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
}

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) m = Math.max(m, newestMtime(p));
    else m = Math.max(m, statSync(p).mtimeMs);
  }
  return m;
}

/** `next build` unless `.next` is newer than the sources it is built from. */
function ensureBuild(): void {
  const id = '.next/BUILD_ID';
  const sources = Math.max(...['app', 'server', 'domain', 'db'].map(newestMtime));
  if (existsSync(id) && statSync(id).mtimeMs > sources) return;
  process.stderr.write('dashboard-http: next build…\n');
  const r = spawnSync('node_modules/.bin/next', ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('next build failed');
}

async function startWeb(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePortForBench();
  const url = `http://127.0.0.1:${port}`;
  // Each process is its own origin here (no balancer in front): sign-in checks the Origin header.
  const child = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, ...env, BASE_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${err}`);
    try {
      const r = await fetch(`${url}/api/health`);
      await r.arrayBuffer();
      return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`next start did not answer in 120 s: ${err}`);
}

function stopWeb(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function signIn(base: string, u: User): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': u.ip },
    body: JSON.stringify({ email: u.email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in of ${u.email}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error(`sign-in of ${u.email}: no session cookie`);
  return cookies.join('; ');
}

interface Sample {
  page: string;
  scope: string;
  calls: number;
  started: number;
  ms: number;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDashboardHttpBench({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  const data = await openDashboardDataset(quick);
  const handle = createDb(data.url, { max: 4, applicationName: 'lianjian-bench-http' });
  const webs: ChildProcess[] = [];
  try {
    ensureBuild();
    const people = benchUsers();
    for (const u of people) {
      const [found] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
      if (!found)
        await createUser(
          { db: handle.db, actor: { id: null, label: 'bench' } },
          { email: u.email, password: PASSWORD, role: u.role, regionCode: u.regionCode },
        );
    }
    const { rows: ch } = await handle.pool.query<{ c: number }>('select chain_id c from cursors limit 1');
    const chainId = ch[0]!.c;
    const { rows: ev } = await handle.pool.query<{ n: string }>(
      'select coalesce(sum(count), 0) n from events_daily where chain_id = $1',
      [chainId],
    );
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: data.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CACHE_PREFIX: `lianjian-bench-${randomBytes(4).toString('hex')}`,
      AUTH_SECRET: randomBytes(36).toString('base64'),
      ADMIN_TOTP: 'optional',
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const servers = await Promise.all([startWeb(env), startWeb(env)]);
    webs.push(...servers.map((s) => s.child));
    for (const [i, u] of people.entries()) u.cookie = await signIn(servers[i % 2]!.url, u);

    const pages = ['overview', 'flows', 'adoption'];
    const load = async (u: User, page: string, n: number): Promise<Sample | null> => {
      const calls = pageCalls(page, u);
      if (!calls) return null;
      const base = servers[n % 2]!.url;
      const started = performance.now();
      let ok = false;
      try {
        const res = await fetch(`${base}${batchPath(calls)}`, {
          headers: { cookie: u.cookie!, 'x-forwarded-for': u.ip },
        });
        const body = (await res.json()) as { error?: unknown }[];
        ok = res.ok && body.every((b) => !b.error);
      } catch {
        ok = false;
      }
      return {
        page,
        scope: `${u.role}:${u.regionCode ?? 'nation'}`,
        calls: calls.length,
        started,
        ms: performance.now() - started,
        ok,
      };
    };

    // Warm-up: every user opens every page of theirs once (compiles, pools, plans; not counted).
    await Promise.all(
      people.map(async (u, i) => {
        for (const p of pages) await load(u, p, i);
      }),
    );

    const samples: Sample[] = [];
    const blocks: number[] = [];
    const runMs = quick ? 20_000 : 60_000;
    const cpu0 = servers.map((s) => cpuSeconds(s.child.pid!) ?? 0);
    const dbName = new URL(data.url).pathname.slice(1);
    const pgCpu0 = new Map(backendsOf(dbName).map((p) => [p, cpuSeconds(p) ?? 0]));
    const pgCpu = new Map<number, number>();
    const load0 = (await import('node:os')).loadavg();
    const t0 = performance.now();
    const end = t0 + runMs;
    let appended = 0;
    const appender = (async () => {
      while (performance.now() + BLOCK_EVERY_MS < end) {
        await sleep(BLOCK_EVERY_MS);
        const r = await appendBlock(handle.pool, chainId);
        appended += r.accesses;
        blocks.push(performance.now());
        for (const p of backendsOf(dbName)) pgCpu.set(p, cpuSeconds(p) ?? 0);
      }
    })();
    await Promise.all(
      people.map(async (u, i) => {
        await sleep(Math.random() * 1000);
        let n = i;
        while (performance.now() < end) {
          for (const page of pages) {
            if (performance.now() >= end) break;
            const s = await load(u, page, n++);
            if (!s) continue;
            samples.push(s);
            await sleep(500 + Math.random() * 1000);
          }
        }
      }),
    );
    await appender;
    for (const p of backendsOf(dbName)) pgCpu.set(p, cpuSeconds(p) ?? 0);
    const load1 = (await import('node:os')).loadavg();
    const cpu = servers.map((s, i) => (cpuSeconds(s.child.pid!) ?? 0) - cpu0[i]!);
    const postgresCpu = [...pgCpu].reduce((a, [p, c]) => a + c - (pgCpu0.get(p) ?? 0), 0);

    // The first load of each page × scope that started after each block's commit.
    const first: Sample[] = [];
    for (const [b, at] of blocks.entries()) {
      const next = blocks[b + 1] ?? Infinity;
      const seen = new Set<string>();
      for (const s of [...samples].sort((x, y) => x.started - y.started)) {
        if (s.started < at || s.started >= next) continue;
        const k = `${s.page}|${s.scope}`;
        if (seen.has(k)) continue;
        seen.add(k);
        first.push(s);
      }
    }
    const perCall = (ss: Sample[]) => ss.flatMap((s) => Array<number>(s.calls).fill(s.ms));
    const all = perCall(samples.filter((s) => s.ok));
    const firsts = perCall(first.filter((s) => s.ok));
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const out: Record<string, number> = {
      dashboard_http_events: Number(ev[0]!.n),
      dashboard_http_users: people.length,
      dashboard_http_processes: servers.length,
      dashboard_http_seconds: r1(runMs / 1000),
      dashboard_http_page_loads: samples.length,
      dashboard_http_calls: all.length,
      dashboard_http_errors: samples.filter((s) => !s.ok).length,
      dashboard_http_blocks_appended: blocks.length,
      dashboard_http_block_interval_s: BLOCK_EVERY_MS / 1000,
      dashboard_http_accesses_appended: appended,
      dashboard_http_p50_ms: r1(percentile(all, 50)),
      dashboard_http_p95_ms: r1(percentile(all, 95)),
      dashboard_http_max_ms: r1(Math.max(...all)),
      dashboard_http_first_after_block_calls: firsts.length,
      dashboard_http_first_after_block_p50_ms: r1(percentile(firsts, 50)),
      dashboard_http_first_after_block_p95_ms: r1(percentile(firsts, 95)),
      dashboard_http_first_after_block_max_ms: r1(Math.max(...firsts)),
      dashboard_http_cpu_s_web_a: r1(cpu[0]!),
      dashboard_http_cpu_s_web_b: r1(cpu[1]!),
      dashboard_http_cpu_s_postgres: r1(postgresCpu),
      dashboard_http_loadavg_start: r1(load0[0]!),
      dashboard_http_loadavg_end: r1(load1[0]!),
    };
    for (const page of pages) {
      const ms = perCall(samples.filter((s) => s.ok && s.page === page));
      const fm = perCall(first.filter((s) => s.ok && s.page === page));
      out[`dashboard_http_${page}_p50_ms`] = r1(percentile(ms, 50));
      out[`dashboard_http_${page}_p95_ms`] = r1(percentile(ms, 95));
      out[`dashboard_http_${page}_first_after_block_p95_ms`] = r1(percentile(fm, 95));
    }
    return out;
  } finally {
    for (const w of webs) stopWeb(w);
    await handle.close();
    await data.drop();
  }
}

runWhenMain(import.meta.url, 'dashboard-http', runDashboardHttpBench);
