import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/**
 * Appends one block to an indexed database the way an indexer commit changes what the dashboard
 * reads: in one transaction, a new block row, a copy of the newest block's DataAccessed (their
 * rows in accesses, new coordinates and payload hashes), their counts added to every rollup
 * the flows and overview read (flow_daily, flow_region_daily, flow_pair_monthly's running totals,
 * access_daily, events_daily), one more completed case per region of the newest cases in
 * adoption_daily, and the cursor and indexer_health moved to the new block and hash — so every
 * cached answer keyed by the cursor must be computed again.
 *
 * The block is one second after the newest one (same Shanghai day, so periods do not move).
 * A bench tool: it does not run rules, projections or checkpoints, and the rows it adds stay.
 */
const ACCESS_COLUMNS =
  'chain_id, block_number, log_index, tx_hash, block_time, grant_id, dataset_id, accessor, owner, category, sensitivity, owner_region, accessor_region, mode, purpose, record_count, payload_hash, tx_index, address_id';

export async function appendBlock(
  pool: pg.Pool,
  chainId: number,
): Promise<{ block: number; accesses: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: cur } = await client.query<{ b: string; h: string }>(
      'select indexed_block b, indexed_hash h from cursors where chain_id = $1 for update',
      [chainId],
    );
    const prev = Number(cur[0]!.b);
    const { rows: src } = await client.query<{ n: string; t: Date }>(
      `select block_number n, block_time t from accesses where chain_id = $1
        order by block_number desc limit 1`,
      [chainId],
    );
    const from = Number(src[0]!.n);
    const block = prev + 1;
    const hash = `0x${randomBytes(32).toString('hex')}`;
    const { rows: tr } = await client.query<{ t: Date }>(
      `select max(timestamp) + interval '1 second' t from blocks where chain_id = $1`,
      [chainId],
    );
    const time = tr[0]!.t;
    await client.query(
      `insert into blocks (chain_id, number, hash, parent_hash, timestamp) values ($1, $2, $3, $4, $5)`,
      [chainId, block, hash, cur[0]!.h ?? hash, time],
    );
    // The copied accesses, at most 500 (a busy block), with fresh payload hashes.
    await client.query(
      `create temp table appended on commit drop as
        select chain_id, $2::bigint block_number, log_index, tx_hash, $3::timestamptz block_time,
               grant_id, dataset_id, accessor, owner, category, sensitivity, owner_region,
               accessor_region, mode, purpose, record_count,
               '0x' || md5(random()::text) || md5(random()::text) payload_hash, tx_index, address_id
          from accesses where chain_id = $1 and block_number = $4
          order by log_index limit 500`,
      [chainId, block, time, from],
    );
    await client.query(`insert into accesses (${ACCESS_COLUMNS}) select ${ACCESS_COLUMNS} from appended`);
    const day = `to_char($2::timestamptz at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
    await client.query(
      `insert into flow_daily (chain_id, day, owner_org, accessor_org, category, sensitivity, mode,
                               owner_region, accessor_region, accesses, records)
       select $1, ${day}, coalesce(owner, '0x0000000000000000000000000000000000000000'), accessor,
              category, sensitivity, mode, max(owner_region), max(accessor_region), count(*),
              sum(record_count)
         from appended group by 3, 4, 5, 6, 7
       on conflict (chain_id, day, owner_org, accessor_org, category, sensitivity, mode) do update
         set accesses = flow_daily.accesses + excluded.accesses,
             records = flow_daily.records + excluded.records`,
      [chainId, time],
    );
    await client.query(
      `insert into flow_region_daily (chain_id, day, owner_region, accessor_region, mode, accesses, records)
       select $1, ${day}, owner_region, accessor_region, mode, count(*), sum(record_count)
         from appended group by 3, 4, 5
       on conflict on constraint flow_region_daily_pk do update
         set accesses = flow_region_daily.accesses + excluded.accesses,
             records = flow_region_daily.records + excluded.records`,
      [chainId, time],
    );
    await client.query(
      `insert into access_daily (chain_id, day, accessor, dataset_id, accesses, records)
       select $1, ${day}, accessor, dataset_id, count(*), sum(record_count) from appended group by 3, 4
       on conflict (chain_id, accessor, dataset_id, day) do update
         set accesses = access_daily.accesses + excluded.accesses,
             records = access_daily.records + excluded.records`,
      [chainId, time],
    );
    await client.query(
      `insert into events_daily (chain_id, day, event_name, count)
       select $1, ${day}, 'DataAccessed', count(*) from appended
       on conflict (chain_id, day, event_name) do update set count = events_daily.count + excluded.count`,
      [chainId, time],
    );
    // Running totals from the block's day to the month's end, for pairs that exist this month
    // (a copied access's pair has a row: its source block is of the same day).
    await client.query(
      `with d as (select extract(day from $2::timestamptz at time zone 'Asia/Shanghai')::int d,
                         to_char($2::timestamptz at time zone 'Asia/Shanghai', 'YYYY-MM') m),
            p as (select coalesce(owner, '0x0000000000000000000000000000000000000000') o, accessor a,
                         owner_region, accessor_region, count(*) n, sum(record_count) r
                    from appended group by 1, 2, 3, 4)
       update flow_pair_monthly f
          set accesses_cum = (select array_agg(case when i >= d.d then v + p.n else v end order by i)
                                from unnest(f.accesses_cum) with ordinality u(v, i)),
              records_cum = (select array_agg(case when i >= d.d then v + p.r else v end order by i)
                               from unnest(f.records_cum) with ordinality u(v, i)),
              day_mask = f.day_mask | (1 << (d.d - 1))
         from p, d
        where f.chain_id = $1 and f.month = d.m and f.owner_org = p.o and f.accessor_org = p.a
          and f.owner_region = p.owner_region and f.accessor_region = p.accessor_region`,
      [chainId, time],
    );
    await client.query(
      `update adoption_daily set cases_total = cases_total + 1, cases_web = cases_web + 1
        where chain_id = $1 and day = ${day}`,
      [chainId, time],
    );
    const { rows: n } = await client.query<{ n: string }>('select count(*) n from appended');
    await client.query(
      `update cursors set indexed_block = $2, indexed_hash = $3, updated_at = now() where chain_id = $1`,
      [chainId, block, hash],
    );
    await client.query(
      `update indexer_health set indexed_block = $2, head_block = greatest(head_block, $2),
              indexed_time = $3, updated_at = now(), cursor_moved_at = now()
        where chain_id = $1`,
      [chainId, block, time],
    );
    await client.query('commit');
    return { block, accesses: Number(n[0]!.n) };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
