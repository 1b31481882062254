import { UnrecoverableError } from 'bullmq';
import { MalformedLogError } from '../events/raw-log';
import { updateHealth } from '../health/update';
import type { IndexerContext } from './context';
import { readCursor } from './context';
import { fetchRange, type FetchedRange } from './fetch-range';
import { RangeSizer } from './range-size';
import { findCommonAncestor, rollbackTo } from './reorg';
import { commitRange } from './write-range';

export interface SyncSummary {
  fromBlock: number;
  toBlock: number;
  headBlock: number;
  ranges: number;
  events: number;
  incidents: number;
  reorgs: number;
  seconds: number;
  writerMs: Record<string, number>;
}

/**
 * Finds where the stored chain and the node part ways and rolls back to the common ancestor.
 * Returns the new cursor.
 */
export async function recoverFromReorg(ctx: IndexerContext, cursor: number): Promise<number> {
  const ancestor = await findCommonAncestor(
    ctx.dbh.pool,
    ctx.reader,
    ctx.chainId,
    cursor,
    ctx.startBlock - 1,
  );
  await rollbackTo(ctx.dbh.pool, ctx.chainId, ancestor.number, ancestor.hash);
  return ancestor.number;
}

/**
 * A reorg that replaces the tip without making the chain longer leaves no parent-hash mismatch
 * for the next range to find, so the stored hash of the cursor block is compared with the node's.
 * Returns the cursor after recovery (unchanged when the tip is intact).
 */
export async function checkTip(ctx: IndexerContext): Promise<{ cursor: number; reorged: boolean }> {
  const { block, hash } = await readCursor(ctx);
  if (!hash || block < ctx.startBlock) return { cursor: block, reorged: false };
  const onChain = (await ctx.reader.getHeaders([block])).get(block);
  if (onChain && onChain.hash === hash) return { cursor: block, reorged: false };
  return { cursor: await recoverFromReorg(ctx, block), reorged: true };
}

function fetchNext(ctx: IndexerContext, from: number, to: number): Promise<FetchedRange> {
  const p = fetchRange(
    ctx.reader,
    { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress },
    from,
    to,
  );
  // A prefetch may fail while the previous range is being written; it is awaited (and its error
  // thrown) in turn, so it must not count as unhandled meanwhile.
  p.catch(() => {});
  return p;
}

/**
 * Indexes from the cursor to the head (minus CONFIRMATIONS) in this process. The next range is
 * fetched and decoded while the current one is written, so the node and Postgres work at once.
 */
export async function syncToHead(
  ctx: IndexerContext,
  opts: { untilBlock?: number; sizer?: RangeSizer; onRange?: (r: FetchedRange) => void } = {},
): Promise<SyncSummary> {
  const started = Date.now();
  const sizer = opts.sizer ?? new RangeSizer();
  const head = await ctx.reader.getHead();
  const target = Math.min(opts.untilBlock ?? Infinity, head.number - ctx.confirmations);
  const summary = { ranges: 0, events: 0, incidents: 0, reorgs: 0 };
  /** Milliseconds spent per step of the range writer, summed: where backfill time goes. */
  const timings: Record<string, number> = {};
  const tip = await checkTip(ctx);
  if (tip.reorged) summary.reorgs += 1;
  let cursor = tip.cursor;
  const fromBlock = cursor + 1;

  const plan = (after: number): [number, number] | null =>
    after >= target ? null : [after + 1, Math.min(target, after + sizer.next())];

  let next = plan(cursor);
  let pending = next ? fetchNext(ctx, next[0], next[1]) : null;
  while (next && pending) {
    let range: FetchedRange;
    try {
      range = await pending;
    } catch (e) {
      if (e instanceof MalformedLogError) throw new UnrecoverableError(e.message);
      throw e;
    }
    sizer.observe(range.toBlock - range.fromBlock + 1, range.events.length);
    const following = plan(range.toBlock);
    pending = following ? fetchNext(ctx, following[0], following[1]) : null;
    const outcome = await commitRange(ctx.dbh.pool, ctx.chainId, range, ctx.settings, ctx.storeCache);
    if (outcome.kind === 'committed') {
      summary.ranges += 1;
      summary.events += outcome.events;
      summary.incidents += outcome.incidents;
      for (const [k, v] of Object.entries(outcome.timings)) timings[k] = (timings[k] ?? 0) + v;
      opts.onRange?.(range);
      cursor = range.toBlock;
      next = following;
      continue;
    }
    // Anything else: drop the prefetched range and re-plan from the (possibly moved) cursor.
    pending?.catch(() => {});
    if (outcome.kind === 'reorg') {
      summary.reorgs += 1;
      cursor = await recoverFromReorg(ctx, outcome.cursor);
    } else {
      cursor = (await readCursor(ctx)).block;
      if (outcome.kind === 'not-yet') await new Promise((r) => setTimeout(r, 100));
    }
    next = plan(cursor);
    pending = next ? fetchNext(ctx, next[0], next[1]) : null;
  }
  await updateHealth(ctx.dbh.pool, { chainId: ctx.chainId, head, rpcOkAt: ctx.rpcOk.at || null });
  return {
    fromBlock,
    toBlock: cursor,
    headBlock: head.number,
    ...summary,
    seconds: (Date.now() - started) / 1000,
    writerMs: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
  };
}
