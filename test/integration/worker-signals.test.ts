import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { exited, startOwnRedis } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

/**
 * SIGTERM/SIGINT at any moment ends `work` with exit 0 within 30 s (DESIGN §3, systemd's
 * TimeoutStopSec=30): during start-up, while running, during a Redis outage, through npm.
 * The bound is what systemd allows; it is not a speed figure.
 */
const STOP_BOUND_MS = 30_000;

let h: IndexerHarness;
let env: Record<string, string>;
/** The unit runs the compiled CLI (dist/); this file compiles its own copy. */
const outdir = `var/test-dist-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['cli/build.mjs', '--outdir', outdir], { encoding: 'utf8' });
  expect(built.status).toBe(0);
  h = await createIndexerHarness();
  env = { ...(h.env() as unknown as Record<string, string>), LOG_LEVEL: 'warn' };
}, 120_000);
afterAll(async () => {
  await h?.close();
  rmSync(outdir, { recursive: true, force: true });
});

/** The workers' command line exactly as the systemd unit has it (node's path aside). */
function unitArgs(): string[] {
  const unit = readFileSync('deploy/systemd/lianjian-workers@.service', 'utf8');
  const line = unit.split('\n').find((l) => l.startsWith('ExecStart='));
  if (!line) throw new Error('no ExecStart in the workers unit');
  const [node, ...args] = line.slice('ExecStart='.length).trim().split(/\s+/);
  expect(node).toBe('/usr/bin/node');
  return args.map((a) => (a.startsWith('dist/') ? `${outdir}/${a.slice('dist/'.length)}` : a));
}

function spawnWork(command: 'unit' | 'npm', extra: Record<string, string> = {}): ChildProcess {
  const args = command === 'unit' ? unitArgs() : ['run', '--silent', 'cli', '--', 'work'];
  // Own process group, so a test can signal the whole group as a terminal or systemd would.
  return spawn(command === 'unit' ? process.execPath : 'npm', args, {
    env: { ...process.env, ...env, ...extra },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
}

async function stopTimed(
  child: ChildProcess,
  send: () => void,
): Promise<{ code: number | null; ms: number }> {
  const t = Date.now();
  send();
  const code = await Promise.race([
    exited(child),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_BOUND_MS)),
  ]);
  if (code === 'timeout') {
    process.kill(-child.pid!, 'SIGKILL');
    throw new Error(`worker did not stop within ${STOP_BOUND_MS} ms`);
  }
  return { code, ms: Date.now() - t };
}

async function started(): Promise<void> {
  await waitFor(
    'worker running',
    async () => {
      const { rows } = await h.db.pool.query('SELECT 1 FROM indexer_health');
      return rows.length > 0;
    },
    60_000,
  );
}

describe('work stops cleanly on a signal', () => {
  // Moments of start-up: node booting its loader, modules loading, connections opening. (The
  // first ~0.1 s, while node itself boots, no program can catch a signal; a stop then is a
  // plain signal death — no node program can do better.)
  it.each([1_500, 4_000, 8_000])('SIGTERM %i ms after spawn (start-up): exit 0', async (afterMs) => {
    const child = spawnWork('unit');
    await new Promise((r) => setTimeout(r, afterMs));
    const { code } = await stopTimed(child, () => child.kill('SIGTERM'));
    expect(code).toBe(0);
  });

  it('through npm run cli: SIGTERM to npm, and SIGINT to the whole process group, exit 0', async () => {
    await h.db.pool.query('DELETE FROM indexer_health');
    const a = spawnWork('npm');
    await started();
    expect((await stopTimed(a, () => a.kill('SIGTERM'))).code).toBe(0);

    await h.db.pool.query('DELETE FROM indexer_health');
    const b = spawnWork('npm');
    await started();
    // Ctrl-C in a terminal: npm, the shell and node each receive it.
    expect((await stopTimed(b, () => process.kill(-b.pid!, 'SIGINT'))).code).toBe(0);
  });

  it('two SIGTERMs in a row (a unit stopped while its group is signalled): exit 0', async () => {
    await h.db.pool.query('DELETE FROM indexer_health');
    const child = spawnWork('unit');
    await started();
    const { code } = await stopTimed(child, () => {
      child.kill('SIGTERM');
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });

  it('during a Redis outage, and while start-up waits for a Redis that is down: exit 0', async () => {
    const redis = await startOwnRedis();
    await h.db.pool.query('DELETE FROM indexer_health');
    const child = spawnWork('unit', { REDIS_URL: redis.url });
    await started();
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await stopTimed(child, () => child.kill('SIGTERM'))).code).toBe(0);

    const nobody = await freePort();
    const waiting = spawnWork('unit', { REDIS_URL: `redis://127.0.0.1:${nobody}` });
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stopTimed(waiting, () => waiting.kill('SIGINT'))).code).toBe(0);
  });

  it('bad configuration: exits non-zero at once with one line naming the setting', async () => {
    const child = spawnWork('unit', { REDIS_URL: 'not a url' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await exited(child);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^lianjian work: invalid configuration: REDIS_URL: /) as string,
    ]);
  });
});
