import { sql } from 'drizzle-orm';
import type { DbOrTx, StoredFinding } from './types';

/** Findings per statement: one JSON parameter each, well under Postgres' and pg's limits. */
const CHUNK = 5_000;

interface IdRow extends Record<string, unknown> {
  id: number;
  rule: string;
  finding_key: string;
}

const idOf = (rule: string, key: string) => `${rule}\u0000${key}`;

/**
 * Highest block among the evidence: a reorg at or below it removes the incident. A finding that
 * rests on no event (live CHAIN_STALLED) uses its anchor block.
 */
export function evidenceBlockOf(f: StoredFinding): number {
  let max = f.anchorBlock ?? 0;
  for (const e of f.evidence) if (e.blockNumber > max) max = e.blockNumber;
  return max;
}

/**
 * Writes findings as incidents: `ON CONFLICT (chain_id, rule, finding_key) DO NOTHING`, so
 * re-running detection over the same events never makes a second incident, and evidence rows for
 * the incidents this call created. Returns how many incidents it created.
 *
 * Findings of one key keep the first one given (the indexer passes them in chain order, so the
 * second reimbursement, not the third, is a duplicate's incident). Rows go in sorted by (rule, key)
 * so concurrent writers take the unique index's locks in one order and cannot deadlock.
 *
 * `appendEvidence` also adds missing evidence to incidents that already existed and raises their
 * evidence block: a VOLUME_SPIKE found mid-day gains the day's later accesses on the next run.
 */
export async function writeFindings(
  tx: DbOrTx,
  chainId: number,
  findings: readonly StoredFinding[],
  opts: { appendEvidence?: boolean } = {},
): Promise<number> {
  const unique = new Map<string, StoredFinding>();
  for (const f of findings) if (!unique.has(idOf(f.rule, f.key))) unique.set(idOf(f.rule, f.key), f);
  const sorted = [...unique.values()].sort((a, b) =>
    a.rule === b.rule ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.rule < b.rule ? -1 : 1,
  );
  let created = 0;
  for (let i = 0; i < sorted.length; i += CHUNK) {
    created += await writeChunk(tx, chainId, sorted.slice(i, i + CHUNK), opts.appendEvidence ?? false);
  }
  return created;
}

