import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { BinaryCopyRows } from '../indexer/copy-binary';
import { copyChunks, isoTime } from '../indexer/copy';
import type { DbOrTx, StoredFinding } from './types';
import { copyNewEvidence, EVIDENCE_COLUMNS } from './copy-new-evidence';

/** Findings per statement: one JSON parameter each, well under Postgres' and pg's limits. */
const CHUNK = 5_000;

/**
 * Findings in a chunk from which staging them (FindingsCopy) pays: below it, the stage's three
 * more round trips cost more than the JSON Postgres parses. The simulator's large chain has a
 * few findings in most of its ≈ 600 ranges; staged, its incidents took 18.3 s of writing against
 * 7.5 s (its range writer waits for the main thread at every round trip).
 */
const STAGED_FINDINGS = 1_000;

interface IdRow extends Record<string, unknown> {
  id: number;
  rule: string;
  finding_key: string;
}

const idOf = (rule: string, key: string) => `${rule}\u0000${key}`;

/** incidents_stage's columns in the order insertStaged writes them. */
const STAGE_COLUMNS = [
  'batch',
  'ord',
  'rule',
  'finding_key',
  'severity',
  'region_code',
  'org_address',
  'summary',
  'facts',
  'evidence_block',
  'occurred_at',
] as const;

/**
 * Chunks staged by this process: a transaction's chunks share the stage until its commit. Chunks
 * staged ahead (stageAhead) number theirs below zero, so the two never meet in one transaction.
 */
let stagedBatches = 0;

/** Findings written by one statement (or one staged batch), and their stage rows if built ahead. */
export interface FindingsChunk {
  findings: StoredFinding[];
  staged: { batch: number; rows: Buffer[] } | null;
}

/** Findings as writeFindings writes them: one of each key, in (rule, key) order, in chunks. */
export interface OrderedFindings {
  chunks: FindingsChunk[];
}

/**
 * The first finding of each (rule, key), sorted by (rule, key) so concurrent writers take the
 * unique index's locks in one order and cannot deadlock, in chunks of CHUNK.
 */
export function orderFindings(findings: readonly StoredFinding[]): OrderedFindings {
  const unique = new Map<string, StoredFinding>();
  for (const f of findings) {
    const id = idOf(f.rule, f.key);
    if (!unique.has(id)) unique.set(id, f);
  }
  const sorted = [...unique.values()].sort((a, b) =>
    a.rule === b.rule ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.rule < b.rule ? -1 : 1,
  );
  const chunks: FindingsChunk[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK)
    chunks.push({ findings: sorted.slice(i, i + CHUNK), staged: null });
  return { chunks };
}

/** Whether a write with a COPY connection stages `chunk` (it holds STAGED_FINDINGS or more). */
function stagedWhenCopied(chunk: FindingsChunk): boolean {
  return chunk.findings.length >= STAGED_FINDINGS;
}

/**
 * Builds the stage rows of the `index`-th chunk of an ordering if it is one a write with a COPY
 * connection stages (a range's preparation, write-prepared.ts); its batch number is below zero.
 */
export function stageAhead(chunk: FindingsChunk, index: number): void {
  if (!stagedWhenCopied(chunk)) return;
  const batch = -(index + 1);
  chunk.staged = { batch, rows: stageRowsOf(chunk.findings, batch) };
}

/**
 * A range's findings by binary COPY when its connection and its blocks' times are at hand
 * (write-prepared.ts) and a chunk holds STAGED_FINDINGS or more: the incidents are staged and
 * inserted from the stage, and the evidence of those created is copied straight in, as a new
 * incident holds no evidence to check against. A chain of 200k accesses without a grant (400k
 * incidents, 600k evidence rows) spent 13.7 s inserting incidents, half of it Postgres parsing the
 * JSON parameter, and 11.7 s on the checked evidence insert, which looks up each row's block time
 * and stored evidence (29 µs a row).
 */
export interface FindingsCopy {
  client: pg.PoolClient;
  /** Block number → unix time of the blocks of the range being written. */
  blockTimes: ReadonlyMap<number, number>;
}

