import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg, { type Pool, type PoolClient } from 'pg';
import * as schema from '../../db/schema';
import { incidentEvidence, incidents } from '../../db/schema';
import { rollbackIncidentsAbove } from '../../workers/incidents/rollback';
import { orderFindings, stageAhead, writeFindings } from '../../workers/incidents/write-findings';
import { copyNewEvidence, EVIDENCE_COLUMNS } from '../../workers/incidents/copy-new-evidence';
import { BinaryCopyRows } from '../../workers/indexer/copy-binary';
import type { StoredFinding } from '../../workers/incidents/types';
import { createTestDb, type TestDb } from '../helpers/db';
import { addr, h32, ref } from '../unit/rules-fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.execute(sql`truncate incidents cascade`);
});

function finding(i: number, evidence = [ref(100 + i, 0), ref(90, i)]): StoredFinding {
  return {
    rule: 'ACCESS_WITHOUT_GRANT',
    key: `${100 + i}-0`,
    severity: 'high',
    regionCode: 440300,
    orgAddress: addr(i + 1),
    summary: `访问 ${i}`,
    occurredAt: 1_788_000_000 + i,
    evidence,
  };
}

/** Findings of a range with facts as a rule writes them, one org without an address. */
function rangeFindings(n: number): StoredFinding[] {
  const fs: StoredFinding[] = Array.from({ length: n }, (_, i) => ({
    ...finding(i),
    facts: {
      rule: 'ACCESS_WITHOUT_GRANT',
      org: { name: i % 2 ? null : `机构${i}`, address: addr(i + 1) },
      dataset: { title: null, id: h32(i) },
      records: i,
      grant: h32(i + 1),
      reason: 'missing',
    },
  }));
  fs[1]!.orgAddress = null;
  return fs;
}

/** The block times of the findings' own blocks (100 + i): the range being written. */
const timesOf = (fs: StoredFinding[]) => new Map(fs.map((f, i) => [100 + i, f.occurredAt]));

/** Every incident and evidence row, without ids and detection times. */
async function snapshot() {
  return {
    incidents: (
      await t.db.execute(sql`select rule, finding_key, severity, status, region_code, org_address, summary,
        facts, evidence_block, occurred_at from incidents order by rule, finding_key`)
    ).rows,
    evidence: (
      await t.db.execute(sql`select i.rule, i.finding_key, e.chain_id, e.block_number, e.log_index, e.tx_hash,
        e.block_time from incident_evidence e join incidents i on i.id = e.incident_id
        order by i.rule, i.finding_key, e.block_number, e.log_index`)
    ).rows,
  };
}

/** One evidence row, in COPY's binary form, of an incident that does not exist. */
function orphanEvidence(): Buffer[] {
  return new BinaryCopyRows()
    .row(EVIDENCE_COLUMNS.length)
    .int4(2_000_000_000)
    .int4(31337)
    .int8(100)
    .int4(0)
    .hex(h32(1))
    .timestamptz(1_788_000_000)
    .finish();
}

/**
 * Runs `write` in one transaction of one connection (of `pool`, the test database's own by
 * default), as a range's writer does; its results. The session leaves the write as it found it:
 * triggers fire for what the transaction does next.
 */
async function inRangeTransaction<T>(
  write: (copy: { client: PoolClient; tx: NodePgDatabase<typeof schema> }) => Promise<T>,
  pool: Pool = t.pool,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await write({ client, tx: drizzle(client, { schema }) });
    const { rows } = await client.query<{ session_replication_role: string }>(
      'SHOW session_replication_role',
    );
    expect(rows[0]?.session_replication_role).toBe('origin');
    await client.query('COMMIT');
    return out;
  } finally {
    client.release();
  }
}

