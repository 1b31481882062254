import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { RuleSettings } from '../../domain/rules';
import * as schema from '../../db/schema';
import { writeFindings } from '../incidents/write-findings';
import { applyEvent } from '../projections/apply';
import { DerivedRows } from '../projections/derive';
import { ProjectionStore } from '../projections/store';
import { ACCESS_COLUMNS, CASE_COLUMNS, writeProjections, writeServiceItems } from '../projections/write';
import { writeRollups } from '../rollups/write';
import { evaluateEventRules } from '../rules';
import type { Finding } from '../state/types';
import { copyRows, isoTime } from './copy';
import type { FetchedRange } from './fetch-range';
import type { BlockHeader } from '../chain/reader';
import type { ChainEvent } from '../events/types';
import type { Tx } from '../db-types';

/**
 * Projection state kept in memory between ranges committed by this process. It is valid only
 * while the cursor is exactly where this process left it (same block and hash): any other
 * writer, rollback or reindex moves the cursor elsewhere and the state is loaded afresh.
 */
export interface StoreCache {
  store: ProjectionStore | null;
  toBlock: number;
  toHash: string | null;
}

/** Past this many rows the cache is dropped rather than grown. */
const STORE_CACHE_LIMIT = 300_000;

export type CommitOutcome =
  | { kind: 'committed'; events: number; incidents: number; timings: Record<string, number> }
  | { kind: 'already-done' }
  /** An earlier range has not committed yet: commit strictly in order. */
  | { kind: 'not-yet'; cursor: number }
  /** The cursor sits inside this range (ranges were cut differently): refetch from cursor+1. */
  | { kind: 'overlap'; cursor: number }
  /** The range's first block does not continue the stored chain. */
  | { kind: 'reorg'; cursor: number };

/**
 * Writes one fetched range in ONE transaction: block headers, raw events, typed accesses and
 * cases, projections, rollups and per-event incidents, then moves the cursor. The cursor row is
 * locked first, so of two workers holding the same range exactly one writes it; a retried job
 * finds the cursor past its range and writes nothing.
 */
export async function commitRange(
  pool: pg.Pool,
  chainId: number,
  range: FetchedRange,
  settings: RuleSettings,
  cache?: StoreCache,
): Promise<CommitOutcome> {
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    const cur = await client.query<{ indexed_block: string; indexed_hash: string | null }>(
      'SELECT indexed_block, indexed_hash FROM cursors WHERE chain_id = $1 FOR UPDATE',
      [chainId],
    );
    const row = cur.rows[0];
    if (!row) throw new Error(`no cursor for chain ${chainId}: run migrate/index first`);
    const cursor = Number(row.indexed_block);
    const outcome = (): CommitOutcome | null => {
      if (cursor >= range.toBlock) return { kind: 'already-done' };
      if (cursor < range.fromBlock - 1) return { kind: 'not-yet', cursor };
      if (cursor > range.fromBlock - 1) return { kind: 'overlap', cursor };
      const first = range.headers[0];
      if (
        row.indexed_hash &&
        first &&
        first.number === range.fromBlock &&
        first.parentHash !== row.indexed_hash
      ) {
        return { kind: 'reorg', cursor };
      }
      return null;
    };
    const early = outcome();
    if (early) {
      await client.query('ROLLBACK');
      return early;
    }

    const tx = drizzle(client, { schema });
    const timings: Record<string, number> = {};
    await writeBlocks(client, chainId, range.headers);
    const reusable =
      cache?.store && cache.toBlock === cursor && cache.toHash === row.indexed_hash ? cache.store : null;
    if (cache) cache.store = null; // until this commit succeeds
    const store = reusable ?? new ProjectionStore(chainId);
    store.clearDirty();
    const incidents = await writeEvents(client, tx, chainId, range.events, settings, true, {
      timings,
      store,
    });

    const last = range.headers[range.headers.length - 1]!;
    await client.query(
      'UPDATE cursors SET indexed_block = $2, indexed_hash = $3, updated_at = now() WHERE chain_id = $1',
      [chainId, range.toBlock, last.number === range.toBlock ? last.hash : null],
    );
    await client.query(
      `INSERT INTO indexed_ranges (chain_id, from_block, to_block, event_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (chain_id, from_block) DO UPDATE SET to_block = excluded.to_block,
         event_count = excluded.event_count, committed_at = now()`,
      [chainId, range.fromBlock, range.toBlock, range.events.length],
    );
    const commitStart = performance.now();
    await client.query('COMMIT');
    timings.commit = performance.now() - commitStart;
    if (cache && store.size() < STORE_CACHE_LIMIT) {
      cache.store = store;
      cache.toBlock = range.toBlock;
      cache.toHash = last.number === range.toBlock ? last.hash : null;
    }
    return { kind: 'committed', events: range.events.length, incidents, timings };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    // A connection that failed mid-transaction is not handed back to the pool.
    client.release(e instanceof Error ? e : true);
    released = true;
    throw e;
  } finally {
    if (!released) client.release();
  }
}

