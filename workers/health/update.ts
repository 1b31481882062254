import type pg from 'pg';
import type { BlockHeader } from '../chain/reader';

/**
 * Persists the figures /api/health and the chain page read: head, indexed block, lag in blocks
 * and seconds, events/s over the last minute, the chain's usual block interval, RPC last success.
 */
export async function updateHealth(
  pool: pg.Pool,
  p: {
    chainId: number;
    head: BlockHeader;
    rpcOkAt: number | null;
    failedJobs?: number;
    retriedJobs?: number;
    /**
     * What the cursor waits for while it is behind the head (null: caught up). `plannedFrom` is set
     * when this pass had to add the cursor's continuation range: adding the same one again means
     * the last one vanished without committing (Redis lost it, a worker died), a re-plan.
     */
    waiting?: { block: number; reason: string; plannedFrom: number | null } | null;
  },
): Promise<void> {
  await pool.query(
    `WITH cur AS (SELECT indexed_block, updated_at FROM cursors WHERE chain_id = $1),
          prev AS (SELECT continuation_from, replans, waiting_for_block FROM indexer_health WHERE chain_id = $1),
          rp AS (SELECT CASE WHEN $7::bigint IS NULL THEN 0
                             WHEN $9::bigint IS NULL THEN
                               CASE WHEN prev.waiting_for_block = $7::bigint THEN prev.replans ELSE 0 END
                             WHEN prev.continuation_from = $9::bigint THEN prev.replans + 1
                             ELSE 0 END AS n
                 FROM (SELECT 1) one LEFT JOIN prev ON true),
          idx AS (SELECT b.timestamp FROM blocks b, cur WHERE b.chain_id = $1 AND b.number <= cur.indexed_block
                  ORDER BY b.number DESC LIMIT 1),
          rate AS (SELECT coalesce(sum(event_count), 0) / 60.0 AS eps FROM indexed_ranges
                   WHERE chain_id = $1 AND committed_at > now() - interval '60 seconds'),
          recent AS (SELECT number, timestamp FROM blocks WHERE chain_id = $1 ORDER BY number DESC LIMIT 200),
          gaps AS (SELECT extract(epoch FROM timestamp - lag(timestamp) OVER (ORDER BY number))
                          / nullif(number - lag(number) OVER (ORDER BY number), 0) AS per_block FROM recent),
          interval_s AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY per_block) AS v FROM gaps
                         WHERE per_block IS NOT NULL AND per_block > 0)
     INSERT INTO indexer_health AS h (chain_id, head_block, head_time, indexed_block, indexed_time, lag_blocks,
                                      lag_seconds, events_per_second, block_interval_seconds, rpc_last_ok_at,
                                      failed_jobs, retried_jobs, cursor_moved_at, waiting_for_block,
                                      waiting_reason, continuation_from, replans, updated_at)
     SELECT $1, $2::bigint, to_timestamp($3), cur.indexed_block, (SELECT timestamp FROM idx),
            greatest($2::bigint - cur.indexed_block, 0),
            CASE WHEN cur.indexed_block >= $2::bigint THEN 0
                 ELSE greatest(extract(epoch FROM to_timestamp($3) - coalesce((SELECT timestamp FROM idx), to_timestamp($3))), 0) END,
            (SELECT eps FROM rate), (SELECT v FROM interval_s),
            CASE WHEN $4::double precision IS NULL THEN NULL ELSE to_timestamp($4::double precision / 1000) END,
            coalesce($5, 0), coalesce($6, 0), cur.updated_at, $7::bigint,
            CASE WHEN $7::bigint IS NULL THEN NULL
                 ELSE left($8::text || CASE WHEN rp.n > 0 THEN ', re-planned ' || rp.n || ' times' ELSE '' END, 300) END,
            coalesce($9::bigint, (SELECT continuation_from FROM prev)), rp.n, now()
     FROM cur, rp
     ON CONFLICT (chain_id) DO UPDATE SET head_block = excluded.head_block, head_time = excluded.head_time,
       indexed_block = excluded.indexed_block, indexed_time = excluded.indexed_time, lag_blocks = excluded.lag_blocks,
       lag_seconds = excluded.lag_seconds, events_per_second = excluded.events_per_second,
       block_interval_seconds = coalesce(excluded.block_interval_seconds, h.block_interval_seconds),
       rpc_last_ok_at = coalesce(excluded.rpc_last_ok_at, h.rpc_last_ok_at),
       failed_jobs = CASE WHEN $5::int IS NULL THEN h.failed_jobs ELSE excluded.failed_jobs END,
       retried_jobs = CASE WHEN $6::int IS NULL THEN h.retried_jobs ELSE excluded.retried_jobs END,
       cursor_moved_at = excluded.cursor_moved_at, waiting_for_block = excluded.waiting_for_block,
       waiting_reason = excluded.waiting_reason, continuation_from = excluded.continuation_from,
       replans = excluded.replans, updated_at = now()`,
    [
      p.chainId,
      p.head.number,
      p.head.timestamp,
      p.rpcOkAt,
      p.failedJobs ?? null,
      p.retriedJobs ?? null,
      p.waiting?.block ?? null,
      p.waiting?.reason ?? null,
      p.waiting?.plannedFrom ?? null,
    ],
  );
}
