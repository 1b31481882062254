import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from './anvil';

/** What a worker writes to stderr once it listens for SIGTERM (test/helpers/stop-listener-mark.mjs). */
export const STOP_LISTENER_MARK = 'lianjian-test: stop listener installed';

/**
 * Starts `npm run cli -- work` as its own process, as an operator would: node with the same
 * preloads as `npm run cli` (not npx: signals must reach the worker itself, not a wrapper), plus a
 * test-only one after them that writes STOP_LISTENER_MARK once the stop listener is installed.
 */
export function spawnWorker(env: Record<string, string>, concurrency = 2): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      './cli/stop-signals.mjs',
      '--import',
      './test/helpers/stop-listener-mark.mjs',
      '--import',
      'tsx',
      'cli/main.ts',
      'work',
      '--concurrency',
      String(concurrency),
    ],
    {
      env: { ...process.env, ...env, ...(process.env.WORKER_LOG_FILE ? { LOG_LEVEL: 'info' } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  // Drain, so a chatty worker never blocks on a full pipe; WORKER_LOG_FILE keeps it for debugging.
  const logFile = process.env.WORKER_LOG_FILE;
  child.stderr?.on('data', (d: Buffer) => {
    if (logFile) appendFileSync(logFile, d);
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  // Killed by a signal earlier: 'exit' has already fired and will not fire again.
  if (child.signalCode !== null) return Promise.resolve(null);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** A Redis server of the test's own, so it can be killed and restarted without touching anyone else's. */
export async function startOwnRedis(
  port?: number,
  extraArgs: string[] = [],
): Promise<{ url: string; port: number; child: ChildProcess; kill(): Promise<void> }> {
  const p = port ?? (await freePort());
  // A replica's full sync makes its master write a snapshot into the working directory, even
  // with saving off; a directory of its own keeps it out of the checkout.
  const dir = mkdtempSync(join(tmpdir(), 'lj-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    { stdio: 'ignore', cwd: dir },
  );
  const url = `redis://127.0.0.1:${p}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(p, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not start on ${p}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port: p,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
