import { createIndexerContext, readCursor } from '../../workers/indexer/context';
import { rollbackTo } from '../../workers/indexer/reorg';
import { syncToHead } from '../../workers/indexer/backfill';
import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import type { CliCommand } from '../command';
import { CliError, intOption } from '../command';
import { boundHeapGrowth } from '../../workers/indexer/heap-growth';
import { analyzeIfStale } from '../../workers/indexer/analyze';

export const reindexCommand: CliCommand = {
  name: 'reindex',
  usage: 'reindex --from-block N',
  options: { 'from-block': { type: 'string' } },
  async run({ env, values }) {
    boundHeapGrowth();
    const from = intOption(values, 'from-block');
    if (from < 0) throw new CliError('--from-block must be ≥ 0');
    const ctx = await createIndexerContext(env);
    try {
      const keepUpTo = Math.max(from, ctx.startBlock) - 1;
      const cursor = await readCursor(ctx);
      if (keepUpTo < cursor.block) {
        const hash =
          keepUpTo >= ctx.startBlock ? (await ctx.reader.getHeaders([keepUpTo])).get(keepUpTo)?.hash : null;
        await rollbackTo(ctx.dbh.pool, ctx.chainId, keepUpTo, hash ?? null);
      }
      const sync = await syncToHead(ctx);
      await runWindowedDetection({
        db: ctx.dbh.db,
        chainId: ctx.chainId,
        settings: ctx.settings,
        liveStall: false,
      });
      // A reindex deletes and writes again what it covers: the dashboard's plans need the new
      // counts before the workers' next refresh (autovacuum may be off).
      await analyzeIfStale(ctx.dbh.pool, true);
      return {
        chainId: ctx.chainId,
        rolledBackTo: keepUpTo,
        indexedBlock: sync.toBlock,
        events: sync.events,
      };
    } finally {
      await ctx.dbh.close();
    }
  },
};
