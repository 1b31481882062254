import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;

type PgTx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Where a write may go: the pool-wide client, a drizzle transaction, or a drizzle client bound to
 * one pooled connection inside an explicit BEGIN (the range writer, which also needs COPY).
 */
export type Tx = Db | PgTx;

export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

// numeric (uint256, money) arrives as a string; bigint columns as strings too. drizzle's
// `mode: 'bigint'` columns parse them; leaving pg's defaults means no float ever touches money.
export function createDb(
  url: string,
  opts: {
    max?: number;
    applicationName?: string;
    /**
     * For processes that hold row locks across a network (the workers hold the cursor row for a
     * range's transaction): when their host vanishes without closing its sockets, Postgres must
     * notice and release the locks, or every other worker waits on them for the two hours of TCP's
     * default keepalive. Keepalive probes find a silent peer in ~11 s; a transaction left idle
     * longer than `idleInTransactionMs` is ended regardless.
     */
    releaseLocksOfVanishedClients?: { idleInTransactionMs: number };
    /** Server-side `statement_timeout` of every connection (ms); unset = Postgres's (none). */
    statementTimeoutMs?: number;
    /** Server-side `idle_in_transaction_session_timeout` (ms) without the keepalive settings. */
    idleInTransactionMs?: number;
    /** How long a caller waits for a free connection before the pool rejects (ms); unset = forever. */
    connectionTimeoutMs?: number;
    /**
     * `false`: no JIT compilation on this pool's connections. Postgres compiles a query once its
     * estimated cost passes `jit_above_cost`, and rollup reads over a few MB are estimated high
     * (nested EXISTS): at ≈ 9M events the silo index spent 445 ms of its 675 ms compiling, 148 ms
     * without. Pays off only for queries that run for seconds, which the web does not make.
     */
    jit?: boolean;
  } = {},
): DbHandle {
  const release = opts.releaseLocksOfVanishedClients;
  const serverOptions = [
    ...(release
      ? [
          '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 -c tcp_user_timeout=10000',
        ]
      : []),
    ...(opts.jit === false ? ['-c jit=off'] : []),
  ].join(' ');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'lianjian',
    ...(opts.statementTimeoutMs !== undefined ? { statement_timeout: opts.statementTimeoutMs } : {}),
    ...(opts.idleInTransactionMs !== undefined
      ? { idle_in_transaction_session_timeout: opts.idleInTransactionMs }
      : {}),
    ...(opts.connectionTimeoutMs !== undefined ? { connectionTimeoutMillis: opts.connectionTimeoutMs } : {}),
    ...(release
      ? {
          keepAlive: true,
          keepAliveInitialDelayMillis: 5_000,
          idle_in_transaction_session_timeout: release.idleInTransactionMs,
        }
      : {}),
    ...(serverOptions ? { options: serverOptions } : {}),
  });
  // A server connection that dies (restart, failover, pg_terminate_backend) must not crash the
  // process: pg-pool listens on idle clients only, so every client gets a listener of its own; the
  // query in flight fails and is retried by its caller, the next one reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
