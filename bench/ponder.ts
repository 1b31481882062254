import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startAnvil } from '../chain/anvil';
import { freePortForBench } from './ports';

const ADMIN_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Ponder (the reference TypeScript indexer) on the same workload, run in the same bench
 * invocation so the ratio compares like with like on a shared machine. Ponder is not a dependency
 * of Lianjian: its pinned set-up (scripts/chain.mjs, scripts/run-ponder.mjs and an app indexing
 * DataAccessed into a raw table plus per-accessor totals) is installed in PONDER_DIR
 * (docs/performance.md says how). Without it the figures are absent and `ponder_missing` is 1.
 */
export function ponderDir(): string | null {
  const dir = resolve(process.env.PONDER_DIR ?? 'var/ponder');
  return existsSync(join(dir, 'node_modules', 'ponder')) && existsSync(join(dir, 'scripts', 'run-ponder.mjs'))
    ? dir
    : null;
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolveRun(out)
        : reject(new Error(`${args[0]} exited ${code}: ${err.trim().slice(-400)}`)),
    );
  });
}

interface PonderRun {
  wallToReadySec: number | null;
  eventsPerSec: number | null;
  vmHwmMB: number;
  peakRssMB_sampled: number;
  ponderCpuSec: number | null;
  postgresCpuSec: number;
  anvilCpuSec: number;
  rows: { access: number } | null;
}

/**
 * Deploys Ponder's emitter on a fresh anvil, emits `events` DataAccessed `perTx` per transaction
 * (one transaction per block), then times Ponder cold on a fresh database from spawn to ready.
 */
export async function runPonder(p: {
  label: string;
  events: number;
  perTx: number;
}): Promise<Record<string, number>> {
  const dir = ponderDir();
  if (!dir) return { ponder_missing: 1 };
  const anvil = await startAnvil({ port: await freePortForBench(), gasLimit: 3_000_000_000n });
  const dbName = `ponder_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: ADMIN_DB });
  await admin.connect();
  try {
    const work = join(dir, 'results', 'lianjian-bench');
    mkdirSync(work, { recursive: true });
    const deploy = join(work, `deploy-${p.label}.json`);
    await run(
      process.execPath,
      ['scripts/chain.mjs', anvil.url, String(p.events), String(p.perTx), deploy],
      dir,
    );
    await admin.query(`CREATE DATABASE "${dbName}"`);
    const out = await run(
      process.execPath,
      [
        'scripts/run-ponder.mjs',
        '--deploy',
        deploy,
        '--label',
        p.label,
        '--schema',
        'bench',
        '--db',
        url.toString(),
        '--port',
        String(await freePortForBench()),
        '--out',
        work,
      ],
      dir,
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as PonderRun;
    if (r.wallToReadySec === null) throw new Error(`ponder ${p.label} never became ready`);
    if (r.rows && r.rows.access !== p.events)
      throw new Error(`ponder ${p.label} indexed ${r.rows.access} of ${p.events} events`);
    const k = `ponder_${p.label}`;
    return {
      [`${k}_events`]: p.events,
      [`${k}_seconds`]: r.wallToReadySec,
      [`${k}_events_per_s`]: Math.round(p.events / r.wallToReadySec),
      [`${k}_peak_rss_mb`]: r.vmHwmMB,
      [`${k}_cpu_s`]: r.ponderCpuSec ?? NaN,
      [`${k}_postgres_cpu_s`]: r.postgresCpuSec,
      [`${k}_anvil_cpu_s`]: r.anvilCpuSec,
    };
  } finally {
    await anvil.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}
