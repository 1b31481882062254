import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { writeFindings } from '../../workers/incidents/write-findings';
import { compactTallies } from '../../workers/incidents/tallies';
import { countIncidents, listIncidents } from '../../server/services/incidents-list';
import type { IncidentFilter } from '../../server/services/incidents-filter';
import type { StoredFinding } from '../../workers/incidents/types';
import { createTestDb, type TestDb } from '../helpers/db';
import { addr, ref } from '../unit/rules-fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

/** A seeded pseudo-random sequence (mulberry32): the same operations every run of a seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REGIONS = [440100, 440300, 110108, 0];
const SEVERITIES = ['high', 'medium', 'low'] as const;
const STATUSES = ['open', 'acknowledged', 'escalated', 'resolved', 'dismissed'];
/** 2026-11-30 15:30 UTC: 23:30 in Asia/Shanghai, so an hour either side changes the day. */
const T0 = 1_796_052_600;

type Row = Record<string, string | number>;
const key = (r: Row) => `${r.chain_id}|${r.region_code}|${r.rule}|${r.severity}|${r.status}|${r.day}`;

/** The tallies summed per key, against the same counts taken over every incident. */
async function both(): Promise<{ tallied: Map<string, number>; counted: Map<string, number> }> {
  const tallied = await t.db.execute<Row>(sql`
    select chain_id, region_code, rule, severity, status, day, sum(count)::int as n from incident_tallies
    group by 1, 2, 3, 4, 5, 6 having sum(count) <> 0`);
  const counted = await t.db.execute<Row>(sql`
    select chain_id, region_code, rule, severity, status,
           to_char(occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n
    from incidents group by 1, 2, 3, 4, 5, 6`);
  const asMap = (rows: Row[]) => new Map(rows.map((r) => [key(r), Number(r.n)]));
  return { tallied: asMap(tallied.rows), counted: asMap(counted.rows) };
}

describe('incident tallies (the overview counts)', () => {
  for (const seed of [20261205, 7, 99]) {
    it(`seed ${seed}: follow every insert, triage, re-timing, delete and truncate of incidents exactly`, async () => {
      console.log(`incident tallies seed ${seed}`);
      const next = random(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      await t.db.execute(sql`truncate incidents cascade`);
      let made = 0;
      for (let step = 0; step < 40; step++) {
        const op = next();
        if (op < 0.45) {
          const fs: StoredFinding[] = Array.from({ length: 1 + Math.floor(next() * 30) }, () => {
            const i = made++;
            return {
              rule: pick(['ACCESS_WITHOUT_GRANT', 'UNREGISTERED_ACTOR', 'VOLUME_SPIKE'] as const),
              key: `${seed}-${i}`,
              severity: pick(SEVERITIES),
              regionCode: pick(REGIONS),
              orgAddress: addr(i + 1),
              summary: `访问 ${i}`,
              occurredAt: T0 + Math.floor((next() - 0.5) * 7_200),
              evidence: [ref(100 + i, 0)],
            };
          });
          await t.db.transaction((tx) => writeFindings(tx, pick([31337, 1]), fs));
        } else if (op < 0.7) {
          await t.db.execute(
            sql`update incidents set status = ${pick(STATUSES)} where id % 3 = ${Math.floor(next() * 3)}`,
          );
        } else if (op < 0.8) {
          await t.db.execute(
            sql`update incidents set occurred_at = occurred_at + interval '50 minutes' where id % 4 = 0`,
          );
        } else if (op < 0.95) {
          await t.db.execute(sql`delete from incidents where id % 5 = ${Math.floor(next() * 5)}`);
        } else {
          await t.db.execute(sql`truncate incidents cascade`);
        }
        if (step % 10 === 9) await compactTallies(t.pool, true);
        const { tallied, counted } = await both();
        expect(tallied).toEqual(counted);
      }
      // The list's counts and total, read from the tallies, against the same taken over the incidents.
      const filters: IncidentFilter[] = [
        {},
        { severity: 'high' },
        { status: 'open', rule: 'UNREGISTERED_ACTOR' },
        { from: '2026-12-01', to: '2026-12-01' },
        { region: 440300 },
      ];
      for (const scope of [{ regionCode: null }, { regionCode: 440000 }])
        for (const f of filters) {
          const counts = await countIncidents(t.db, scope, f);
          const rows = (
            await t.db.execute<{ rule: string; severity: string; status: string; n: number }>(sql`
              select rule, severity, status, count(*)::int as n from incidents
              where (${scope.regionCode === null} or region_code between 440000 and 449999)
                and (${f.region ?? null}::int is null or region_code = ${f.region ?? null})
                and (${f.severity ?? null}::text is null or severity = ${f.severity ?? null})
                and (${f.status ?? null}::text is null or status = ${f.status ?? null})
                and (${f.rule ?? null}::text is null or rule = ${f.rule ?? null})
                and (${f.from ?? null}::text is null
                     or to_char(occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') between ${f.from ?? ''} and ${f.to ?? ''})
              group by 1, 2, 3`)
          ).rows;
          const total = rows.reduce((s, r) => s + r.n, 0);
          expect(counts.total).toBe(total);
          expect((await listIncidents(t.db, scope, f, { limit: 1 })).total).toBe(total);
          const bySeverity = new Map<string, number>();
          for (const r of rows) bySeverity.set(r.severity, (bySeverity.get(r.severity) ?? 0) + r.n);
          expect(new Map(counts.bySeverity.map((x) => [x.severity, x.n]))).toEqual(bySeverity);
        }
      // Folded: one row per key that counts anything.
      await compactTallies(t.pool, true);
      const [rows] = (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from incident_tallies`))
        .rows;
      expect(rows?.n).toBe((await both()).counted.size);
    });
  }

  it('two writers append their counts without waiting for each other', async () => {
    const a = await t.pool.connect();
    const b = await t.pool.connect();
    try {
      await a.query('BEGIN');
      await a.query(
        `insert into incidents (chain_id, rule, finding_key, severity, region_code, summary, evidence_block, occurred_at)
         values (31337, 'UNREGISTERED_ACTOR', 'held-open', 'high', 440300, '未登记', 100, to_timestamp(${T0}))`,
      );
      // The same tally key, while the first transaction is open: it must not wait for it.
      await b.query('BEGIN');
      await b.query("SET LOCAL lock_timeout = '1s'");
      await b.query(
        `insert into incidents (chain_id, rule, finding_key, severity, region_code, summary, evidence_block, occurred_at)
         values (31337, 'UNREGISTERED_ACTOR', 'beside-it', 'high', 440300, '未登记', 100, to_timestamp(${T0}))`,
      );
      await b.query('COMMIT');
      await a.query('COMMIT');
    } finally {
      a.release();
      b.release();
    }
    const { tallied, counted } = await both();
    expect(tallied).toEqual(counted);
  });
});
