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

/**
 * A primary and a streaming replica of the test's own (Debian's PostgreSQL on two free ports,
 * initdb'd into a temporary folder), made the way an operator makes one: `pg_basebackup -R`.
 * The shared server on 5432 is never touched.
 */
export async function startPgPair(): Promise<PgPair> {
  const dir = mkdtempSync(join(tmpdir(), 'lj-pgpair-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const primary = join(dir, 'primary');
  const replica = join(dir, 'replica');
  const [pPort, rPort] = [await freePort(), await freePort()];
  await asPostgres('initdb', ['-D', primary, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  appendFileSync(
    join(primary, 'postgresql.conf'),
    [
      `port = ${pPort}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'wal_level = replica',
      'max_wal_senders = 4',
      'fsync = off',
      'synchronous_commit = off',
      'shared_buffers = 64MB',
      '',
    ].join('\n'),
  );
  await asPostgres('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', 'start']);
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
  appendFileSync(join(replica, 'postgresql.conf'), `port = ${rPort}\nhot_standby = on\n`);
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
  return {
    primaryUrl: urlOf('primary', 'postgres'),
    replicaUrl: urlOf('replica', 'postgres'),
    urlOf,
    async caughtUp() {
      const target = (await one<{ lsn: string }>(
        urlOf('primary', 'postgres'),
        'select pg_current_wal_lsn()::text lsn',
      ))!.lsn;
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
      await asPostgres('pg_ctl', ['-D', primary, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