/**
 * A chunk's rows of incidents_stage under `batch`: built by the range's preparation (stageAhead)
 * while the range before is written, so a flood of findings (every access of a hostile member's
 * chain two incidents or more) is not encoded on the writer's path.
 */
function stageRowsOf(chunk: readonly StoredFinding[], batch: number): Buffer[] {
  const staged = new BinaryCopyRows();
  for (let i = 0; i < chunk.length; i++) {
    const f = chunk[i]!;
    staged
      .row(STAGE_COLUMNS.length)
      .int4(batch)
      .int4(i)
      .text(f.rule)
      .text(f.key)
      .text(f.severity)
      .int4(f.regionCode)
      .text(f.orgAddress?.toLowerCase() ?? null)
      .text(f.summary)
      .text(f.facts ? JSON.stringify(f.facts) : null)
      .int8(evidenceBlockOf(f))
      .timestamptz(f.occurredAt);
  }
  return staged.finish();
}

/** Inserts a chunk of findings through the connection's stage; returns the incidents created. */
async function insertStaged(client: pg.PoolClient, chainId: number, chunk: FindingsChunk): Promise<IdRow[]> {
  // Facts as text, cast on insert: a jsonb value's binary form is the same text behind a version byte.
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS incidents_stage (batch int, ord int, rule text, finding_key text,
       severity text, region_code int, org_address text, summary text, facts text, evidence_block bigint,
       occurred_at timestamptz) ON COMMIT DELETE ROWS`,
  );
  const batch = chunk.staged?.batch ?? ++stagedBatches;
  await copyChunks(
    client,
    'incidents_stage',
    STAGE_COLUMNS,
    chunk.staged?.rows ?? stageRowsOf(chunk.findings, batch),
  );
  // In the chunk's order (rule, key): concurrent writers take the unique index's locks in one order.
  const { rows } = await client.query<IdRow>(
    `INSERT INTO incidents (chain_id, rule, finding_key, severity, region_code, org_address, summary, facts,
                            evidence_block, occurred_at)
     SELECT $1, rule, finding_key, severity, region_code, org_address, summary, facts::jsonb, evidence_block,
            occurred_at
       FROM incidents_stage WHERE batch = $2 ORDER BY ord
     ON CONFLICT (chain_id, rule, finding_key) DO NOTHING
     RETURNING id, rule, finding_key`,
    [chainId, batch],
  );
  return rows;
}

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
 * second reimbursement, not the third, is a duplicate's incident); they go in as orderFindings
 * orders them, or as a range's preparation ordered them already.
 *
 * `appendEvidence` also adds missing evidence to incidents that already existed and raises their
 * evidence block: a VOLUME_SPIKE found mid-day gains the day's later accesses on the next run.
 */
export async function writeFindings(
  tx: DbOrTx,
  chainId: number,
  findings: readonly StoredFinding[] | OrderedFindings,
  opts: { appendEvidence?: boolean; copy?: FindingsCopy } = {},
): Promise<number> {
  const ordered = 'chunks' in findings ? findings : orderFindings(findings);
  let created = 0;
  for (const chunk of ordered.chunks) {
    created += await writeChunk(
      tx,
      chainId,
      chunk,
      opts.appendEvidence ?? false,
      opts.copy && stagedWhenCopied(chunk) ? opts.copy : null,
    );
  }
  return created;
}

/** A chunk's findings as the rows of a JSON parameter (json_to_recordset). */
function jsonRows(chunk: StoredFinding[]) {
  return chunk.map((f) => ({
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
}

async function writeChunk(
  tx: DbOrTx,
  chainId: number,
  part: FindingsChunk,
  appendEvidence: boolean,
  copy: FindingsCopy | null,
): Promise<number> {
  const chunk = part.findings;
  // The chunk as JSON rows, made once and only for the statements that send them.
  let rows: ReturnType<typeof jsonRows> | null = null;
  const rowsOf = () => (rows ??= jsonRows(chunk));
  const inserted = copy
    ? await insertStaged(copy.client, chainId, part)
    : // One JSON parameter per statement: drizzle expands JS arrays into parameter lists, and a few
      // thousand findings × 8 columns would pass Postgres' 65,535-parameter limit.
      (
        await tx.execute<IdRow>(sql`
    insert into incidents (chain_id, rule, finding_key, severity, region_code, org_address, summary, facts, evidence_block, occurred_at)
    select ${chainId}, x.rule, x.key, x.severity, x.region, x.org, x.summary, x.facts, x.eb, x.occurred
    from json_to_recordset(${JSON.stringify(rowsOf())}::json)
      as x(rule text, key text, severity text, region int, org text, summary text, facts jsonb, eb bigint, occurred timestamptz)
    on conflict (chain_id, rule, finding_key) do nothing
    returning id, rule, finding_key
  `)
      ).rows;
  const ids = new Map<string, number>();
  for (const r of inserted) ids.set(idOf(r.rule, r.finding_key), r.id);
  const created = ids.size;
  /** Of an existing incident whose evidence grew: the block its stored evidence reached. */
  const evidenceAfter = new Map<number, number>();

  if (appendEvidence && created < chunk.length) {
    const existing = rowsOf()
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
  const copied = new BinaryCopyRows();
  for (const f of chunk) {
    const id = ids.get(idOf(f.rule, f.key));
    if (id === undefined) continue;
    // Created by this call (not an existing incident whose evidence grew): it holds no evidence.
    const fresh = copy !== null && !evidenceAfter.has(id);
    for (const e of f.evidence) {
      // An event of an earlier range (a grant's revocation, say) has no time here: checked insert.
      const time = fresh ? copy.blockTimes.get(e.blockNumber) : undefined;
      if (time === undefined) {
        const at = isoTime(f.occurredAt);
        evidence.push({ id, b: e.blockNumber, l: e.logIndex, tx: e.txHash.toLowerCase(), at });
        continue;
      }
      copied
        .row(EVIDENCE_COLUMNS.length)
        .int4(id)
        .int4(chainId)
        .int8(e.blockNumber)
        .int4(e.logIndex)
        .hex(e.txHash.toLowerCase() as `0x${string}`)
        .timestamptz(time);
    }
  }
  // Evidence is deduplicated per finding (rules/describe.ts evidenceOf) and each finding is one new
  // incident: these rows cannot meet a stored one.
  if (copy) await copyNewEvidence(copy.client, copied.finish());
  const accessDays: {
    id: number;
    accessor: string;
    dataset: string;
    day: string;
    after: number;
    upto: number;
  }[] = [];
  for (const f of chunk) {
    const d = f.evidenceOfAccessDay;
    const id = d && ids.get(idOf(f.rule, f.key));
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
    // An accessor's accesses of a day are read once for all of its spiking datasets (`w`), by the
    // (accessor, time) index, and matched to them by a hash: read per spike, an accessor spiking
    // on 50 datasets had its day's index entries and rows read 50 times (4.7 s for 3,200 spikes
    // of one day of 200k accesses).
    await tx.execute(sql`
      with x as (
        select x.*,
          greatest(
            coalesce(
              (select ie.block_time from incident_evidence ie
               where ie.incident_id = x.id and x.after >= 0
               order by ie.block_number desc limit 1),
              x.day::timestamp at time zone 'Asia/Shanghai'),
            x.day::timestamp at time zone 'Asia/Shanghai') as since,
          (x.day + 1)::timestamp at time zone 'Asia/Shanghai' as until
        from json_to_recordset(${JSON.stringify(accessDays)}::json)
          as x(id int, accessor text, dataset text, day date, after bigint, upto bigint)
      ),
      w as (select accessor, min(since) as since, max(until) as until from x group by accessor, day)
      insert into incident_evidence (incident_id, chain_id, block_number, log_index, tx_hash, block_time)
      select x.id, ${chainId}, a.block_number, a.log_index, a.tx_hash, a.block_time
      from w
      cross join lateral (
        select a.* from accesses a
        where a.chain_id = ${chainId} and a.accessor = w.accessor and a.block_time >= w.since and a.block_time < w.until
        offset 0
      ) a
      join x on x.accessor = a.accessor and x.dataset = a.dataset_id
        and a.block_time >= x.since and a.block_time < x.until
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