export async function writeBlocks(
  client: pg.PoolClient,
  chainId: number,
  headers: BlockHeader[],
): Promise<void> {
  await client.query(
    `INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp)
       SELECT $1, * FROM unnest($2::bigint[], $3::varchar[], $4::varchar[], $5::timestamptz[])
       ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash,
         timestamp = excluded.timestamp`,
    [
      chainId,
      headers.map((h) => h.number),
      headers.map((h) => h.hash),
      headers.map((h) => h.parentHash),
      headers.map((h) => isoTime(h.timestamp)),
    ],
  );
}

/**
 * Raw events, typed accesses and cases, projections, rollups and (withRules) per-event incidents
 * for events in chain order, inside the caller's transaction. Also the rebuild path (no rules).
 */
export async function writeEvents(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  events: ChainEvent[],
  settings: RuleSettings,
  withRules: boolean,
  opts: { skipRaw?: boolean; timings?: Record<string, number>; store?: ProjectionStore } = {},
): Promise<number> {
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    if (opts.timings) opts.timings[name] = (opts.timings[name] ?? 0) + (now - t);
    t = now;
  };
  const store = opts.store ?? new ProjectionStore(chainId);
  await store.loadFor(tx, events);
  lap('load');
  const derived = new DerivedRows();
  const findings: Finding[] = [];
  for (const ev of events) {
    if (withRules) for (const f of evaluateEventRules(ev, store, settings)) findings.push(f);
    derived.add(ev, store);
    applyEvent(store, ev);
  }
  lap('apply');

  if (!opts.skipRaw)
    await copyRows(
      client,
      'events',
      [
        'chain_id',
        'block_number',
        'log_index',
        'tx_hash',
        'tx_index',
        'block_time',
        'contract',
        'address',
        'event_name',
        'args',
      ],
      events.map((e) => [
        chainId,
        e.blockNumber,
        e.logIndex,
        e.txHash,
        e.txIndex,
        isoTime(e.blockTime),
        e.contract,
        e.address,
        e.eventName,
        JSON.stringify(e.args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      ]),
    );
  lap('raw');
  await copyRows(
    client,
    'accesses',
    ACCESS_COLUMNS,
    derived.accesses.map((a) => [
      chainId,
      a.blockNumber,
      a.logIndex,
      a.txHash,
      isoTime(a.blockTime),
      a.grantId,
      a.datasetId,
      a.accessor,
      a.owner,
      a.category,
      a.sensitivity,
      a.ownerRegion,
      a.accessorRegion,
      a.mode,
      a.purpose,
      a.recordCount,
      a.payloadHash,
    ]),
  );
  lap('accesses');
  // A case id is unique by design; a second CaseCompleted of one id keeps the first row.
  if (derived.cases.length > 0) {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS cases_stage (LIKE cases) ON COMMIT DELETE ROWS');
    await copyRows(
      client,
      'cases_stage',
      CASE_COLUMNS,
      derived.cases.map((c) => [
        chainId,
        c.caseId,
        c.org,
        c.regionCode,
        c.itemCode,
        c.channel,
        c.orgsInvolved,
        c.durationMinutes,
        c.blockNumber,
        isoTime(c.blockTime),
      ]),
    );
    await client.query('INSERT INTO cases SELECT * FROM cases_stage ON CONFLICT DO NOTHING');
  }
  lap('cases');
  await writeProjections(tx, store);
  await writeServiceItems(tx, chainId, derived);
  if (derived.grantAccesses.size > 0) {
    // Runs after the upsert above, so a grant created in this range already has its row.
    await client.query(
      `UPDATE grants g SET access_count = g.access_count + d.n
       FROM unnest($2::varchar[], $3::int[]) AS d(grant_id, n)
       WHERE g.chain_id = $1 AND g.grant_id = d.grant_id`,
      [chainId, [...derived.grantAccesses.keys()], [...derived.grantAccesses.values()]],
    );
  }
  lap('projections');
  await writeRollups(client, chainId, derived.rollups);
  lap('rollups');
  const created = withRules ? await writeFindings(tx, chainId, findings) : 0;
  lap('incidents');
  return created;
}
