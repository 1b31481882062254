import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dataSharingAbi } from '../chain/compiled';
import { ADMIN_DB, createBenchDatabase, dropBenchDatabase } from './bench-db';
import { rpc } from './chain-fixture';
import { freePortForBench } from './ports';

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
 * Times Ponder cold, on a fresh database, from spawn to ready, indexing the DataAccessed events of
 * the very chain Lianjian just indexed (same node, same blocks): Ponder's app is pointed at the
 * DataSharing contract, whose DataAccessed has the signature of its emitter's. Ponder backfills
 * only up to 30 blocks below the head on a local chain, so 64 empty blocks are mined first (an
 * indexer run after this one would see them; none does).
 */
export async function runPonderOnChain(p: {
  label: string;
  rpcUrl: string;
  address: string;
  startBlock: number;
  /** DataAccessed events on the chain: Ponder's raw table must end with exactly these. */
  accesses: number;
}): Promise<Record<string, number>> {
  const dir = ponderDir();
  if (!dir) return { ponder_missing: 1 };
  const dbName = `ponder_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  try {
    const endBlock = Number(await rpc(p.rpcUrl, 'eth_blockNumber'));
    await rpc(p.rpcUrl, 'anvil_mine', ['0x40']);
    const work = join(dir, 'results', 'lianjian-bench');
    mkdirSync(work, { recursive: true });
    const deploy = join(work, `deploy-${p.label}.json`);
    writeFileSync(
      deploy,
      JSON.stringify({
        rpc: p.rpcUrl,
        address: p.address,
        startBlock: p.startBlock,
        endBlock,
        total: p.accesses,
        abi: dataSharingAbi,
      }),
    );
    await createBenchDatabase(dbName);
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
    if (r.rows && r.rows.access !== p.accesses)
      throw new Error(`ponder ${p.label} indexed ${r.rows.access} of ${p.accesses} events`);
    const k = `ponder_${p.label}`;
    return {
      [`${k}_events`]: p.accesses,
      [`${k}_seconds`]: r.wallToReadySec,
      [`${k}_events_per_s`]: Math.round(p.accesses / r.wallToReadySec),
      [`${k}_peak_rss_mb`]: r.vmHwmMB,
      [`${k}_cpu_s`]: r.ponderCpuSec ?? NaN,
      // All of the machine's Postgres processes, other people's included (run-ponder's figure).
      [`${k}_postgres_cpu_s_machine`]: r.postgresCpuSec,
      [`${k}_anvil_cpu_s`]: r.anvilCpuSec,
    };
  } finally {
    await dropBenchDatabase(dbName);
  }
}
