import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createDb, type Db } from '../../db/client';
import type { AccessPolicy } from '../../server/auth/access';
import { createAuth, type Auth } from '../../server/auth/better-auth';
import { toCaller, type Caller } from '../../server/auth/caller';
import { createContext } from '../../server/context';
import { createExportGate, type ExportLimits } from '../../server/exports/gate';
import { createExportDb } from '../../server/exports/pool';
import { createTrpcHandler } from '../../server/http/trpc-handler';
import type { Role } from '../../server/permissions';
import { createPrintQueue } from '../../server/reports/print-queue';
import { appRouter } from '../../server/routers/_app';
import { createToken } from '../../server/services/tokens';
import { createUser, type UserView } from '../../server/services/users';
import { createCallerFactory } from '../../server/trpc';
import { createTestDb, type TestDb } from './db';

function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = '';
  return u.toString();
}

export const TEST_ORIGIN = 'http://lianjian.test';
export const TEST_PASSWORD = 'correct horse battery';
const TEST_SECRET = 'test-secret-of-at-least-thirty-two-chars!';

const callerFactory = createCallerFactory(appRouter);

/**
 * The server side of the web app against a fresh test database, without Next.js: better-auth,
 * the tRPC HTTP handler and `createCaller`, wired exactly as server/runtime.ts wires them.
 */
export async function createServerFixture(
  opts: {
    policy?: AccessPolicy;
    rateLimit?: boolean;
    /** Dashboard reads through this database instead (a streaming replica of `db`, made by the test). */
    readDb?: Db;
    /** Use this database as the primary instead of a fresh one (a replica test owns both). */
    db?: TestDb;
    /** Serve through a pool connected as this database role (e.g. a member of lianjian_app). */
    connectAs?: string;
    /** The server's pinned clock. */
    now?: () => Date;
    /** Export gate limits (the runtime's defaults: 2 per user, 10 in all = the export pool). */
    exportLimits?: ExportLimits;
    /** The export pool's Postgres timeouts (ms), shortened by tests of them. */
    exportDbTimeouts?: { statementTimeoutMs?: number; idleInTransactionMs?: number };
    /** The stall guard's limit (EXPORT_STALL_MS unless shortened). */
    exportStallMs?: number;
  } = {},
) {
  const db: TestDb = opts.db ?? (await createTestDb());
  const served = opts.connectAs ? createDb(withUser(db.url, opts.connectAs), { max: 5 }) : null;
  const readDb = opts.readDb ?? served?.db ?? db.db;
  const policy: AccessPolicy = opts.policy ?? { adminTotp: 'optional' };
  const auth: Auth = createAuth({
    db: served?.db ?? db.db,
    env: { AUTH_SECRET: TEST_SECRET, BASE_URL: TEST_ORIGIN },
    rateLimit: opts.rateLimit ?? false,
  });
  // Exports, downloads and PDFs are wired as server/runtime.ts wires them: their own pool, the
  // gate, one Chromium behind a queue (launched on the first print only).
  const exportLimits = opts.exportLimits ?? { perUser: 2, total: 10 };
  const exportDb = createExportDb(opts.connectAs ? withUser(db.url, opts.connectAs) : db.url, {
    size: exportLimits.total,
    ...opts.exportDbTimeouts,
  });
  const printQueue = createPrintQueue();
  const deps = {
    db: served?.db ?? db.db,
    readDb,
    auth,
    policy,
    baseUrl: TEST_ORIGIN,
    exportDb: exportDb.db,
    exportGate: createExportGate(exportLimits),
    exportStallMs: opts.exportStallMs,
    print: (html: string) => printQueue.print(html),
  };
  const trpc = createTrpcHandler(deps);
  let n = 0;

  /** A user as `create-user` makes one; a department user answers for `orgAddress`. */
  async function addUser(
    role: Role,
    regionCode: number | null = null,
    email?: string,
    orgAddress?: string,
  ): Promise<UserView> {
    n += 1;
    return createUser(
      { db: db.db, actor: { id: null, label: 'test' } },
      {
        email: email ?? `${role}${n}@example.gov.cn`,
        password: TEST_PASSWORD,
        role,
        regionCode,
        // Unless given, a department user answers for a member no test world registers.
        orgAddress: role === 'department' ? (orgAddress ?? `0x${'de'.repeat(20)}`) : null,
      },
    );
  }

  /** createCaller for a user as if signed in by session (2FA per the user record). */
  function callerFor(user: UserView, via: Caller['via'] = { kind: 'session', sessionId: 'test' }) {
    const caller = toCaller(user, via);
    return callerFactory({ db: db.db, readDb, caller, ip: '127.0.0.1', policy, now: opts.now });
  }

  /**
   * createCaller for `user` signed in by session, on a clock of the test's own (a function when the
   * test moves it between calls): the 督办 tests walk working-day deadlines this way.
   */
  function callerAs(user: UserView, now: Date | (() => Date)) {
    const clock = typeof now === 'function' ? now : () => now;
    const caller = toCaller(user, { kind: 'session', sessionId: 'test' });
    return callerFactory({ db: db.db, readDb, caller, ip: '127.0.0.1', policy, now: clock });
  }

  /** createCaller for whoever the headers authenticate (cookie or bearer), via the real context. */
  async function callerFromHeaders(headers: Headers) {
    return callerFactory(await createContext(deps, headers));
  }

  /** A bearer token of `user`'s own, minted as `create-token` does at the console. */
  async function tokenFor(user: UserView, name = 'tests', expiresAt?: Date): Promise<string> {
    const { token } = await createToken(
      { db: db.db, actor: { id: null, label: 'test' } },
      { userId: user.id, name, expiresAt },
    );
    return token;
  }

  /** A tRPC call over the HTTP handler (GET for queries, POST for mutations) with these headers. */
  async function trpcHttp(
    kind: 'query' | 'mutation',
    path: string,
    input: unknown,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: TrpcHttpBody }> {
    const json = encodeURIComponent(JSON.stringify({ json: input }));
    const req =
      kind === 'query'
        ? new Request(`${TEST_ORIGIN}/api/trpc/${path}?input=${json}`, { headers })
        : new Request(`${TEST_ORIGIN}/api/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, ...headers },
            body: JSON.stringify({ json: input }),
          });
    const res = await trpc(req);
    return { status: res.status, body: (await res.json()) as TrpcHttpBody };
  }

  const anonymous = () => callerFactory({ db: db.db, readDb, caller: null, ip: null, policy });

  /** POST to better-auth's HTTP handler as a same-origin browser would. */
  async function authPost(path: string, body: unknown, cookie?: string): Promise<Response> {
    const headers = new Headers({
      'content-type': 'application/json',
      origin: TEST_ORIGIN,
      'x-forwarded-for': '10.0.0.1',
    });
    if (cookie) headers.set('cookie', cookie);
    return auth.handler(
      new Request(`${TEST_ORIGIN}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    );
  }

  /** Signs in by e-mail and password; returns the response and its cookies as a Cookie header. */
  async function signIn(email: string, password = TEST_PASSWORD) {
    const res = await authPost('/sign-in/email', { email, password });
    return { res, cookie: cookieHeader(res), body: (await res.json()) as Record<string, unknown> };
  }

  return {
    db,
    auth,
    policy,
    deps,
    trpc,
    addUser,
    callerFor,
    callerAs,
    callerFromHeaders,
    anonymous,
    tokenFor,
    trpcHttp,
    authPost,
    signIn,
    exportPool: exportDb.pool,
    printQueue,
    close: async () => {
      await printQueue.close();
      await exportDb.close();
      await served?.close();
      await db.drop();
    },
  };
}

