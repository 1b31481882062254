/**
 * `npm run demo`: the whole product on one machine with a local chain and realistic data.
 * Checks Postgres and Redis (starting stopped local ones), starts anvil with its state on disk
 * (a second run resumes the same chain), deploys and simulates the small scale on first run,
 * migrates, creates demo users, starts the workers and the Next.js production server, keeps live
 * activity flowing, and prints the URL and logins. Ctrl-C stops every child.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startAnvil, type AnvilProcess } from '../chain/anvil';
import { deployContracts } from '../chain/deploy';
import { readDeployment, writeDeployment } from '../chain/deployment';
import { SCALES, simulate, startLiveActivity, type LiveActivity } from '../chain/simulate';
import { connectChain } from '../chain/wallet';
import { createDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { CLI_ACTOR } from '../server/audit';
import { createUser } from '../server/services/users';
import { parseTargetsCsv } from '../server/targets/csv';
import { upsertTargets } from '../server/targets/store';
import { generateSigningKeyPem } from '../server/signing/keys';
import { loadWorkerEnv, migrationUrl } from '../workers/env';
import { ensureWebBuild } from './demo/build';
import { ensureServices } from './demo/services';
import { handOverDemoCases } from './demo/cases';
import { createSupervisor } from './demo/supervisor';

const DEMO_DIR = 'var/demo';
const DAYS = 90;
const SEED = 'lianjian-demo';
/** The small scale's events over the simulated days, per second (≈ 0.003: one every few minutes). */
const LIVE_EVENTS_PER_SECOND = SCALES.small.targetEvents / (DAYS * 86_400);
const WEB_PORT = Number(process.env.PORT ?? 3000);
const DEMO_PASSWORD = 'Lianjian#demo2026';
const METRICS_PORT = Number(process.env.METRICS_PORT ?? 9464);
const DEMO_USERS = [
  { email: 'admin@lianjian.local', role: 'admin', regionCode: null, name: '系统管理员' },
  { email: 'regulator.gd@lianjian.local', role: 'regulator', regionCode: 440000, name: '广东省监管员' },
  { email: 'leader@lianjian.local', role: 'leadership', regionCode: null, name: '领导' },
  { email: 'analyst@lianjian.local', role: 'analyst', regionCode: null, name: '分析员' },
] as const;

/** Created once the history is indexed: it answers for the org most of the demo's cases concern. */
const DEMO_DEPARTMENT = 'dept@lianjian.local';

const say = (s: string) => process.stdout.write(`[demo] ${s}\n`);

