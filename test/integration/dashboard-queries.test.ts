import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/services/users';
import type { Role } from '../../server/permissions';
import { appRouter } from '../../server/routers/_app';
import { createCallerFactory } from '../../server/trpc';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { dashboardScenario } from './dashboard-scenario';

const factory = createCallerFactory(appRouter);
let h: IndexerHarness;
let latest: string;
let first: string;
/** The server's pinned clock: an hour after the newest block (the scenario moves the chain 8 days on). */
let now: Date;
let n = 0;
let world: Awaited<ReturnType<typeof dashboardScenario>>;

async function callerFor(role: Role, regionCode: number | null) {
  n += 1;
  const u = await createUser(
    { db: h.db.db, actor: { id: null, label: 'test' } },
    { email: `dash${n}@example.gov.cn`, password: 'correct horse battery', role, regionCode },
  );
  return factory({
    db: h.db.db,
    caller: {
      userId: u.id,
      email: u.email,
      name: u.name,
      role,
      regionCode,
      twoFactorEnabled: false,
      via: { kind: 'session', sessionId: 't' },
    },
    ip: '127.0.0.1',
    policy: { adminTotp: 'optional' },
    now: () => now,
  });
}

/** A nation-wide analyst whose server clock reads `ms`. */
function createCaller(ms: number) {
  return factory({
    db: h.db.db,
    caller: {
      userId: 'clock',
      email: 'clock@example.gov.cn',
      name: 'clock',
      role: 'analyst',
      regionCode: null,
      twoFactorEnabled: false,
      via: { kind: 'session', sessionId: 't' },
    },
    ip: '127.0.0.1',
    policy: { adminTotp: 'optional' },
    now: () => new Date(ms),
  });
}

async function q<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await h.db.pool.query<T>(text, params)).rows;
}

