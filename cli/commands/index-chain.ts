import { DetectionBehindSync } from '../../workers/incidents/detect-behind-sync';
import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import { openIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { analyzeIfStale } from '../../workers/indexer/analyze';
import { compactTallies } from '../../workers/incidents/tallies';
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { boundHeapGrowth } from '../../workers/indexer/heap-growth';

export const indexCommand: CliCommand = {
  name: 'index',
  usage: 'index --until-head',
  options: { 'until-head': { type: 'boolean' } },
  async run({ env, values }) {
    boundHeapGrowth();
    if (!values['until-head'])
      throw new CliError('only "index --until-head" is supported; use "work" to follow the chain');
    // Milliseconds per phase, wall clock and this process's CPU, from the process's start
    // (performance's time origin): what an operator waits for besides the sync itself. On a busy
    // machine the two differ by the time spent waiting for a core.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const phases: Record<string, number> = { startup: Math.round(performance.now()) };
    const phasesCpu: Record<string, number> = { startup: Math.round(cpuMs()) };
    let mark = performance.now();
    let cpuMark = cpuMs();
    const lap = (name: string) => {
      const now = performance.now();
      const cpu = cpuMs();
      phases[name] = Math.round(now - mark);
      phasesCpu[name] = Math.round(cpu - cpuMark);
      mark = now;
      cpuMark = cpu;
    };
    // The sync starts as soon as the node's chain id is checked: a new database's schema is
    // migrated while the first ranges are read (`schema`: when it was ready, from the same mark).
    const opening = await openIndexerContext(env);
    lap('connect');
    const syncMark = performance.now();
    // Spikes of the days the sync has passed are found while it goes on; the pass after it covers
    // the days still open (and CHAIN_STALLED over the whole history).
    const spikes: { behind?: DetectionBehindSync } = {};
    // Planner statistics of the tables that changed enough are refreshed beside the last ranges'
    // writes (their ANALYZE was ≈ 1 s after the sync of a 9M chain); after the sync, only those
    // never analyzed and tables that more than doubled since (workers/indexer/analyze.ts).
    let earlyAnalyze: Promise<unknown> | null = null;
    opening.ready.then(
      (ctx) => {
        phases.schema = Math.round(performance.now() - syncMark);
        spikes.behind = new DetectionBehindSync({
          db: ctx.dbh.db,
          chainId: ctx.chainId,
          settings: ctx.settings,
        });
      },
      () => {},
    );
    try {
      const sync = await syncToHead(opening, {
        // VOLUME_SPIKE reads the access_daily rollup, and accesses by accessor: a day is passed
        // once its sums are written and its month's look-up indexes built.
        onRollupsIndexed: (span) => spikes.behind?.committed(span),
        beforeRollback: async () => spikes.behind?.beforeRollback(),
        nearTarget: () => {
          earlyAnalyze = opening.ready.then((ctx) => analyzeIfStale(ctx.dbh.pool, true));
          earlyAnalyze.catch(() => {}); // awaited below
        },
      });
      lap('sync');
      const ctx = await opening.ready;
      await spikes.behind?.settle();
      // A batch run judges history; whether the chain is stalled right now is the live workers' call.
      // Planner statistics are refreshed meanwhile, on other connections of the pool.
      const analyzed = Promise.resolve(earlyAnalyze).then(() =>
        analyzeIfStale(ctx.dbh.pool, true, { analyzedStand: earlyAnalyze !== null }),
      );
      analyzed.catch(() => {}); // awaited below
      const windowed = await runWindowedDetection({
        db: ctx.dbh.db,
        chainId: ctx.chainId,
        settings: ctx.settings,
        liveStall: false,
        fromDay: spikes.behind?.firstUndetectedDay,
      });
      lap('windowed');
      // The incident counts this run appended, folded (a backfill appends a few rows per range).
      await compactTallies(ctx.dbh.pool);
      await analyzed;
      lap('analyze');
      const incidents =
        sync.incidents +
        (spikes.behind?.created ?? 0) +
        windowed.volumeSpikes.created +
        windowed.chainStalls.created;
      return {
        chainId: ctx.chainId,
        fromBlock: sync.fromBlock,
        indexedBlock: sync.toBlock,
        headBlock: sync.headBlock,
        ranges: sync.ranges,
        events: sync.events,
        incidentsCreated: incidents,
        reorgs: sync.reorgs,
        seconds: sync.seconds,
        eventsPerSecond: sync.seconds > 0 ? Math.round(sync.events / sync.seconds) : 0,
        writerMs: sync.writerMs,
        phasesMs: phases,
        phasesCpuMs: phasesCpu,
      };
    } finally {
      const ctx = await opening.ready.catch(() => null);
      await ctx?.dbh.close();
    }
  },
};
