/**
 * The ≈ 9M-event dashboard database, made from an indexed `medium` chain (≈ 1M events) in SQL,
 * because simulating and indexing the `large` scale costs far more machine time than a bench
 * should (timed here on the shared 2-core machine: medium took 107 s to simulate and 499 s to
 * index; large is 10× the events on a longer chain, i.e. well over an hour).
 *
 *   npx tsx bench/dashboard-scale-up.ts            # medium → lianjian_bench_dash9m, then × 9
 *   BENCH_DASHBOARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianjian_bench_dash9m \
 *     npm run bench -- --only=dashboard-http
 *
 * What the scaling does, in one transaction per table (`scaleUp`):
 * - Raw and typed rows ×9: `events`, `accesses` and `cases` get 8 copies of every row in the same
 *   block at the same time, log index + k·1,000,000 (k = 1…8), so coordinates stay unique and
 *   every period, partition and "latest" read sees nine times the rows. Copies of accesses name
 *   org copies (below) as accessor and owner, with new payload hashes; case ids are new
 *   (two md5s of id and copy). `blocks` keeps its 2.9k rows (the large scale caps its chain at 6k blocks: the same
 *   order).
 * - Org-keyed rollups get the distinct keys the large scale has (its schema notes: ≈ 12.5k
 *   `flow_daily` rows a day, ≈ 6k org pairs a month; medium has ≈ 2.2k and ≈ 1.6k): 5 copies of
 *   every org (address with first byte a1…a5, b1…b5 where it began with a; same region and kind, name suffixed) and of every
 *   `flow_daily`, `flow_pair_monthly` and `access_daily` row under the copied orgs, each of the
 *   6 rows of a key holding 1.5× the medium counts (so totals are ≈ 9×): flow_daily ≈ 13k rows a
 *   day, flow_pair_monthly ≈ 9.4k rows a month.
 * - Region-keyed rollups (`flow_region_daily`, `adoption_daily`, `events_daily`) keep their keys
 *   (regions do not grow with events) and get 9× the counts.
 * - Incidents, projections other than orgs, and blocks are left as medium indexed them.
 * Then ANALYZE.
 */
import pg from 'pg';
import { ADMIN_DB } from './bench-db';
import { buildIndexedDataset } from './dashboard-dataset';

/** Org copy `s` (1–5) of an address: first byte a1…a5 (b1…b5 for an address starting with a). */
const SHIFT = (col: string, s: string) =>
  `'0x' || to_hex(case when substr(${col}, 3, 1) = 'a' then 176 else 160 end + ${s}) || substr(${col}, 5)`;

