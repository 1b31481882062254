import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/sync';
import { analyzeIfStale } from '../../workers/indexer/analyze';
import type { CliCommand } from '../command';
import { CliError } from '../command';

export const indexCommand: CliCommand = {
  name: 'index',
  usage: 'index --until-head',
  options: { 'until-head': { type: 'boolean' } },
  async run({ env, values }) {
    if (!values['until-head'])
      throw new CliError('only "index --until-head" is supported; use "work" to follow the chain');
    // Milliseconds since the process started (performance's time origin), per phase: what an
    // operator waits for besides the sync itself.
    const phases: Record<string, number> = { startup: performance.now() };
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      mark = now;
    };
    phases.startup = Math.round(mark);
    const ctx = await createIndexerContext(env);
    lap('connect');
    try {
      const sync = await syncToHead(ctx);
      lap('sync');
      // A batch run judges history; whether the chain is stalled right now is the live workers' call.
      const windowed = await runWindowedDetection({
        db: ctx.dbh.db,
        chainId: ctx.chainId,
        settings: ctx.settings,
        liveStall: false,
      });
      lap('windowed');
      await analyzeIfStale(ctx.dbh.pool, true);
      lap('analyze');
      const incidents = sync.incidents + windowed.volumeSpikes.created + windowed.chainStalls.created;
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
      };
    } finally {
      await ctx.dbh.close();
    }
  },
};
