/**
 * When /api/health says degraded or down. Chosen for a BFT consortium chain producing a block
 * every few seconds: 50 blocks or a minute behind means the indexer is not keeping up (dashboards
 * show stale figures) but still works; a minute without a successful RPC call means the node is
 * unreachable. Down is reserved for "the app cannot answer at all": no database, or no health
 * row yet (the indexer never ran).
 */
export const HEALTH_THRESHOLDS = {
  maxLagBlocks: 50,
  maxLagSeconds: 60,
  maxRpcSilenceSeconds: 60,
  /**
   * A read replica further behind than this shows dashboards older than the indexer's own lag
   * allows, so the app reports degraded (reads still work; the primary is unaffected).
   */
  maxReplicaLagSeconds: 30,
  /** Database and Redis pings: a load balancer needs an answer fast, not a hung check. */
  pingTimeoutMs: 1000,
} as const;