describe('incidents: writeFindings', () => {
  it('creates incidents with evidence and evidence_block, and nothing the second time', async () => {
    const fs = Array.from({ length: 3000 }, (_, i) => finding(i));
    expect(await t.db.transaction((tx) => writeFindings(tx, 31337, fs))).toBe(3000);
    expect(await t.db.transaction((tx) => writeFindings(tx, 31337, fs))).toBe(0);
    const [count] = await t.db.select({ n: sql<number>`count(*)::int` }).from(incidents);
    const [ev] = await t.db.select({ n: sql<number>`count(*)::int` }).from(incidentEvidence);
    expect(count?.n).toBe(3000);
    expect(ev?.n).toBe(6000);
    const first = await t.db.select().from(incidents).orderBy(asc(incidents.evidenceBlock)).limit(1);
    expect(first[0]).toMatchObject({
      rule: 'ACCESS_WITHOUT_GRANT',
      findingKey: '100-0',
      evidenceBlock: 100,
      status: 'open',
      regionCode: 440300,
      orgAddress: addr(1),
    });
    expect(first[0]?.occurredAt.getTime()).toBe(1_788_000_000_000);
  });

  it('keeps the first finding of one key (chain order) and its evidence only', async () => {
    const a: StoredFinding = {
      ...finding(0),
      rule: 'DUPLICATE_REIMBURSEMENT',
      key: h32(7),
      summary: '第二次',
    };
    const b: StoredFinding = { ...a, summary: '第三次', evidence: [ref(300, 0)] };
    expect(await writeFindings(t.db, 31337, [a, b])).toBe(1);
    const rows = await t.db.select().from(incidents);
    expect(rows.map((r) => r.summary)).toEqual(['第二次']);
    const ev = await t.db.select().from(incidentEvidence);
    expect(ev.map((e) => e.blockNumber).sort()).toEqual([100, 90]);
  });

  it('appendEvidence adds later evidence to an existing incident and raises its evidence block', async () => {
    const f = finding(0, [ref(100, 0)]);
    await writeFindings(t.db, 31337, [f], { appendEvidence: true });
    expect(
      await writeFindings(t.db, 31337, [{ ...f, evidence: [ref(100, 0), ref(120, 1)] }], {
        appendEvidence: true,
      }),
    ).toBe(0);
    const [row] = await t.db.select().from(incidents);
    expect(row?.evidenceBlock).toBe(120);
    expect(await t.db.select().from(incidentEvidence)).toHaveLength(2);
  });

  it('through the range connection (staged, evidence by COPY) writes exactly what the checked path writes', async () => {
    // Two chunks. Evidence of block 100 + i lies in the range being written (its time is given),
    // that of block 90 in an earlier one (no time here: the checked insert finds it).
    const fs = rangeFindings(6_000);
    const blockTimes = timesOf(fs);
    const viaRange = () =>
      inRangeTransaction((copy) => writeFindings(copy.tx, 31337, fs, { copy: { ...copy, blockTimes } }));
    expect(await viaRange()).toBe(6_000);
    expect(await viaRange()).toBe(0);
    const copied = await snapshot();
    expect(copied.incidents).toHaveLength(6_000);
    expect(copied.evidence).toHaveLength(12_000);
    await t.db.execute(sql`truncate incidents cascade`);
    expect(await t.db.transaction((tx) => writeFindings(tx, 31337, fs))).toBe(6_000);
    expect(copied).toEqual(await snapshot());
  });

  it("stage rows built ahead (a range's preparation) write what the checked path writes, beside chunks staged at write time", async () => {
    const fs = rangeFindings(7_500);
    // Another rule's findings, staged when written in the same transaction (batches numbered from 1 up).
    const later = rangeFindings(1_500).map((f) => ({ ...f, rule: 'UNREGISTERED_ACTOR' as const }));
    const blockTimes = timesOf(fs);
    const ordered = orderFindings([...fs, ...fs.slice(0, 10)]);
    ordered.chunks.forEach(stageAhead);
    // 5,000 and 2,500 findings (the repeats kept once): both chunks staged, below zero.
    expect(ordered.chunks.map((c) => [c.findings.length, c.staged?.batch])).toEqual([
      [5_000, -1],
      [2_500, -2],
    ]);
    const write = () =>
      inRangeTransaction(async (copy) => [
        await writeFindings(copy.tx, 31337, ordered, { copy: { ...copy, blockTimes } }),
        await writeFindings(copy.tx, 31337, later, { copy: { ...copy, blockTimes } }),
      ]);
    expect(await write()).toEqual([7_500, 1_500]);
    expect(await write()).toEqual([0, 0]);
    const ahead = await snapshot();
    expect(ahead.incidents).toHaveLength(9_000);
    await t.db.execute(sql`truncate incidents cascade`);
    expect(await t.db.transaction((tx) => writeFindings(tx, 31337, [...fs, ...later]))).toBe(9_000);
    expect(ahead).toEqual(await snapshot());
  });

  it('a role that is not a superuser copies the same evidence, each row checked by the foreign key', async () => {
    const role = `lianjian_writer_${process.pid}`;
    // Roles belong to the cluster: one left by a run that was killed half-way is dropped first.
    await t.pool.query(`DROP ROLE IF EXISTS ${role}`);
    await t.pool.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    await t.pool.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    await t.pool.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const url = new URL(t.url);
    url.username = role;
    const asRole = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      const fs = rangeFindings(2_000);
      const blockTimes = timesOf(fs);
      const n = await inRangeTransaction(async (copy) => {
        // The check runs: evidence naming an incident that does not exist is refused.
        await copy.client.query('SAVEPOINT orphan');
        await expect(copyNewEvidence(copy.client, orphanEvidence())).rejects.toThrow(/foreign key/);
        await copy.client.query('ROLLBACK TO SAVEPOINT orphan');
        return writeFindings(copy.tx, 31337, fs, { copy: { ...copy, blockTimes } });
      }, asRole);
      expect(n).toBe(2_000);
      const checked = await snapshot();
      expect(checked.evidence).toHaveLength(4_000);
      await t.db.execute(sql`truncate incidents cascade`);
      expect(
        await inRangeTransaction((copy) =>
          writeFindings(copy.tx, 31337, fs, { copy: { ...copy, blockTimes } }),
        ),
      ).toBe(2_000);
      expect(await snapshot()).toEqual(checked);
    } finally {
      await asRole.end();
      await t.pool.query(`DROP OWNED BY ${role}`);
      await t.pool.query(`DROP ROLE ${role}`);
    }
  });

  it('uses the anchor block for a finding without evidence', async () => {
    await writeFindings(t.db, 31337, [
      { ...finding(0, []), rule: 'CHAIN_STALLED', key: 'live-77', anchorBlock: 77 },
    ]);
    const [row] = await t.db.select().from(incidents);
    expect(row?.evidenceBlock).toBe(77);
  });
});

describe('incidents: rollbackIncidentsAbove', () => {
  it('removes exactly the incidents whose evidence lies above the block, with their evidence', async () => {
    await writeFindings(t.db, 31337, [finding(0), finding(1), finding(2), finding(3)]); // evidence blocks 100..103
    await writeFindings(t.db, 1, [finding(9)]); // another chain, untouched
    expect(await t.db.transaction((tx) => rollbackIncidentsAbove(tx, 31337, 101))).toBe(2);
    const left = await t.db
      .select({ k: incidents.findingKey, c: incidents.chainId })
      .from(incidents)
      .orderBy(asc(incidents.id));
    expect(left).toEqual([
      { k: '100-0', c: 31337 },
      { k: '101-0', c: 31337 },
      { k: '109-0', c: 1 },
    ]);
    const [ev] = await t.db.select({ n: sql<number>`count(*)::int` }).from(incidentEvidence);
    expect(ev?.n).toBe(6);
  });
});
