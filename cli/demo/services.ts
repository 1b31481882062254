import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';

async function postgresUp(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function redisUp(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Postgres and Redis must be up. A local cluster or server that is installed but stopped is
 * started (as CI and a fresh machine have them); anything missing is named with the command that
 * installs it, and the demo stops.
 */
export async function ensureServices(p: {
  databaseUrl: string;
  redisUrl: string;
  say: (s: string) => void;
}): Promise<void> {
  const local = (url: string) => ['127.0.0.1', 'localhost', '::1'].includes(new URL(url).hostname);
  if (!(await postgresUp(p.databaseUrl))) {
    const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
    if (local(p.databaseUrl) && versions.length > 0) {
      p.say(`Postgres is stopped; starting the local cluster ${versions[0]}/main`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0]!, 'main', 'start'], {
        stdio: 'inherit',
      });
      for (let i = 0; i < 40 && !(await postgresUp(p.databaseUrl)); i++) await wait(250);
    }
    if (!(await postgresUp(p.databaseUrl))) {
      throw new Error(
        `Postgres is not reachable at ${p.databaseUrl}. Install and start it: ` +
          'apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ' +
          '(trust auth for user postgres on 127.0.0.1), or set DATABASE_URL.',
      );
    }
  }
  if (!(await redisUp(p.redisUrl))) {
    let hasServer = false;
    try {
      execFileSync('which', ['redis-server'], { stdio: 'ignore' });
      hasServer = true;
    } catch {
      hasServer = false;
    }
    if (local(p.redisUrl) && hasServer) {
      const port = new URL(p.redisUrl).port || '6379';
      p.say(`Redis is stopped; starting redis-server on port ${port}`);
      spawnSync(
        'redis-server',
        ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no'],
        {
          stdio: 'inherit',
        },
      );
      for (let i = 0; i < 40 && !(await redisUp(p.redisUrl)); i++) await wait(250);
    }
    if (!(await redisUp(p.redisUrl))) {
      throw new Error(
        `Redis is not reachable at ${p.redisUrl}. Install and start it: apt-get install -y redis-server && ` +
          'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no, or set REDIS_URL.',
      );
    }
  }
}