async function writeChunk(
  tx: DbOrTx,
  chainId: number,
  chunk: StoredFinding[],
  appendEvidence: boolean,
): Promise<number> {
  const rows = chunk.map((f) => ({
    rule: f.rule,
    key: f.key,
    severity: f.severity,
    region: f.regionCode,
    org: f.orgAddress?.toLowerCase() ?? null,
    summary: f.summary,
    facts: f.facts ?? null,
    eb: evidenceBlockOf(f),
    occurred: new Date(f.occurredAt * 1000).toISOString(),
  }));
  // One JSON parameter per statement: drizzle expands JS arrays into parameter lists, and a few
  // thousand findings × 8 columns would pass Postgres' 65,535-parameter limit.
  const inserted = await tx.execute<IdRow>(sql`
    insert into incidents (chain_id, rule, finding_key, severity, region_code, org_address, summary, facts, evidence_block, occurred_at)
    select ${chainId}, x.rule, x.key, x.severity, x.region, x.org, x.summary, x.facts, x.eb, x.occurred
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(rule text, key text, severity text, region int, org text, summary text, facts jsonb, eb bigint, occurred timestamptz)
    on conflict (chain_id, rule, finding_key) do nothing
    returning id, rule, finding_key
  `);
  const ids = new Map<string, number>();
  for (const r of inserted.rows) ids.set(idOf(r.rule, r.finding_key), r.id);
  const created = ids.size;
  /** Of an existing incident whose evidence grew: the block its stored evidence reached. */
  const evidenceAfter = new Map<number, number>();

  if (appendEvidence && created < chunk.length) {
    const existing = rows
      .filter((r) => !ids.has(idOf(r.rule, r.key)))
      .map(({ rule, key, summary, facts, eb, occurred }) => ({ rule, key, summary, facts, eb, occurred }));
    // Only an incident whose evidence reaches a newer block can have gained any: evidence is
    // appended at the chain's tip (a reorg below it removes the incident instead). Its summary,
    // facts and time follow: a spike found mid-day then reads as the day grew, not as first seen.
    const raised = await tx.execute<IdRow & { prev_block: string }>(sql`
      with x as (
        select * from json_to_recordset(${JSON.stringify(existing)}::json)
          as x(rule text, key text, summary text, facts jsonb, eb bigint, occurred timestamptz)
      ),
      grown as (
        select i.id, i.evidence_block as prev_block, x.eb, x.summary, x.facts, x.occurred from incidents i
        join x on i.chain_id = ${chainId} and i.rule = x.rule and i.finding_key = x.key
        where x.eb > i.evidence_block
      )
      update incidents i
      set evidence_block = g.eb, summary = g.summary, facts = coalesce(g.facts, i.facts),
          occurred_at = greatest(i.occurred_at, g.occurred)
      from grown g where i.id = g.id
      returning i.id, i.rule, i.finding_key, g.prev_block
    `);
    for (const r of raised.rows) {
      ids.set(idOf(r.rule, r.finding_key), r.id);
      evidenceAfter.set(r.id, Number(r.prev_block));
    }
  }

  const evidence: { id: number; b: number; l: number; tx: string; at: string }[] = [];
  for (const f of chunk) {
    const id = ids.get(idOf(f.rule, f.key));
    if (id === undefined) continue;
    const at = new Date(f.occurredAt * 1000).toISOString();
    for (const e of f.evidence)
      evidence.push({ id, b: e.blockNumber, l: e.logIndex, tx: e.txHash.toLowerCase(), at });
  }
  const accessDays: {
    id: number;
    accessor: string;
    dataset: string;
    day: string;
    after: number;
    upto: number;
  }[] = [];
  for (const f of chunk) {
    const id = ids.get(idOf(f.rule, f.key));
    const d = f.evidenceOfAccessDay;
    if (id === undefined || !d) continue;
    accessDays.push({
      id,
      accessor: d.accessor,
      dataset: d.datasetId,
      day: d.day,
      after: evidenceAfter.get(id) ?? -1,
      upto: evidenceBlockOf(f),
    });
  }
  if (accessDays.length > 0) {
    // Set-based inside Postgres: the day's accesses never travel through this process. An
    // evidence row's key holds the access's own block time, so a row stored before conflicts.
    // Evidence stops at the incident's evidence block, so a range committed since the finding was
    // made never adds rows that a rollback to below it would leave behind; an incident seen again
    // reads on from its stored evidence's newest access (block times only grow), not from the
    // start of its day, so a spike followed through its day costs each access once.
    await tx.execute(sql`
      insert into incident_evidence (incident_id, chain_id, block_number, log_index, tx_hash, block_time)
      select x.id, ${chainId}, a.block_number, a.log_index, a.tx_hash, a.block_time
      from json_to_recordset(${JSON.stringify(accessDays)}::json)
        as x(id int, accessor text, dataset text, day date, after bigint, upto bigint)
      cross join lateral (
        select coalesce(
          (select ie.block_time from incident_evidence ie
           where ie.incident_id = x.id and x.after >= 0
           order by ie.block_number desc limit 1),
          x.day::timestamp at time zone 'Asia/Shanghai') as since
      ) s
      join accesses a on a.chain_id = ${chainId} and a.accessor = x.accessor and a.dataset_id = x.dataset
        and a.block_time >= greatest(s.since, x.day::timestamp at time zone 'Asia/Shanghai')
        and a.block_time < ((x.day + 1)::timestamp at time zone 'Asia/Shanghai')
        and a.block_number > x.after and a.block_number <= x.upto
      on conflict do nothing
    `);
  }
  if (evidence.length > 0) {
    // The row's block time (its partition key) is its block's; every evidence event's block is
    // stored, and the finding's own time stands in should one not be, so no evidence is dropped.
    // An evidence row already stored (same incident and coordinates) is not added again.
    await tx.execute(sql`
      insert into incident_evidence (incident_id, chain_id, block_number, log_index, tx_hash, block_time)
      select x.id, ${chainId}, x.b, x.l, x.tx,
        coalesce((select b.timestamp from blocks b where b.chain_id = ${chainId} and b.number = x.b limit 1), x.at)
      from json_to_recordset(${JSON.stringify(evidence)}::json) as x(id int, b bigint, l int, tx text, at timestamptz)
      where not exists (
        select 1 from incident_evidence ie
        where ie.incident_id = x.id and ie.block_number = x.b and ie.log_index = x.l
      )
      on conflict do nothing
    `);
  }
  return created;
}