export async function scaleUp(url: string, log: (s: string) => void = () => {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A run stopped part-way resumes at a step (`--from=cases`): each step is its own transaction.
  const from = process.argv.find((a) => a.startsWith('--from='))?.slice('--from='.length);
  let skipping = from !== undefined;
  const step = async (name: string, q: string) => {
    if (skipping && name !== from) return;
    skipping = false;
    const t = performance.now();
    const r = await client.query(q);
    log(`${name}: ${r.rowCount ?? 0} rows, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  try {
    await client.query('set maintenance_work_mem = 512000; set work_mem = 65536');
    // Raw copy k uses org copy ((k − 1) mod 5) + 1.
    const s = '((k - 1) % 5 + 1)';
    await step(
      'events',
      `insert into events (chain_id, block_number, log_index, tx_hash, tx_index, block_time, contract,
                           address, event_name, args)
       select chain_id, block_number, log_index + k * 1000000, tx_hash, tx_index, block_time,
              contract, address, event_name, args
         from events, generate_series(1, 8) k`,
    );
    await step(
      'accesses',
      `insert into accesses (chain_id, block_number, log_index, tx_hash, block_time, grant_id, dataset_id,
                             accessor, owner, category, sensitivity, owner_region, accessor_region, mode,
                             purpose, record_count, payload_hash, tx_index, address_id)
       select chain_id, block_number, log_index + k * 1000000, tx_hash, block_time, grant_id, dataset_id,
              ${SHIFT('accessor', s)}, case when owner is null then null else ${SHIFT('owner', s)} end,
              category, sensitivity, owner_region, accessor_region, mode, purpose, record_count,
              '0x' || to_hex(240 + k) || substr(payload_hash, 5), tx_index, address_id
         from accesses, generate_series(1, 8) k`,
    );
    await step(
      'cases',
      `insert into cases (chain_id, case_id, org, region_code, item_code, channel, orgs_involved,
                          duration_minutes, block_number, block_time)
       select chain_id, '0x' || md5(case_id || k) || md5(k || case_id), ${SHIFT('org', s)}, region_code,
              item_code, channel, orgs_involved, duration_minutes, block_number, block_time
         from cases, generate_series(1, 8) k`,
    );
    await step(
      'orgs',
      `insert into orgs (chain_id, address, org_code, region_code, kind, name, active, registered_block,
                         registered_at, registered_log_index, registered_tx, deactivated_block,
                         deactivated_log_index, deactivated_tx, last_block)
       select chain_id, ${SHIFT('address', 'k')}, org_code, region_code, kind,
              name || '·' || k, active, registered_block, registered_at, registered_log_index + k * 1000000,
              registered_tx, deactivated_block, deactivated_log_index, deactivated_tx, last_block
         from orgs, generate_series(1, 5) k`,
    );
    const half = (c: string) => `(${c} * 3 + 1) / 2`;
    const halfEach = (c: string) =>
      `(select array_agg(${half('v')} order by i) from unnest(${c}) with ordinality u(v, i))`;
    // An org-pair rollup row and its org copies 1–5 (k = 0 is the row itself); `keys` are the
    // columns between the pair and the counts, which are `counts` of the row.
    const pairCopies = (table: string, time: string, keys: string, counts: string) =>
      `with src as (delete from ${table} returning *)
       insert into ${table}
       select chain_id, ${time},
              case when k = 0 then owner_org else ${SHIFT('owner_org', 'k')} end,
              case when k = 0 then accessor_org else ${SHIFT('accessor_org', 'k')} end,
              ${keys},
              ${counts}
         from src, generate_series(0, 5) k`;
    await step(
      'flow_daily',
      pairCopies(
        'flow_daily',
        'day',
        'category, sensitivity, mode, owner_region, accessor_region',
        `${half('accesses')}, ${half('records')}`,
      ),
    );
    await step(
      'flow_pair_monthly',
      pairCopies(
        'flow_pair_monthly',
        'month',
        'owner_region, accessor_region, day_mask',
        `${halfEach('accesses_cum')}, ${halfEach('records_cum')}`,
      ),
    );
    await step(
      'access_daily',
      `with src as (delete from access_daily returning *)
       insert into access_daily
       select chain_id, day, case when k = 0 then accessor else ${SHIFT('accessor', 'k')} end, dataset_id,
              ${half('accesses')}, ${half('records')}
         from src, generate_series(0, 5) k`,
    );
    await step(
      'flow_region_daily',
      'update flow_region_daily set accesses = accesses * 9, records = records * 9',
    );
    await step(
      'adoption_daily',
      `update adoption_daily set cases_total = cases_total * 9, cases_window = cases_window * 9,
              cases_web = cases_web * 9, cases_mobile = cases_mobile * 9, joint_cases = joint_cases * 9,
              duration_minutes_total = duration_minutes_total * 9`,
    );
    await step('events_daily', 'update events_daily set count = count * 9');
    await step('analyze', 'analyze');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const name = 'lianjian_bench_dash9m';
  const url = new URL(ADMIN_DB);
  url.pathname = `/${name}`;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (!process.argv.includes('--scale-only')) {
    const built = await buildIndexedDataset({ scale: 'medium', name });
    log(`medium: ${built.events} events; simulate ${built.simulateSeconds} s, index ${built.indexSeconds} s`);
  }
  await scaleUp(url.toString(), log);
}

if (process.argv[1]?.endsWith('dashboard-scale-up.ts')) void main();