async function rpcCall<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function main(): Promise<void> {
  const stateFile = join(DEMO_DIR, 'anvil-state.json');
  const port = Number(new URL(process.env.CHAIN_RPC_URL ?? 'http://127.0.0.1:8545').port || 8545);
  const env = loadWorkerEnv({
    ...process.env,
    DEPLOYMENT_FILE: process.env.DEPLOYMENT_FILE ?? join(DEMO_DIR, 'deployment.json'),
    CHAIN_RPC_URL: `http://127.0.0.1:${port}`,
  });
  mkdirSync(DEMO_DIR, { recursive: true });
  await ensureServices({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, say });

  const fresh = !existsSync(stateFile) || !existsSync(env.DEPLOYMENT_FILE);
  say(fresh ? `starting a new local chain on port ${port}` : `resuming the local chain from ${stateFile}`);
  const anvil: AnvilProcess = await startAnvil({
    port,
    stateFile,
    // A fresh chain begins DAYS+1 days ago, so the simulated days end about now.
    genesisTimestamp: fresh ? Math.floor(Date.now() / 1000) - (DAYS + 1) * 86400 : undefined,
  });
  let live: LiveActivity | null = null;
  const supervisor = createSupervisor((name, code) => {
    say(`${name} exited unexpectedly (code ${code}); stopping the demo`);
    void shutdown(1);
  });
  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await live?.stop().catch(() => {});
    await supervisor.stopAll();
    await anvil.stop();
    process.exit(code);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const conn = await connectChain(anvil.url);
    if (fresh) {
      say('deploying the five consortium contracts');
      const deployment = await deployContracts(conn);
      writeDeployment(env.DEPLOYMENT_FILE, deployment);
      say(`simulating ${DAYS} days of consortium activity (small scale, seed ${SEED})…`);
      const summary = await simulate({
        conn,
        deployment,
        days: DAYS,
        seed: SEED,
        scale: 'small',
        groundTruthFile: join(dirname(env.DEPLOYMENT_FILE), 'ground-truth.json'),
      });
      say(`simulated ${summary.events} events in ${summary.blocks} blocks (${summary.seconds.toFixed(1)} s)`);
    }
    const deployment = readDeployment(env.DEPLOYMENT_FILE);
    // The simulated history ends here: its incidents exist once the workers have indexed this block.
    const historyHead = Number(BigInt(await rpcCall<string>(anvil.url, 'eth_blockNumber')));
    // From here on the chain mines a block every second, as a consortium chain does.
    await rpcCall(anvil.url, 'evm_setAutomine', [false]).catch(() => {});
    await rpcCall(anvil.url, 'evm_setIntervalMining', [1]);

    say('migrating the database');
    await migrateDatabase(migrationUrl(env));
    const dbh = createDb(env.DATABASE_URL, { max: 2, applicationName: 'lianjian-demo' });
    for (const u of DEMO_USERS) {
      await createUser({ db: dbh.db, actor: CLI_ACTOR }, { ...u, password: DEMO_PASSWORD }).catch(() => {
        // already there from an earlier run
      });
    }
    // Leadership reads progress against targets: the demo sets some as a province would (upserted).
    const targets = await parseTargetsCsv(
      readFileSync(new URL('./demo/targets.csv', import.meta.url), 'utf8'),
    );
    await upsertTargets(dbh.db, {
      scope: { regionCode: null },
      actor: CLI_ACTOR,
      rows: targets,
      source: 'cli',
    });
    await dbh.close();

    const secretFile = join(DEMO_DIR, 'auth-secret');
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    // The demo's SM2 signing identity (a deployment makes its own: `keys generate --out FILE`).
    const signingKeyFile = process.env.SIGNING_KEY_FILE ?? join(DEMO_DIR, 'signing-key.pem');
    if (!existsSync(signingKeyFile))
      writeFileSync(signingKeyFile, generateSigningKeyPem().pem, { mode: 0o600, flag: 'wx' });
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: env.DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      CHAIN_RPC_URL: anvil.url,
      DEPLOYMENT_FILE: env.DEPLOYMENT_FILE,
      QUEUE_PREFIX: env.QUEUE_PREFIX,
      CHAIN_ID: String(deployment.chainId),
      AUTH_SECRET: readFileSync(secretFile, 'utf8').trim(),
      SIGNING_KEY_FILE: signingKeyFile,
      // Demo only: admins may use /admin without enrolling TOTP first (production requires it).
      ADMIN_TOTP: 'optional',
      NEXT_TELEMETRY_DISABLED: '1',
    };
    supervisor.start(
      'workers',
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'work', '--concurrency', '2'],
      {
        ...childEnv,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        METRICS_PORT: String(METRICS_PORT),
      },
    );
    // Live activity keeps the simulated history's pace (its events over its days), so today and the
    // month to date compare like for like with the days before; at 5 a second it ran two thousand
    // times busier, and December read +3,585 % in 办件量.
    live = await startLiveActivity({ conn, deployment, seed: SEED, eventsPerSecond: LIVE_EVENTS_PER_SECOND });

    ensureWebBuild(say);
    supervisor.start('web', 'npx', ['next', 'start', '-p', String(WEB_PORT)], {
      ...childEnv,
      NODE_ENV: 'production',
    });
    const url = `http://127.0.0.1:${WEB_PORT}`;
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.status < 600,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    say('');
    say(`Lianjian is up: ${url}`);
    say(`sign in with any of (password ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS)
      say(`  ${u.email.padEnd(30)} ${u.role}${u.regionCode ? ` (region ${u.regionCode})` : ''}`);
    say(
      `  ${DEMO_DEPARTMENT.padEnd(30)} department (made once the history is indexed; it answers 督办 cases)`,
    );
    say(`chain: ${anvil.url} (chain id ${deployment.chainId}); health: ${url}/api/health`);
    say(`worker metrics (Prometheus): http://127.0.0.1:${METRICS_PORT}/metrics`);
    say('Ctrl-C stops everything; the next `npm run demo` resumes the same chain.');
    // In the background: the page is up meanwhile, and the cases appear when indexing is done.
    const casesDb = createDb(env.DATABASE_URL, { max: 2, applicationName: 'lianjian-demo-cases' });
    const regulator = DEMO_USERS.find((u) => u.role === 'regulator');
    void handOverDemoCases({
      db: casesDb.db,
      chainId: deployment.chainId,
      historyHead,
      regulator: { email: regulator?.email ?? '', regionCode: regulator?.regionCode ?? 440000 },
      department: { email: DEMO_DEPARTMENT, password: DEMO_PASSWORD },
      say,
    })
      .catch((e: unknown) => say(`督办: demo cases not handed over: ${(e as Error).message}`))
      .finally(() => void casesDb.close());
  } catch (e) {
    process.stderr.write(`[demo] ${(e as Error).message}\n`);
    await shutdown(1);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[demo] ${(e as Error).message}\n`);
  process.exit(1);
});
