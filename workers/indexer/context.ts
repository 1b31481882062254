import pg from 'pg';
import { redactUrl } from '../../domain/redact';
import { readDeployment, deploymentStartBlock, type Deployment } from '../../chain/deployment';
import { createDb, type DbHandle } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { CONTRACT_NAMES, EVENT_NAMES, type ContractName } from '../../domain/events';
import type { RuleSettings } from '../../domain/rules';
import { createChainReader, type ChainReader } from '../chain/reader';
import { EVENT_TOPICS } from '../events/topics';
import { migrationUrl, type WorkerEnv } from '../env';
import { loadRuleSettings } from '../rules/settings';
import type { StoreCache } from './store-cache';

export interface IndexerContext {
  chainId: number;
  deployment: Deployment;
  startBlock: number;
  confirmations: number;
  reader: ChainReader;
  dbh: DbHandle;
  contractsByAddress: Map<string, ContractName>;
  settings: RuleSettings;
  /** Marks the RPC as answering, for the persisted health figures. */
  rpcOk: { at: number };
  /** Projection state carried from one committed range to the next (see StoreCache). */
  storeCache: StoreCache;
}

/** The part of a context that reads the chain: usable before the schema is migrated. */
export type ChainSide = Pick<
  IndexerContext,
  'chainId' | 'deployment' | 'startBlock' | 'confirmations' | 'reader' | 'contractsByAddress'
>;

/**
 * A context whose schema may still be being migrated: its chain side is checked and usable at
 * once, so a backfill can read its first ranges meanwhile (syncToHead); the database side comes
 * with `ready`.
 */
export interface OpeningContext {
  chain: ChainSide;
  /**
   * The cursor the database held before migrating — the deployment's start − 1 when it has no
   * schema yet — or null when that could not be read (then nothing is read ahead).
   */
  cursorBefore: number | null;
  ready: Promise<IndexerContext>;
}

/**
 * Connects the parts an indexer needs and checks they agree: the node's chain id must be the
 * deployment file's, the schema is migrated, and the cursor row exists.
 */
export async function createIndexerContext(
  env: WorkerEnv,
  opts: { poolSize?: number } = {},
): Promise<IndexerContext> {
  // Nothing reads ahead of a context awaited whole: no cursor to peek at.
  const opening = await openIndexerContext(env, { ...opts, peekCursor: false });
  return opening.ready;
}

/**
 * As createIndexerContext, but returns once the chain is checked: migrating a new database's
 * schema (≈ 0.5 s of Postgres DDL) then overlaps the first chain reads instead of preceding them.
 */
export async function openIndexerContext(
  env: WorkerEnv,
  opts: { poolSize?: number; peekCursor?: boolean } = {},
): Promise<OpeningContext> {
  const deployment = readDeployment(env.DEPLOYMENT_FILE);
  const addresses = CONTRACT_NAMES.map((n) => deployment.contracts[n].address);
  const rpcOk = { at: 0 };
  const reader = createChainReader({
    rpcUrl: env.CHAIN_RPC_URL,
    addresses,
    topics: EVENT_NAMES.map((n) => EVENT_TOPICS[n]),
    onSuccess: () => (rpcOk.at = Date.now()),
  });
  // The node's chain id, the schema and the stored cursor are independent: checked side by side,
  // start-up waits for the slowest round trip, not their sum.
  const checkChain = async (): Promise<number> => {
    let chainId: number | undefined;
    // A node that fails a call or two at start-up (a restart, a proxy's 503) is not yet "unreachable".
    for (let attempt = 1; chainId === undefined; attempt++) {
      try {
        chainId = await reader.getChainId();
      } catch (e) {
        if (attempt < 5) {
          await new Promise((r) => setTimeout(r, 300 * attempt));
          continue;
        }
        throw new Error(
          `cannot reach the chain at ${redactUrl(env.CHAIN_RPC_URL)}: ${(e as Error).message.split('\n')[0]}`,
        );
      }
    }
    if (chainId !== deployment.chainId) {
      throw new Error(
        `${env.DEPLOYMENT_FILE} is for chain ${deployment.chainId} but ${redactUrl(env.CHAIN_RPC_URL)} serves chain ${chainId}`,
      );
    }
    return chainId;
  };
  const startBlock = deploymentStartBlock(deployment);
  const migrated = migrateDatabase(migrationUrl(env));
  migrated.catch(() => {}); // awaited in `ready`; a chain error is reported first
  const before =
    opts.peekCursor === false ? null : peekCursor(env.DATABASE_URL, deployment.chainId, startBlock);
  const chainId = await checkChain();
  const chain: ChainSide = {
    chainId,
    deployment,
    startBlock,
    confirmations: env.CONFIRMATIONS,
    reader,
    contractsByAddress: new Map(CONTRACT_NAMES.map((n) => [deployment.contracts[n].address, n])),
  };
  const ready = (async (): Promise<IndexerContext> => {
    await migrated;
    const dbh = createDb(env.DATABASE_URL, {
      max: opts.poolSize ?? 6,
      applicationName: 'lianjian-indexer',
      // A range transaction never waits on its client for long: a minute idle means the client is gone.
      releaseLocksOfVanishedClients: { idleInTransactionMs: 60_000 },
    });
    // One round trip for both rows, the rule settings read beside it.
    const [, settings] = await Promise.all([
      dbh.pool.query(
        `WITH c AS (
           INSERT INTO cursors (chain_id, indexed_block, indexed_hash) VALUES ($1, $2, NULL) ON CONFLICT DO NOTHING
         )
         INSERT INTO indexer_health (chain_id, head_block, indexed_block, lag_blocks, lag_seconds)
         VALUES ($1, 0, $2, 0, 0) ON CONFLICT DO NOTHING`,
        [chainId, startBlock - 1],
      ),
      loadRuleSettings(dbh.db),
    ]).catch(async (e: unknown) => {
      await dbh.close();
      throw e;
    });
    return {
      ...chain,
      dbh,
      settings,
      rpcOk,
      storeCache: { store: null, toBlock: -1, toHash: null },
    };
  })();
  ready.catch(() => {}); // the caller awaits it
  return { chain, cursorBefore: await before, ready };
}

/**
 * The stored cursor, read before the schema is migrated (on its own connection, beside the
 * migration's): a database without the table yet starts at the deployment's start. Anything
 * else unreadable is null, and the migration reports what is wrong.
 */
async function peekCursor(url: string, chainId: number, startBlock: number): Promise<number | null> {
  // A migration altering the table holds it locked: then nothing is read ahead, rather than waiting.
  const client = new pg.Client({ connectionString: url, lock_timeout: 100 });
  try {
    await client.connect();
    const { rows } = await client.query<{ indexed_block: string }>(
      'SELECT indexed_block FROM cursors WHERE chain_id = $1',
      [chainId],
    );
    return rows[0] ? Number(rows[0].indexed_block) : startBlock - 1;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // 42P01: no cursors table yet; 3D000: no database yet (the migration creates it).
    return code === '42P01' || code === '3D000' ? startBlock - 1 : null;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function readCursor(ctx: IndexerContext): Promise<{ block: number; hash: string | null }> {
  const { rows } = await ctx.dbh.pool.query<{ indexed_block: string; indexed_hash: string | null }>(
    'SELECT indexed_block, indexed_hash FROM cursors WHERE chain_id = $1',
    [ctx.chainId],
  );
  const r = rows[0];
  if (!r) throw new Error(`no cursor for chain ${ctx.chainId}`);
  return { block: Number(r.indexed_block), hash: r.indexed_hash };
}
