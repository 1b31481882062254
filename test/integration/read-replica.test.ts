import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { checkHealth } from '../../server/health/check';
import { configureRollupRefresh, rollupRefreshesSettled } from '../../server/services/rollup-cache';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { testClock } from '../helpers/clock';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { startPgPair, type PgPair } from '../helpers/pg-cluster';
import { addr, id } from '../helpers/scenario';
import { createServerFixture, type ServerFixture } from '../helpers/web';
import { dashboardScenario } from './dashboard-scenario';

/**
 * DATABASE_READ_URL: dashboard reads go to a real streaming replica (pg_basebackup -R) and answer
 * exactly what the primary answers once it has caught up; writes and one's own triage stay on
 * the primary, visible at once even while the replica stands still.
 */
let pair: PgPair;
let h: IndexerHarness;
let replica: DbHandle;
let viaReplica: ServerFixture;
let viaPrimary: ServerFixture;

async function index(): Promise<void> {
  const ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);
  await ctx.dbh.close();
}

beforeAll(async () => {
  // The figures after a commit are asserted below: every new cursor recomputes at once here.
  configureRollupRefresh({ everyMs: 0 });
  pair = await startPgPair();
  // The chain starts at the pinned test clock and the server's clock stands 30 days later.
  h = await createIndexerHarness({ databaseBaseUrl: pair.primaryUrl, genesisTimestamp: testClock() });
  await dashboardScenario(h.scenario, h.anvil.url);
  await index();
  const name = new URL(h.db.url).pathname.slice(1);
  replica = createDb(pair.urlOf('replica', name), { max: 3 });
  const now = () => new Date((testClock() + 30 * 86_400) * 1000);
  viaReplica = await createServerFixture({ db: h.db, readDb: replica.db, now });
  viaPrimary = await createServerFixture({ db: h.db, now });
  await pair.caughtUp();
}, 300_000);
afterAll(async () => {
  await replica?.close();
  await h?.close();
  await pair?.close();
});

/** Every dashboard read, for one user, through both fixtures. */
async function dashboardReads(f: ServerFixture, user: Awaited<ReturnType<ServerFixture['addUser']>>) {
  const c = f.callerFor(user);
  return {
    overview: await c.overview.summary({ period: '30d' }),
    sankey: await c.flows.sankey({ period: '30d', group: 'org' }),
    matrix: await c.flows.matrix({ period: '30d', axis: 'region' }),
    series: await c.flows.series({ period: '30d' }),
    accesses: await c.flows.accesses({ period: '30d', limit: 50 }),
    adoption: await c.adoption.regions({ period: '30d' }),
    trend: await c.adoption.trend({ period: '30d' }),
    orgs: await c.orgs.list({}),
    activity: await c.chain.activity({ period: '30d' }),
  };
}

describe('read replica', () => {
  it('every dashboard read through the replica equals the primary, for nation-wide and scoped users', async () => {
    for (const [role, region] of [
      ['regulator', null],
      ['regulator', 440100],
      ['admin', 330000],
    ] as const) {
      const u = await viaPrimary.addUser(role, region);
      await pair.caughtUp();
      const a = await dashboardReads(viaReplica, u);
      const b = await dashboardReads(viaPrimary, u);
      expect(a).toEqual(b);
      expect(a.overview.kpis.accesses.current).toBeGreaterThan(0);
    }
  });

  it('while the replica stands still: dashboards show its state, one’s own triage shows at once, health names the lag', async () => {
    const u = await viaPrimary.addUser('analyst', null);
    await pair.caughtUp();
    let window = { from: '', to: '' };
    let before = -1;
    await replica.pool.query('select pg_wal_replay_pause()');
    try {
      // New chain activity reaches the primary only.
      const w = { g: id('grant-civil'), ds: id('ds-population'), civil: addr('gz-civil') };
      await h.scenario.accessBatch([
        {
          grantId: w.g,
          datasetId: w.ds,
          accessor: w.civil,
          mode: 1,
          purpose: 2,
          recordCount: 7,
          payloadHash: id('late-1'),
        },
      ]);
      await index();
      // One fixed window over every access: a rolling period would move if a day ended meanwhile.
      const [span] = (
        await h.db.pool.query<{ from: string; to: string }>(
          `select min(d) as from, max(d) as to from (select to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM-DD') d from accesses) x`,
        )
      ).rows;
      window = { from: span!.from, to: span!.to };
      const fromReplica = await viaReplica.callerFor(u).overview.summary(window);
      const fromPrimary = await viaPrimary.callerFor(u).overview.summary(window);
      const { rows: counted } = await replica.pool.query<{ n: number }>(
        'select count(*)::int n from accesses',
      );
      expect(fromReplica.kpis.accesses.current).toBe(counted[0]!.n);
      expect(fromPrimary.kpis.accesses.current).toBe(counted[0]!.n + 1);
      before = fromReplica.kpis.accesses.current;

      // One's own change: triage writes and reads the primary.
      const c = viaReplica.callerFor(u);
      const { rows } = await h.db.pool.query<{ id: string }>(
        "select id::text from incidents where status = 'open' order by id limit 1",
      );
      const incidentId = Number(rows[0]!.id);
      await c.incidents.setStatus({ id: incidentId, to: 'acknowledged', comment: '已核实' });
      expect((await c.incidents.get({ id: incidentId })).incident.status).toBe('acknowledged');

      // The lag is measured against what the primary has written out: its commits are asynchronous.
      await pair.flushWal();
      const health = await checkHealth({
        db: h.db.db,
        readDb: replica.db,
        pingRedis: () => Promise.resolve('PONG'),
      });
      expect(health.checks.replica).toBe('ok');
      expect(health.replica!.lagBytes).toBeGreaterThan(0);
    } finally {
      await replica.pool.query('select pg_wal_replay_resume()');
    }
    await pair.caughtUp();
    // Right after the commit the figures may still be the previous block's, saying so, while the
    // new block's are computed (README, "Dashboard reads": not when the new block is more than a
    // minute of chain time later, and this chain's clock follows the wall clock); then the new
    // block's.
    const first = await viaReplica.callerFor(u).overview.summary(window);
    await rollupRefreshesSettled(replica.db);
    const after = await viaReplica.callerFor(u).overview.summary(window);
    expect(after.kpis.accesses.current).toBe(before + 1);
    expect(after.figuresAsOfBlock).toBe(after.chain!.indexedBlock);
    expect(first.kpis.accesses.current).toBe(
      first.figuresAsOfBlock === after.figuresAsOfBlock ? before + 1 : before,
    );
    const health = await checkHealth({
      db: h.db.db,
      readDb: replica.db,
      pingRedis: () => Promise.resolve('PONG'),
    });
    expect(health.replica).toEqual({ lagBytes: 0, lagSeconds: 0 });
  });
});
