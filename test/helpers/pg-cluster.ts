import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './anvil';
import { waitFor } from './wait';

const run = promisify(execFile);

export interface PgPair {
  /** Base URLs (database `postgres`) of the primary and of its streaming replica. */
  primaryUrl: string;
  replicaUrl: string;
  /** URL of database `name` on the primary or the replica. */
  urlOf(which: 'primary' | 'replica', name: string): string;
  /**
   * Writes out the primary's WAL of every commit made so far: it commits asynchronously, so
   * pg_current_wal_lsn() may not cover its last commits until this (or its WAL writer) runs.
   */
  flushWal(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error("Debian's PostgreSQL server binaries are not installed");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** Postgres refuses to run as root: as root (CI), run its tools as the `postgres` user. */
async function asPostgres(cmd: string, args: string[]): Promise<void> {
  const full = join(binDir(), cmd);
  const isRoot = process.getuid?.() === 0;
  await run(isRoot ? 'runuser' : full, isRoot ? ['-u', 'postgres', '--', full, ...args] : args, {
    timeout: 120_000,
  });
}

export interface OwnPostgres {
  dir: string;
  port: number;
  /** URL of database `name` (default `postgres`) over 127.0.0.1. */
  url(name?: string): string;
  stop(): Promise<void>;
}

async function ownedTempDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  return dir;
}

/**
 * A PostgreSQL server of the test's own (Debian's binaries, initdb'd into a temporary folder, on a
 * free port), so a test can replicate it, expose it to network namespaces or stop it without
 * touching the shared server on 5432. `listen` adds addresses beside 127.0.0.1 and `trust` the
 * networks allowed in without a password (test hosts only).
 */
export async function startOwnPostgres(
  opts: { listen?: string[]; trust?: string[]; wal?: boolean } = {},
): Promise<OwnPostgres> {
  const dir = await ownedTempDir('lj-pg-');
  const data = join(dir, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '${['127.0.0.1', ...(opts.listen ?? [])].join(',')}'`,
      `unix_socket_directories = '${dir}'`,
      'wal_level = replica',
      'max_wal_senders = 4',
      'max_connections = 200',
      'fsync = off',
      'synchronous_commit = off',
      'shared_buffers = 64MB',
      '',
    ].join('\n'),
  );
  for (const net of opts.trust ?? [])
    appendFileSync(join(data, 'pg_hba.conf'), `host all all ${net} trust\n`);
  await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', 'start']);
  return {
    dir,
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A primary and a streaming replica of the test's own, the replica made the way an operator
 * makes one: `pg_basebackup -R`.
 */
export async function startPgPair(): Promise<PgPair> {
  const primary = await startOwnPostgres();
  const dir = await ownedTempDir('lj-replica-');
  const replica = join(dir, 'data');
  const pPort = primary.port;
  const rPort = await freePort();
  await asPostgres('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(pPort),
    '-U',
    'postgres',
    '-D',
    replica,
    '-R',
    '-X',
    'stream',
  ]);
  appendFileSync(
    join(replica, 'postgresql.conf'),
    `port = ${rPort}\nhot_standby = on\nunix_socket_directories = '${dir}'\n`,
  );
  await asPostgres('pg_ctl', ['-D', replica, '-l', join(dir, 'replica.log'), '-w', 'start']);

  const urlOf = (which: 'primary' | 'replica', name: string) =>
    `postgres://postgres@127.0.0.1:${which === 'primary' ? pPort : rPort}/${name}`;
  const one = async <T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(text, params)).rows[0];
    } finally {
      await c.end();
    }
  };
  await waitFor(
    'replica streaming',
    async () =>
      (
        await one<{ n: number }>(
          urlOf('primary', 'postgres'),
          'select count(*)::int n from pg_stat_replication',
        )
      )?.n === 1,
    30_000,
  );
  /**
   * The primary commits asynchronously (synchronous_commit = off): its last commits may still sit
   * in its WAL buffers, past pg_current_wal_lsn() (what has been written) and not yet sent, and a
   * replica found past that position may not show them yet (seen: 150 of 200 inserts; and a lag of
   * 0 bytes reported while the replica stood still). A synchronous commit that wrote WAL (a
   * temporary table's catalog rows; an xid alone writes none and commits asynchronously) flushes
   * everything before it; returns the write position after it, which covers every commit so far.
   */
  const flushPrimaryWal = async (): Promise<string> => {
    const c = new pg.Client({ connectionString: urlOf('primary', 'postgres') });
    await c.connect();
    try {
      await c.query('begin');
      await c.query('set local synchronous_commit = on');
      await c.query('create temp table caught_up_flush (n int) on commit drop');
      await c.query('commit');
      return (await c.query<{ lsn: string }>('select pg_current_wal_lsn()::text lsn')).rows[0]!.lsn;
    } finally {
      await c.end();
    }
  };
  return {
    primaryUrl: urlOf('primary', 'postgres'),
    replicaUrl: urlOf('replica', 'postgres'),
    urlOf,
    async flushWal() {
      await flushPrimaryWal();
    },
    async caughtUp() {
      const target = await flushPrimaryWal();
      await waitFor(
        'replica caught up',
        async () =>
          (
            await one<{ ok: boolean }>(
              urlOf('replica', 'postgres'),
              'select pg_last_wal_replay_lsn() >= $1::pg_lsn ok',
              [target],
            )
          )?.ok,
        30_000,
      );
    },
    async close() {
      await asPostgres('pg_ctl', ['-D', replica, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      await primary.stop();
    },
  };
}