/** Shanghai day of accesses.block_time / cases.block_time, straight from the typed tables. */
const DAY = `to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
/** The flows scope twin in SQL: provider or consumer region in [lo, hi]. */
const IN = (lo: number, hi: number) =>
  `((owner_region between ${lo} and ${hi}) or (accessor_region between ${lo} and ${hi}))`;

beforeAll(async () => {
  // The scenario moves the chain clock 8 days on: day D is 24 October 2026 and D+8 is 1 November
  // (Asia/Shanghai), so its blocks end in the past, the server's clock is pinned after them, and a
  // month to date (1 November) has a previous month whose last week holds day D.
  h = await createIndexerHarness({ genesisTimestamp: Date.parse('2026-10-24T00:00:00+08:00') / 1000 });
  world = await dashboardScenario(h.scenario, h.anvil.url);
  const ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);
  await ctx.dbh.close();
  const [d] = await q<{ first: string; last: string }>(
    `select min(${DAY}) as first, max(${DAY}) as last from accesses`,
  );
  first = d!.first;
  latest = d!.last;
  const [b] = await q<{ t: Date }>(`select max(timestamp) as t from blocks`);
  now = new Date(b!.t.getTime() + 3_600_000);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('dashboard: overview', () => {
  it('the default period ends at the latest indexed day, and KPIs equal SQL over the typed tables', async () => {
    const c = await callerFor('regulator', null);
    const s = await c.overview.summary({ period: '7d' });
    expect(s.period.to).toBe(latest);
    expect(s.period.days).toBe(7);
    const { from, to, prevFrom, prevTo } = s.period;
    const [cur] = await q<{ r: string; a: string }>(
      `select coalesce(sum(record_count),0) r, count(*) a from accesses where ${DAY} between $1 and $2`,
      [from, to],
    );
    const [prev] = await q<{ r: string; a: string }>(
      `select coalesce(sum(record_count),0) r, count(*) a from accesses where ${DAY} between $1 and $2`,
      [prevFrom, prevTo],
    );
    expect(s.kpis.records).toEqual({ current: Number(cur!.r), previous: Number(prev!.r) });
    expect(s.kpis.accesses).toEqual({ current: Number(cur!.a), previous: Number(prev!.a) });
    // The scenario's second burst is the current week, its day D eight days earlier the previous one.
    expect(s.kpis.records.current).toBe(world.records.dayD8);
    expect(s.kpis.records.previous).toBe(world.records.dayD);
    const [cases] = await q<{ t: string; o: string; j: string }>(
      `select count(*) t, count(*) filter (where channel in (2,3)) o, count(*) filter (where orgs_involved >= 2) j
       from cases where ${DAY} between $1 and $2`,
      [from, to],
    );
    expect(s.kpis.casesTotal.current).toBe(Number(cases!.t));
    expect(s.kpis.casesOnline.current).toBe(Number(cases!.o));
    expect(s.kpis.jointCases.current).toBe(Number(cases!.j));
    const [pairs] = await q<{ n: string }>(
      `select count(distinct (owner, accessor)) n from accesses where ${DAY} between $1 and $2 and owner <> accessor`,
      [from, to],
    );
    expect(s.kpis.crossDepartmentFlows.current).toBe(Number(pairs!.n));
    const [dept] = await q<{ n: string }>(
      `select count(distinct o.address) n from (select owner a from accesses where ${DAY} between $1 and $2
         union select accessor from accesses where ${DAY} between $1 and $2) x
       join orgs o on o.address = x.a where o.kind between 1 and 10`,
      [from, to],
    );
    expect(s.kpis.activeDepartments.current).toBe(Number(dept!.n));
    const open = await q<{ severity: string; n: string }>(
      `select severity, count(*) n from incidents where status in ('open','acknowledged','escalated') group by 1`,
    );
    expect(open.length).toBeGreaterThan(0);
    expect(s.openIncidents).toEqual({
      high: 0,
      medium: 0,
      low: 0,
      ...Object.fromEntries(open.map((o) => [o.severity, Number(o.n)])),
    });
    const [h] = await q<{
      head_block: string;
      indexed_block: string;
      lag_blocks: string;
      lag_seconds: number;
      at: Date;
    }>('select head_block, indexed_block, lag_blocks, lag_seconds, updated_at at from indexer_health');
    expect(Number(h!.head_block)).toBeGreaterThan(0);
    expect(s.chain).toEqual({
      headBlock: Number(h!.head_block),
      indexedBlock: Number(h!.indexed_block),
      lagBlocks: Number(h!.lag_blocks),
      lagSeconds: h!.lag_seconds,
      updatedAt: h!.at,
    });
    const DAY_OF = `to_char(occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
    const [fresh] = await q<{ cur: string; prev: string }>(
      `select count(*) filter (where ${DAY_OF} between $1 and $2) cur,
              count(*) filter (where ${DAY_OF} between $3 and $4) prev from incidents`,
      [from, to, prevFrom, prevTo],
    );
    expect(s.kpis.incidentsNew).toEqual({ current: Number(fresh!.cur), previous: Number(fresh!.prev) });
    expect(s.spark.granularity).toBe('day');
    expect(s.spark.points).toHaveLength(7);
    expect(s.spark.points.reduce((a, p) => a + p.records, 0)).toBe(s.kpis.records.current);
  });

  it('month to date is compared with the same days of the month before, not with all of it', async () => {
    const c = await callerFor('analyst', null);
    const s = await c.overview.summary({ period: 'month' });
    expect(s.period).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-01',
      prevFrom: '2026-10-01',
      prevTo: '2026-10-01',
    });
    const sums = async (from: string, to: string) => {
      const [a] = await q<{ r: string; n: string }>(
        `select coalesce(sum(record_count),0) r, count(*) n from accesses where ${DAY} between $1 and $2`,
        [from, to],
      );
      const [k] = await q<{ t: string }>(`select count(*) t from cases where ${DAY} between $1 and $2`, [
        from,
        to,
      ]);
      return { records: Number(a!.r), accesses: Number(a!.n), cases: Number(k!.t) };
    };
    const now1 = await sums('2026-11-01', '2026-11-01');
    const before = await sums('2026-10-01', '2026-10-01');
    expect(s.kpis.records).toEqual({ current: now1.records, previous: before.records });
    expect(s.kpis.accesses).toEqual({ current: now1.accesses, previous: before.accesses });
    expect(s.kpis.casesTotal).toEqual({ current: now1.cases, previous: before.cases });
    // 1 October is before the chain began; day D (24 October) is not part of the comparison.
    expect(s.kpis.records).toEqual({ current: world.records.dayD8, previous: 0 });
    expect(s.kpis.incidentsNew.previous).toBe(0);
    expect(s.kpis.crossDepartmentFlows.previous).toBe(0);
  });

  it('a Guangzhou regulator sees only flows touching Guangzhou; another region gets nothing', async () => {
    const gz = await callerFor('regulator', 440100);
    const s = await gz.overview.summary({ from: first, to: latest });
    const [e] = await q<{ r: string }>(
      `select coalesce(sum(record_count),0) r from accesses where ${IN(440100, 440199)}`,
    );
    expect(s.kpis.records.current).toBe(Number(e!.r));
    const [cases] = await q<{ t: string }>(
      `select count(*) t from cases where region_code between 440100 and 440199`,
    );
    expect(s.kpis.casesTotal.current).toBe(Number(cases!.t));

    const bj = await callerFor('regulator', 110108);
    const none = await bj.overview.summary({ from: first, to: latest });
    expect(none.kpis.records.current).toBe(0);
    expect(none.kpis.casesTotal.current).toBe(0);
    expect(none.openIncidents).toEqual({ high: 0, medium: 0, low: 0 });
    expect(await bj.overview.highIncidents({})).toEqual([]);
  });

  it('lists unresolved high incidents in scope, newest first', async () => {
    const all = await (await callerFor('analyst', null)).overview.highIncidents({});
    const [e] = await q<{ n: string }>(
      `select count(*) n from incidents where severity = 'high' and status = 'open'`,
    );
    expect(all).toHaveLength(Number(e!.n));
    const hz = await (await callerFor('analyst', 330100)).overview.highIncidents({});
    expect(hz.every((i) => i.regionCode === 330100)).toBe(true);
  });

  it('refuses a bad period with a clear error', async () => {
    const c = await callerFor('regulator', null);
    await expect(c.overview.summary({ from: '2026-02-30', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(c.overview.summary({ from: latest })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(c.overview.summary({ period: '7d', bogus: 1 } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('dashboard: flows', () => {
  it('Sankey pairs by org equal SQL grouped over accesses, largest first, no pair lost', async () => {
    const c = await callerFor('regulator', null);
    const s = await c.flows.sankey({ from: first, to: latest, group: 'org', top: 100 });
    const e = await q<{ owner: string; accessor: string; r: string; a: string }>(
      `select owner, accessor, sum(record_count) r, count(*) a from accesses group by 1, 2 order by r desc`,
    );
    expect(s.total.pairs).toBe(e.length);
    expect(s.pairs.map((p) => [p.source, p.target, p.records, p.accesses])).toEqual(
      e.map((r) => [r.owner, r.accessor, Number(r.r), Number(r.a)]),
    );
    expect(s.names[e[0]!.owner]).toBeTruthy();
    const top2 = await c.flows.sankey({ from: first, to: latest, group: 'org', top: 2 });
    expect(top2.pairs).toHaveLength(2);
    expect(top2.total.records).toBe(s.total.records);
  });

  it('groups by kind and by region (provinces nation-wide), filtered by mode', async () => {
    const c = await callerFor('regulator', null);
    const kinds = await c.flows.matrix({ from: first, to: latest, axis: 'kind', mode: 2 });
    const e = await q<{ s: string; t: string; r: string }>(
      `select coalesce(po.kind,-1)::text s, coalesce(ao.kind,-1)::text t, sum(a.record_count) r from accesses a
       left join orgs po on po.address = a.owner left join orgs ao on ao.address = a.accessor
       where a.mode = 2 group by 1, 2`,
    );
    expect(Object.fromEntries(kinds.pairs.map((p) => [`${p.source}>${p.target}`, p.records]))).toEqual(
      Object.fromEntries(e.map((r) => [`${r.s}>${r.t}`, Number(r.r)])),
    );
    const regions = await c.flows.matrix({ from: first, to: latest, axis: 'region' });
    expect(regions.regionLevel).toBe('province');
    expect(new Set(regions.pairs.flatMap((p) => [p.source, p.target]))).toEqual(
      new Set(['440000', '330000']),
    );
  });

  it('over every sub-period, pair sums, kind pairs and distinct pairs from the monthly pair rollup equal SQL over accesses', async () => {
    const c = await callerFor('regulator', null);
    const days = (await q<{ d: string }>(`select distinct ${DAY} d from accesses order by 1`)).map(
      (r) => r.d,
    );
    expect(days.length).toBeGreaterThanOrEqual(2);
    for (const from of days)
      for (const to of days.filter((d) => d >= from)) {
        const s = await c.flows.sankey({ from, to, group: 'org', top: 200 });
        const e = await q<{ owner: string; accessor: string; r: string; a: string }>(
          `select owner, accessor, sum(record_count) r, count(*) a from accesses where ${DAY} between $1 and $2
           group by 1, 2 order by r desc, 1, 2`,
          [from, to],
        );
        expect(s.pairs.map((p) => [p.source, p.target, p.records, p.accesses])).toEqual(
          e.map((r) => [r.owner, r.accessor, Number(r.r), Number(r.a)]),
        );
        const kinds = await c.flows.matrix({ from, to, axis: 'kind' });
        const ek = await q<{ s: string; t: string; r: string }>(
          `select coalesce(po.kind,-1)::text s, coalesce(ao.kind,-1)::text t, sum(a.record_count) r from accesses a
           left join orgs po on po.address = a.owner left join orgs ao on ao.address = a.accessor
           where ${DAY} between $1 and $2 group by 1, 2`,
          [from, to],
        );
        expect(Object.fromEntries(kinds.pairs.map((p) => [`${p.source}>${p.target}`, p.records]))).toEqual(
          Object.fromEntries(ek.map((r) => [`${r.s}>${r.t}`, Number(r.r)])),
        );
        const o = await c.overview.summary({ from, to });
        const [pairs] = await q<{ n: string }>(
          `select count(distinct (owner, accessor)) n from accesses where ${DAY} between $1 and $2 and owner <> accessor`,
          [o.period.prevFrom, o.period.prevTo],
        );
        expect(o.kpis.crossDepartmentFlows.previous).toBe(Number(pairs!.n));
      }
  });

  it('series by mode sums to the period total and keeps empty days', async () => {
    const c = await callerFor('regulator', null);
    const s = await c.flows.series({ from: first, to: latest });
    expect(s.points[0]!.bucket).toBe(first);
    expect(s.points.at(-1)!.bucket).toBe(latest);
    const [e] = await q<{ a: string }>(`select count(*) a from accesses where mode = 2`);
    expect(s.points.reduce((a, p) => a + p.accesses[s.modes.indexOf(2)]!, 0)).toBe(Number(e!.a));
  });

  it('a link drills to its accesses newest first, paged; the proof is audited; another region gets nothing', async () => {
    const c = await callerFor('regulator', 440100);
    const sankey = await c.flows.sankey({ from: first, to: latest, group: 'org' });
    const link = sankey.pairs[0]!;
    const page1 = await c.flows.accesses({
      from: first,
      to: latest,
      link: { group: 'org', source: link.source, target: link.target },
      limit: 2,
    });
    expect(page1.rows).toHaveLength(2);
    const all = [...page1.rows];
    let cursor = page1.next;
    while (cursor) {
      const p = await c.flows.accesses({
        from: first,
        to: latest,
        link: { group: 'org', source: link.source, target: link.target },
        limit: 2,
        cursor,
      });
      all.push(...p.rows);
      cursor = p.next;
    }
    expect(all.reduce((a, r) => a + r.recordCount, 0)).toBe(link.records);
    expect(all.length).toBe(link.accesses);
    const keys = all.map((r) => r.blockNumber * 1000 + r.logIndex);
    expect([...keys].sort((a, b) => b - a)).toEqual(keys);
    // Each row's names are its own orgs' and dataset's, as stored.
    const named = await q<{
      b: string;
      l: number;
      owner: string | null;
      accessor: string | null;
      title: string | null;
    }>(
      `select a.block_number b, a.log_index l, o.name owner, x.name accessor, d.title title from accesses a
         left join orgs o on o.chain_id = a.chain_id and o.address = a.owner
         left join orgs x on x.chain_id = a.chain_id and x.address = a.accessor
         left join datasets d on d.chain_id = a.chain_id and d.dataset_id = a.dataset_id
       where a.owner = $1 and a.accessor = $2 order by a.block_number desc, a.log_index desc`,
      [link.source, link.target],
    );
    expect(named.some((r) => r.owner !== null && r.accessor !== null && r.title !== null)).toBe(true);
    expect(all.map((r) => [r.ownerName, r.accessorName, r.datasetTitle])).toEqual(
      named.map((r) => [r.owner, r.accessor, r.title]),
    );

    const a = all[0]!;
    const proof = await c.flows.proof({ blockNumber: a.blockNumber, logIndex: a.logIndex });
    // record_count is a bigint (a uint32 on chain): the driver reads it as text, the proof as a number.
    const [row] = await q<{ tx_hash: string; payload_hash: string; grant_id: string; record_count: string }>(
      'select tx_hash, payload_hash, grant_id, record_count from accesses where block_number = $1 and log_index = $2',
      [a.blockNumber, a.logIndex],
    );
    expect(proof).toMatchObject({
      txHash: row!.tx_hash,
      payloadHash: row!.payload_hash,
      grantId: row!.grant_id,
      recordCount: Number(row!.record_count),
    });
    expect(proof.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
    const audit = await q<{ target: string }>(`select target from audit_log where action = 'proof.view'`);
    expect(audit.map((x) => x.target)).toContain(`access:31337:${a.blockNumber}:${a.logIndex}`);

    // Hangzhou: its own flows only; a Guangzhou → Shenzhen access is "not found".
    const hz = await callerFor('regulator', 330100);
    const hzPairs = await hz.flows.sankey({ from: first, to: latest, group: 'region' });
    expect(hzPairs.pairs.every((p) => p.source.startsWith('3301') || p.target.startsWith('3301'))).toBe(true);
    const [gzOnly] = await q<{ block_number: string; log_index: number }>(
      `select block_number, log_index from accesses where not ${IN(330100, 330199)} limit 1`,
    );
    const err = await hz.flows
      .proof({ blockNumber: Number(gzOnly!.block_number), logIndex: gzOnly!.log_index })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('NOT_FOUND');
    const hzAccesses = await hz.flows.accesses({ from: first, to: latest, limit: 200 });
    const [hzN] = await q<{ n: string }>(`select count(*) n from accesses where ${IN(330100, 330199)}`);
    expect(hzAccesses.rows).toHaveLength(Number(hzN!.n));
    // The per-region rollup bounds the walk only while it holds every indexed event: with a
    // backfill's sums still carried (rollups_block set), a region absent from it is still listed.
    await q(`create table kept_region_days as select * from flow_region_daily where ${IN(330100, 330199)}`);
    await q(`delete from flow_region_daily where ${IN(330100, 330199)}`);
    await q(`update cursors set rollups_block = indexed_block - 1`);
    expect((await hz.flows.accesses({ from: first, to: latest, limit: 200 })).rows).toEqual(hzAccesses.rows);
    await q(`update cursors set rollups_block = null`);
    expect((await hz.flows.accesses({ from: first, to: latest, limit: 200 })).rows).toEqual([]);
    await q(`insert into flow_region_daily select * from kept_region_days`);
    await q(`drop table kept_region_days`);
    expect((await hz.flows.accesses({ from: first, to: latest, limit: 200 })).rows).toEqual(hzAccesses.rows);
    // A region filter can only narrow: Hangzhou asking for Guangzhou gets nothing.
    const smuggle = await hz.flows.sankey({ from: first, to: latest, region: 440100 });
    expect(smuggle.pairs).toEqual([]);
    const bj = await callerFor('regulator', 110108);
    expect((await bj.flows.accesses({ from: first, to: latest })).rows).toEqual([]);
  });
});

describe('dashboard: adoption', () => {
  it('per-province metrics equal SQL over cases, service items and accesses', async () => {
    const c = await callerFor('leadership', null);
    const r = await c.adoption.regions({ from: first, to: latest });
    expect(r.level).toBe('province');
    const gd = r.cells.find((x) => x.regionCode === 440000)!;
    const [e] = await q<{ t: string; o: string; j: string }>(
      `select count(*) t, count(*) filter (where channel in (2,3)) o, count(*) filter (where orgs_involved >= 2) j
       from cases where region_code between 440000 and 449999`,
    );
    expect(gd.casesTotal).toBe(Number(e!.t));
    expect(gd.casesOnline).toBe(Number(e!.o));
    expect(gd.onlineShare).toBeCloseTo(Number(e!.o) / Number(e!.t), 10);
    expect(gd.jointCases).toBe(Number(e!.j));
    const [it] = await q<{ t: string; f: string }>(
      `select count(*) t, count(*) filter (where online_level = 2) f from service_items where region_code between 440000 and 449999`,
    );
    expect([gd.itemsTotal, gd.itemsFullyOnline]).toEqual([Number(it!.t), Number(it!.f)]);
    const [sh] = await q<{ r: string }>(
      `select sum(record_count) r from accesses where ${IN(440000, 449999)}`,
    );
    expect(gd.sharingRecords).toBe(Number(sh!.r));
  });

  it('drills to the cities of a province, and another region gets nothing', async () => {
    const c = await callerFor('leadership', null);
    const gd = await c.adoption.regions({ from: first, to: latest, province: 440000 });
    expect(gd.level).toBe('city');
    expect(gd.cells.map((x) => x.regionCode)).toEqual([440100, 440300]);
    const gzCases = gd.cells[0]!.casesTotal;
    const [e] = await q<{ t: string }>(
      `select count(*) t from cases where region_code between 440100 and 440199`,
    );
    expect(gzCases).toBe(Number(e!.t));
    const trend = await c.adoption.trend({ from: first, to: latest });
    expect(trend.granularity).toBe('month');
    expect(trend.regions[0]).toBe(440000);
    expect(trend.points.filter((p) => p.regionCode === 440000).reduce((a, p) => a + p.cases, 0)).toBe(
      r0(await q<{ t: string }>(`select count(*) t from cases where region_code between 440000 and 449999`)),
    );

    const hz = await callerFor('leadership', 330100);
    expect((await hz.adoption.regions({ from: first, to: latest, province: 440000 })).cells).toEqual([]);
    expect((await hz.adoption.trend({ from: first, to: latest, province: 440000 })).points).toEqual([]);
    const hzMap = await hz.adoption.regions({ from: first, to: latest });
    expect(hzMap.cells.map((x) => x.regionCode)).toEqual([330000]);
  });

  it("a city's user sees the city by the district codes the data carries, only when asked", async () => {
    const gz = await callerFor('regulator', 440100);
    const byDistrict = await gz.adoption.regions({
      from: first,
      to: latest,
      province: 440000,
      districts: true,
    });
    expect(byDistrict.level).toBe('district');
    const cases = await q<{ c: string; t: string }>(
      `select region_code c, count(*) t from cases where region_code between 440100 and 440199 group by 1 order by 1`,
    );
    expect(cases.map((r) => Number(r.c))).toEqual([440100, 440106]);
    expect(byDistrict.cells.filter((x) => x.casesTotal > 0).map((x) => [x.regionCode, x.casesTotal])).toEqual(
      cases.map((r) => [Number(r.c), Number(r.t)]),
    );
    // Without the flag (as target progress reads it) the city is one cell of all its districts.
    const city = await gz.adoption.regions({ from: first, to: latest, province: 440000 });
    expect(city.level).toBe('city');
    expect(city.cells.map((x) => [x.regionCode, x.casesTotal])).toEqual([
      [440100, cases.reduce((a, r) => a + Number(r.t), 0)],
    ]);
    // Shenzhen's data has no district codes: one cell, which the page shows as figures, not a map.
    const sz = await callerFor('regulator', 440300);
    const szCells = await sz.adoption.regions({ from: first, to: latest, province: 440000, districts: true });
    expect(szCells.cells.map((x) => x.regionCode)).toEqual([440300]);
    // A province's user asking for districts still gets its cities.
    const gd = await callerFor('regulator', 440000);
    expect(
      (await gd.adoption.regions({ from: first, to: latest, province: 440000, districts: true })).level,
    ).toBe('city');
  });
});

function r0(rows: { t: string }[]): number {
  return Number(rows[0]!.t);
}

describe('dashboard: chain', () => {
  it('status and events per contract come from indexer_health and events_daily', async () => {
    const c = await callerFor('analyst', 440100);
    const s = await c.chain.status({});
    const [hr] = await q<{ head_block: string; indexed_block: string }>(
      'select head_block, indexed_block from indexer_health',
    );
    expect(s.health?.headBlock).toBe(Number(hr!.head_block));
    expect(s.health?.indexedBlock).toBe(Number(hr!.indexed_block));
    expect(s.latestDay).toBe(latest);
    const a = await c.chain.activity({ from: first, to: latest });
    const ev = await q<{ event_name: string; n: string }>(
      'select event_name, count(*) n from chain_events group by 1',
    );
    expect(Object.fromEntries(a.byEvent.map((x) => [x.eventName, x.count]))).toEqual(
      Object.fromEntries(ev.map((x) => [x.event_name, Number(x.n)])),
    );
    const ds = a.contracts.indexOf('DataSharing');
    const [dsN] = await q<{ n: string }>(
      `select count(*) n from chain_events where contract = 'DataSharing'`,
    );
    expect(a.points.reduce((x, p) => x + p.counts[ds]!, 0)).toBe(Number(dsN!.n));
    expect(await c.chain.stalls({})).toEqual([]);
    // In time with the pinned clock: no warning.
    expect(s.aheadSeconds).toBeNull();
  });

  it('events per contract mark the day still running as to date, and only that day', async () => {
    const week = {
      from: new Date(Date.parse(`${latest}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10),
      to: latest,
    };
    // Noon of the newest day: that day is not over, so its bucket is drawn as to date.
    const noon = await createCaller(Date.parse(`${latest}T12:00:00+08:00`)).chain.activity(week);
    expect(noon.granularity).toBe('day');
    expect(noon.points.map((p) => p.bucket).at(-1)).toBe(latest);
    expect(noon.partialBucket).toBe(latest);
    // The next morning the same week is complete.
    const next = await createCaller(Date.parse(`${latest}T00:00:00+08:00`) + 86_400_000).chain.activity(week);
    expect(next.partialBucket).toBeNull();
  });

  it('warns when the newest block time runs ahead of the server clock (beyond a minute)', async () => {
    const [hr] = await q<{ head_time: Date }>('select head_time from indexer_health');
    const head = hr!.head_time;
    const at = async (serverMs: number) => {
      const c = createCaller(serverMs);
      return (await c.chain.status({})).aheadSeconds;
    };
    // The demo's case: newest block 23:04:49, server 21:54 → 70 minutes ahead.
    expect(await at(head.getTime() - 4_249_000)).toBe(4249);
    expect(await at(head.getTime() - 61_000)).toBe(61);
    expect(await at(head.getTime() - 60_000)).toBeNull();
    expect(await at(head.getTime() + 3_600_000)).toBeNull();
  });
});