/** A tRPC HTTP answer: `result.data.json` on success, `error.json` on failure. */
export interface TrpcHttpBody {
  result?: { data: { json: unknown } };
  error?: { json: { message: string; code: number; data: { code: string; httpStatus: number } } };
}

export type ServerFixture = Awaited<ReturnType<typeof createServerFixture>>;

/** What `callerFor` / `callerAs` return: the app router's procedures as one user. */
export type TestCaller = ReturnType<ServerFixture['callerAs']>;

/** The Set-Cookie headers of a response as one Cookie request header (name=value; …). */
export function cookieHeader(res: Response, previous = ''): string {
  const jar = new Map<string, string>();
  for (const part of previous.split(/;\s*/).filter(Boolean)) {
    const i = part.indexOf('=');
    jar.set(part.slice(0, i), part.slice(i + 1));
  }
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    const name = pair!.slice(0, i);
    const value = pair!.slice(i + 1);
    if (value === '' || /max-age=0/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from an otpauth:// URI, as an authenticator app computes it. */
export function totpFromUri(uri: string, at = Date.now()): string {
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

// ─── A running Next.js server for end-to-end tests ───────────────────────────────────────────

const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Newest modification time under the folders a build depends on. */
function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) walk(join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const d of dirs) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  return newest;
}

function buildIsFresh(): boolean {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  const sources = newestSource(['app', 'server', 'domain', 'db/schema', 'next.config.js']);
  return existsSync(buildId) && statSync(buildId).mtimeMs > sources;
}

/**
 * Test files run side by side: one of them builds while the others wait for its build, instead of
 * two `next build`s writing one .next folder. A lock left by a process that died is taken over.
 */
async function withBuildLock(fn: () => Promise<void>): Promise<void> {
  const lock = join(ROOT, 'var', 'next-build.lock');
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // its holder has not written its pid yet
    }
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Builds with `next build` only when .next/BUILD_ID is missing or older than the sources. */
export async function ensureNextBuild(): Promise<void> {
  if (buildIsFresh()) return;
  await withBuildLock(async () => {
    // Another file may have built while this one waited for the lock.
    if (buildIsFresh()) return;
    await run('npx', ['next', 'build'], {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

export interface WebServer {
  url: string;
  db: TestDb;
  stop(): Promise<void>;
}

/** `next start` on a free port against a fresh test database. */
export async function startWebServer(env: Record<string, string> = {}): Promise<WebServer> {
  await ensureNextBuild();
  const db = await createTestDb();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: db.url,
      BASE_URL: url,
      AUTH_SECRET: randomBytes(32).toString('hex'),
      ADMIN_TOTP: 'optional',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}: ${output}`);
    try {
      const res = await fetch(`${url}/login`, { redirect: 'manual' });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    db,
    async stop() {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await db.drop();
    },
  };
}

/** The build's id, for logs. */
export function buildId(): string | null {
  const p = join(ROOT, '.next', 'BUILD_ID');
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}
