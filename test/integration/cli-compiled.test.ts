import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { exited } from '../helpers/processes';
import { basicScenario } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

/**
 * Production runs the CLI compiled to JavaScript (`npm run build:cli`, `node dist/main.js`): the
 * bundle must find the migrations, every command's module must load, and `index` / `work` must
 * behave as they do from source.
 */
let h: IndexerHarness;
const outdir = `var/test-dist-${randomBytes(4).toString('hex')}`;

function envOf(): NodeJS.ProcessEnv {
  const e = h.env();
  return {
    ...process.env,
    DATABASE_URL: e.DATABASE_URL,
    CHAIN_RPC_URL: e.CHAIN_RPC_URL,
    DEPLOYMENT_FILE: e.DEPLOYMENT_FILE,
    QUEUE_PREFIX: e.QUEUE_PREFIX,
    REDIS_URL: e.REDIS_URL,
    LOG_LEVEL: 'silent',
  };
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [`${outdir}/main.js`, ...args], { env: envOf(), encoding: 'utf8' });
}

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['cli/build.mjs', '--outdir', outdir], { encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  h = await createIndexerHarness();
  await basicScenario(h.scenario);
}, 120_000);
afterAll(async () => {
  await h?.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe('compiled CLI', () => {
  it('loads every command (a bad option is a usage error, not a missing module)', () => {
    const names = [
      'deploy',
      'migrate',
      'simulate',
      'index',
      'stats',
      'reindex',
      'create-user',
      'create-token',
      'export-incidents',
      'verify-export',
      'verify-package',
      'work',
      'report',
      'targets',
      'calendar',
      'keys',
      'verify-audit',
    ];
    for (const name of names) {
      const r = cli([name, '--no-such-option']);
      expect(r.status, name).toBe(1);
      expect(r.stderr, name).toMatch(new RegExp(`^lianjian ${name}: Unknown option '--no-such-option'`));
    }
    const unknown = cli(['nope']);
    expect(unknown.status).toBe(2);
  });

  it('indexes to the head like the source does, and stats agree', async () => {
    const r = cli(['index', '--until-head']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { events: number; phasesMs: Record<string, number> };
    const counts = await h.counts();
    expect(out.events).toBe(counts.events);
    expect(out.events).toBeGreaterThan(0);
    expect(Object.keys(out.phasesMs).sort()).toEqual([
      'analyze',
      'connect',
      'schema',
      'startup',
      'sync',
      'windowed',
    ]);
    const stats = cli(['stats']);
    expect(stats.status).toBe(0);
    const s = JSON.parse(stats.stdout) as { events: Record<string, number> };
    expect(Object.values(s.events).reduce((a, b) => a + b, 0)).toBe(counts.events);
  }, 120_000);

  it('runs the workers and stops cleanly on SIGTERM', async () => {
    const child: ChildProcessByStdio<null, null, Readable> = spawn(
      process.execPath,
      [`${outdir}/main.js`, 'work', '--concurrency', '1'],
      {
        env: { ...envOf(), LOG_LEVEL: 'info' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    // Generous: the machine is shared and start-up connects to the node, Redis and Postgres.
    await waitFor('the compiled workers to start', () => Promise.resolve(log.includes('workers started')));
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 120_000);
});
