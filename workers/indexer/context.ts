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

/**
 * Connects the parts an indexer needs and checks they agree: the node's chain id must be the
 * deployment file's, the schema is migrated, and the cursor row exists.
 */
export async function createIndexerContext(
  env: WorkerEnv,
  opts: { poolSize?: number } = {},
): Promise<IndexerContext> {
  const deployment = readDeployment(env.DEPLOYMENT_FILE);
  const addresses = CONTRACT_NAMES.map((n) => deployment.contracts[n].address);
  const rpcOk = { at: 0 };
  const reader = createChainReader({
    rpcUrl: env.CHAIN_RPC_URL,
    addresses,
    topics: EVENT_NAMES.map((n) => EVENT_TOPICS[n]),
    onSuccess: () => (rpcOk.at = Date.now()),
  });
  // The node's chain id and the schema are independent: checked side by side, start-up waits
  // for the slower of the two round trips, not their sum.
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
  const migrated = migrateDatabase(migrationUrl(env));
  migrated.catch(() => {}); // awaited below; a chain error is reported first
  const chainId = await checkChain();
  await migrated;
  const dbh = createDb(env.DATABASE_URL, {
    max: opts.poolSize ?? 6,
    applicationName: 'lianjian-indexer',
    // A range transaction never waits on its client for long: a minute idle means the client is gone.
    releaseLocksOfVanishedClients: { idleInTransactionMs: 60_000 },
  });
  const startBlock = deploymentStartBlock(deployment);
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
  ]);
  return {
    chainId,
    deployment,
    startBlock,
    confirmations: env.CONFIRMATIONS,
    reader,
    dbh,
    contractsByAddress: new Map(CONTRACT_NAMES.map((n) => [deployment.contracts[n].address, n])),
    settings,
    rpcOk,
    storeCache: { store: null, toBlock: -1, toHash: null },
  };
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
