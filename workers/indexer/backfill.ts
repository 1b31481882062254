import { updateHealth } from '../health/update';
import type { ChainSide, IndexerContext, OpeningContext } from './context';
import { readCursor } from './context';
import { fetchRange, rangeBlocks, type FetchedRange, type RangeBlocks } from './fetch-range';
import { ProjectionStore, subjectKeys, type SubjectKeys, type WrittenSubjects } from '../projections/store';
import { prepareEvents, type PreparedEvents } from './prepare-events';
import { RangeSizer } from './range-size';
import { checkTip, recoverFromReorg } from './reorg';
import { commitPrepared } from './backfill-commit';
import { ensureRangePartitions, rangeEndHash } from './range-transaction';
import { keepStore, takeStore } from './store-cache';
import { deferIndexesIfEmpty, hasDeferredIndexes, holdsRows } from '~/db/deferred-indexes';
import { shanghaiMonthOf } from '~/db/partitions';
import { DeferredIndexBuilder } from './index-builder';
import { KeptIndexes } from './kept-indexes';
import { AheadDepth } from './ahead-depth';
import { WrittenKeys } from './written-keys';
import { PendingRollups } from '../rollups/pending';
import { settleRollups } from '../rollups/settle';
import type { BlockHeader } from '../chain/reader';
import type pg from 'pg';

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
 * The node's answer per eth_getLogs request in a backfill, in bytes of JSON (answerBytes): a
 * range of 15 MB is read in 8 or so requests, two at a time. On anvil, 50k DataAccessed in
 * requests of 1,000–2,000 logs (1–2 MB) took 2.7 s, in requests of 16,000 about 6 s (its cost per
 * log grows with the answer's size).
 *
 * 2 MB rather than 1: Node makes the text of a Buffer longer than 1,031,913 bytes (EXTERN_APEX in
 * its string_bytes.cc) an external string, outside V8's heap; a shorter one above 128 KB is
 * copied into the heap's large-object space, and the collector pays for each. Aimed at 1 MB,
 * about half the dense chain's answers fell below that line: the text and JSON.parse took
 * 6.7–7.8 ms per MB of answer, against 2.1–2.4 ms at 1.8 MB (docs/performance.md, 2026-12-05).
 */
const REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * What one eth_getLogs answer may reach where the chain's density changes: a request sized on the
 * last range's average (REQUEST_BYTES) spans many blocks of a quiet stretch, and when that stretch
 * turns busy within it (the simulator's large chain every morning: 50 KB blocks, then 5 MB ones)
 * the answer was 45–55 MB, two at a time, and the indexer's peak RSS 730–890 MB. So a request
 * spans at most as many blocks as this holds of the busiest block seen lately (Density). 8 MB still
 * let two blocks of a faded morning into one request: a 10 MB answer parses into ≈ 100 MB of
 * objects within one synchronous `JSON.parse`, two at once, and the heap jumped by 150 MB in a
 * second (peak RSS 454–482 MB). With 4 MB a busy block is asked for alone: 380 MB, the whole chain
 * 6–8 % faster and a fifth less CPU in the indexer (docs/performance.md, 2026-12-03 12:55).
 */
const ANSWER_CAP_BYTES = 4 * 1024 * 1024;

/**
 * How long (in block time) the busiest block seen still bounds requests at half its weight: a day,
 * so that a day's busy blocks bound the night after it and the morning it turns into, while a
 * one-off (a chain's set-up block) stops bounding a sparse chain's requests soon after.
 */
const BUSIEST_HALF_LIFE_SECONDS = 86_400;

/** Where the chain stands as far as ranges read so far tell: how busy its blocks are. */
export interface Density {
  /** The last range's answer per block. */
  bytesPerBlock: number;
  /** The largest answer of one block seen lately, fading with BUSIEST_HALF_LIFE_SECONDS. */
  busiestBlockBytes: number;
  /** The block time (unix seconds) these figures stand at; 0 before any range. */
  at: number;
}

export const UNKNOWN_DENSITY: Density = { bytesPerBlock: 0, busiestBlockBytes: 0, at: 0 };

/** The density after a range has been read. */
export function observeDensity(
  d: Density,
  range: Pick<FetchedRange, 'fromBlock' | 'toBlock' | 'headers' | 'bytes' | 'busiestBlockBytes'>,
): Density {
  const at = range.headers[range.headers.length - 1]?.timestamp ?? d.at;
  const fade = d.at > 0 ? 2 ** (-Math.max(0, at - d.at) / BUSIEST_HALF_LIFE_SECONDS) : 0;
  return {
    bytesPerBlock: range.bytes / (range.toBlock - range.fromBlock + 1),
    busiestBlockBytes: Math.max(d.busiestBlockBytes * fade, range.busiestBlockBytes),
    at,
  };
}

/** Blocks per eth_getLogs request for a range of `blocks` blocks at `density`. */
export function requestBlocks(blocks: number, density: Density): number {
  // With no density known yet (a start, or only empty blocks so far) the range is read in
  // 64 parts, so that a busy stretch it runs into stops it at the byte budget early.
  const onAverage =
    density.bytesPerBlock > 0 ? REQUEST_BYTES / density.bytesPerBlock : Math.ceil(blocks / 64);
  const atBusiest = density.busiestBlockBytes > 0 ? ANSWER_CAP_BYTES / density.busiestBlockBytes : Infinity;
  return Math.max(1, Math.floor(Math.min(onAverage, atBusiest)));
}

function fetchNext(ctx: ChainSide, from: number, to: number, density: Density): Promise<FetchedRange> {
  const p = fetchRange(
    ctx.reader,
    { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress },
    from,
    to,
    { chunkBlocks: requestBlocks(to - from + 1, density), maxBytes: BACKFILL_RANGE_BYTES },
  );
  // A prefetch may fail while the previous range is being written; it is awaited (and its error
  // thrown) in turn, so it must not count as unhandled meanwhile.
  p.catch(() => {});
  return p;
}

/**
 * A fetched range with its rows prepared, and the stored hash its state continues from. Its events
 * are not kept: while it is written, the next range is prepared and a third one read, and the
 * decoded events of the one being written would only wait for the collector.
 */
interface Prepared {
  range: RangeBlocks;
  /** The one-off subjects its events touch: kept in the store when colder ones are evicted. */
  subjects: SubjectKeys;
  prepared: PreparedEvents;
  basisHash: string | null;
}

/**
 * The node's answer per range in a backfill, in bytes of JSON (fetch-range.ts answerBytes): what
 * a range holds in memory grows with it, so the ranges in flight (fetched, prepared ahead,
 * written) stay bounded whatever the events carry. 15 MB is ≈ 16,000 DataAccessed, where
 * per-range costs (the grouped grant, projection and rollup upserts, key loads, the commit) were
 * amortised best: +7% on the 200k bench against 8,000, and 24,000 was no better and heavier.
 */
export const BACKFILL_RANGE_BYTES = 15 * 1024 * 1024;

/**
 * At most this much of what was read ahead goes into the first range: the writer waits for the
 * first range's preparation with nothing to overlap it (≈ 40 µs an event), and the pipeline runs
 * once that range is in.
 */
const FIRST_RANGE_BYTES = BACKFILL_RANGE_BYTES / 4;

/**
 * Rows prepared between two turns of the event loop while a range is being written: short enough
 * that a reply from Postgres waits little for its next statement (1,000 measured the same).
 */
const YIELD_EVERY = 250;

/**
 * Bytes of node answers read ahead while the schema is being migrated (an OpeningContext): the
 * 1-block opening range sizes the next, and the ramp of small ranges that follows (a chain's first
 * blocks are often its set-up) is read meanwhile instead of two of them alone. Two full ranges,
 * as many as the pipeline holds once it runs.
 */
const READ_AHEAD_BYTES = 2 * BACKFILL_RANGE_BYTES;

/**
 * Indexes from the cursor to the head (minus CONFIRMATIONS) in this process, as a pipeline of
 * three stages: the next range is fetched and decoded, the ones after the range being written are
 * applied to the projection state and turned into rows (one or two of them: ahead-depth.ts),
 * while range N is written by Postgres. Ranges still commit one at a time, in order; the state
 * prepared ahead continues the state of the ranges before it, and a range whose basis is gone at
 * commit time (another writer, a reorg) is dropped, with those prepared after it, and prepared
 * afresh.
 *
 * Given a context still opening (its schema being migrated), the first ranges are read from the
 * cursor the database held before meanwhile, and dropped if the cursor proves to be elsewhere.
 */
export async function syncToHead(
  opened: IndexerContext | OpeningContext,
  opts: {
    untilBlock?: number;
    sizer?: RangeSizer;
    /** After each range's commit; the sync goes on when what it returns has settled. */
    onRange?: (r: RangeBlocks) => unknown;
    /**
     * After a commit that brought the rollups further: they now hold every event of the blocks
     * `headers` span (the committed headers since the last call, up to the rollups' block).
     */
    onRollups?: (r: Pick<RangeBlocks, 'headers'>) => void;
    /**
     * As onRollups, once the look-up indexes of those blocks' months are in place too: at once,
     * unless this backfill defers them (db/deferred-indexes.ts), when a month's headers come after
     * its partitions' builds and the month it ends in never does. A VOLUME_SPIKE pass reads
     * accesses by accessor.
     */
    onRollupsIndexed?: (r: Pick<RangeBlocks, 'headers'>) => void;
    /** Before a reorg found mid-sync is rolled back (work riding on committed ranges settles). */
    beforeRollback?: () => Promise<void>;
    /**
     * Once, when the range that reaches the target has been read: the ranges still to write are
     * those in the pipeline, so work meant for the end can start beside them.
     */
    nearTarget?: () => void;
    /** Accesses a first backfill writes before it defers the indexes it keeps while small (kept-indexes.ts). */
    keptIndexAccesses?: number;
    /** How many ranges are prepared ahead of the one being written (default: from each half's pace). */
    aheadDepth?: AheadDepth;
  } = {},
): Promise<SyncSummary> {
  const started = Date.now();
  const opening = 'ready' in opened ? opened : null;
  const chain: ChainSide = 'ready' in opened ? opened.chain : opened;
  const sizer = opts.sizer ?? new RangeSizer(BACKFILL_RANGE_BYTES);
  const head = await chain.reader.getHead();
  const target = Math.min(opts.untilBlock ?? Infinity, head.number - chain.confirmations);
  const summary = { ranges: 0, events: 0, incidents: 0, reorgs: 0 };
  /** Milliseconds spent per step of the range writer, summed: where backfill time goes. */
  const timings: Record<string, number> = {};
  const add = (t: Record<string, number>) => {
    for (const [k, v] of Object.entries(t)) timings[k] = (timings[k] ?? 0) + v;
  };

  const plan = (after: number): [number, number] | null =>
    after >= target ? null : [after + 1, Math.min(target, after + sizer.next())];

  /** How many blocks one eth_getLogs request asks for follows from this. */
  let density = UNKNOWN_DENSITY;
  /** The range being fetched and decoded ahead of the one being prepared. */
  const fetching: { next: Promise<FetchedRange> | null } = { next: null };
  const refetch = (after: number) => {
    const next = plan(after);
    fetching.next = next ? fetchNext(chain, next[0], next[1], density) : null;
  };
  /** Ranges fetched while the schema was migrated, in order, not yet prepared. */
  const readAhead: FetchedRange[] = [];
  let nearTargetSaid = false;
  /** A fetched range sizes the next one, whose fetch starts at once. */
  const took = (range: FetchedRange): FetchedRange => {
    if (range.toBlock >= target && !nearTargetSaid) {
      nearTargetSaid = true;
      opts.nearTarget?.();
    }
    sizer.observe(range.toBlock - range.fromBlock + 1, range.bytes);
    density = observeDensity(density, range);
    refetch(range.toBlock);
    return range;
  };

  if (opening && opening.cursorBefore !== null) {
    refetch(opening.cursorBefore);
    const ready = opening.ready.then(() => null);
    ready.catch(() => {}); // its error is thrown when the context is awaited below
    let readBytes = 0;
    while (fetching.next && readBytes < READ_AHEAD_BYTES) {
      const range = await Promise.race([fetching.next, ready]);
      if (range === null) break;
      readAhead.push(took(range));
      readBytes += range.bytes;
    }
  }
  const ctx: IndexerContext = 'ready' in opened ? await opened.ready : opened;

  const tip = await checkTip(ctx);
  if (tip.reorged) summary.reorgs += 1;
  let cursor = tip.cursor;
  const fromBlock = cursor + 1;
  // Nothing read ahead, or read from a cursor that another writer or a reorg below it moved while
  // the schema was migrated: read from the cursor (a fetch left behind has its failure caught).
  if (opening?.cursorBefore !== cursor) {
    readAhead.length = 0;
    refetch(cursor);
  }

  // The projection state this run carries from range to range, taken over from the context's
  // cache when that was left exactly at the cursor (and handed back at the end).
  const start = await readCursor(ctx);
  let store: ProjectionStore | null = takeStore(ctx.storeCache, start);
  /** The stored hash that the store's state (once its prepared ranges commit) stands at. */
  let chainHash = start.hash;

  /** Builds the look-up indexes this sync defers, month by month behind it, the rest at its end. */
  const indexes = new DeferredIndexBuilder(ctx.dbh.pool);
  /** Whether its ranges still keep some of them up (decided at the first range). */
  const kept = new KeptIndexes();

  /**
   * The case ids this sync wrote, while they are every case stored: from a sync that found `cases`
   * empty until a range is committed by another writer or rolled back (written-keys.ts).
   */
  let writtenCases: WrittenKeys | null = null;
  /** Likewise the invoices and certificates its ranges touched (ProjectionStore.loadFor). */
  let writtenSubjects: WrittenSubjects | null = null;

  /** How many ranges are prepared ahead of the one being written, from how long each half takes. */
  const depth = opts.aheadDepth ?? new AheadDepth();
  /** The first range written is kept small: nothing is written until it is prepared. */
  let budget = FIRST_RANGE_BYTES;
  let first = true;
  const takeAndPrepare = async (): Promise<Prepared | null> => {
    let range = joinReadAhead(readAhead, budget);
    budget = BACKFILL_RANGE_BYTES;
    if (!range) {
      if (!fetching.next) return null;
      const t0 = performance.now();
      // A malformed log (a faulty node) fails the run with its MalformedLogError, naming block and log.
      range = took(await fetching.next);
      add({ wait_fetch: performance.now() - t0 });
    }
    const preparing = performance.now();
    store ??= new ProjectionStore(ctx.chainId);
    const basisHash = chainHash;
    const t: Record<string, number> = {};
    // While the first range is prepared (nothing is written yet): its months get their partitions,
    // ≈ 0.15–0.3 s on a new database that the writer waited at its first commit, and an empty
    // `accesses` or `events` has its look-up indexes deferred to the end. Later months are ensured at their
    // range's commit (a partition made beside a range transaction could wait on its locks).
    const before = first
      ? Promise.all([
          ensureRangePartitions(ctx.dbh.pool, range.headers),
          deferIndexesIfEmpty(ctx.dbh.pool).then(async (dropped) => {
            const pending = await hasDeferredIndexes(ctx.dbh.pool);
            indexes.deferred(pending);
            kept.decide(
              { deferredAccesses: dropped.some((n) => n.startsWith('accesses_')), anyDeferred: pending },
              opts.keptIndexAccesses,
            );
          }),
          holdsRows(ctx.dbh.pool, 'cases').then((stored) => {
            if (!stored) writtenCases = new WrittenKeys();
          }),
        ])
      : null;
    before?.catch(() => {}); // awaited below
    // Known before the first range is loaded: the filters must hold every key this sync touches.
    if (first) writtenSubjects = await subjectsIfEmpty(ctx.dbh.pool);
    first = false;
    const prepared = await prepareEvents(ctx.dbh.db, ctx.chainId, range.events, store, ctx.settings, {
      withRules: true,
      timings: t,
      yieldEvery: YIELD_EVERY,
      written: writtenSubjects,
      stageFindings: true,
    });
    await before;
    add(t);
    depth.prepared(performance.now() - preparing);
    chainHash = rangeEndHash(range);
    return { range: rangeBlocks(range), subjects: subjectKeys(range.events), prepared, basisHash };
  };

  /** The sync's rollup sums, written once a day is over (rollups/pending.ts). */
  const rollups = new PendingRollups();
  /** Headers of committed blocks whose events the rollups do not hold yet. */
  let unrolled: BlockHeader[] = [];
  /** Headers the rollups hold, in order, from the first whose month's look-up indexes are not built. */
  let unindexed: BlockHeader[] = [];
  const releaseIndexed = () => {
    let n = 0;
    while (n < unindexed.length && indexes.indexed(shanghaiMonthOf(unindexed[n]!.timestamp))) n++;
    if (n === 0) return;
    const ready = unindexed.slice(0, n);
    unindexed = unindexed.slice(n);
    opts.onRollupsIndexed?.({ headers: ready });
  };
  indexes.onMonthBuilt = releaseIndexed;
  const rolledUp = (headers: BlockHeader[]) => {
    opts.onRollups?.({ headers });
    unindexed.push(...headers);
    releaseIndexed();
  };

  /**
   * Preparations started, in range order, each after the one before (the state continues): the
   * head of the queue is the next range to write.
   */
  let ahead: Promise<Prepared | null>[] = [];
  /** Prepared ranges not committed yet (the one being written too): their subjects stay in the store. */
  const uncommitted = new Set<Prepared>();
  const prepareNext = (after: Promise<Prepared | null> | undefined): Promise<Prepared | null> => {
    const next = (after ?? Promise.resolve(undefined)).then(async (before) => {
      if (before === null) return null;
      // Between two preparations nothing reads the store: invoices and certificates of committed
      // ranges only can go (read back if they come up again).
      if (store && after) store.evictColdSubjects(...[...uncommitted].map((u) => u.subjects));
      const p = await takeAndPrepare();
      if (p) uncommitted.add(p);
      return p;
    });
    next.catch(() => {}); // awaited in turn
    return next;
  };
  const fillAhead = () => {
    while (ahead.length < depth.depth) ahead.push(prepareNext(ahead[ahead.length - 1]));
  };
  /** Lets every preparation started settle and forgets them (the state they built on is dropped). */
  const dropAhead = async () => {
    await Promise.allSettled(ahead);
    ahead = [];
    uncommitted.clear();
  };

  let item: Prepared | null;
  try {
    item = await prepareNext(undefined);
    while (item) {
      const deferKept = kept.dueBefore(item.prepared.accessCount);
      const writeStarted = performance.now();
      const writing = commitPrepared(
        ctx.dbh.pool,
        ctx.chainId,
        item.range,
        item.prepared,
        item.basisHash,
        { pending: rollups, final: item.range.toBlock >= target },
        writtenCases,
        deferKept,
      );
      writing.catch(() => {});
      fillAhead();
      let outcome: Awaited<typeof writing>;
      try {
        outcome = await writing;
      } catch (e) {
        await dropAhead(); // nothing keeps running after this call has failed
        throw e;
      }
      if (outcome.kind === 'committed') {
        depth.written(performance.now() - writeStarted);
        uncommitted.delete(item);
        summary.ranges += 1;
        summary.events += outcome.events;
        summary.incidents += outcome.incidents;
        add(outcome.timings);
        kept.committed(item.prepared.accessCount, deferKept);
        if (deferKept) indexes.widened();
        indexes.committed(item.range.headers);
        await opts.onRange?.(item.range);
        unrolled.push(...item.range.headers);
        const rolled = unrolled.filter((h) => h.number <= outcome.rollupsBlock);
        if (rolled.length > 0) {
          unrolled = unrolled.filter((h) => h.number > outcome.rollupsBlock);
          rolledUp(rolled);
        }
        cursor = item.range.toBlock;
        const t0 = performance.now();
        item = await ahead.shift()!;
        add({ wait_prepare: performance.now() - t0 });
        continue;
      }
      // Anything else: drop what was prepared ahead and the state it built on, and re-plan from
      // the (possibly moved) cursor.
      unindexed = [];
      // Rows another writer or a rollback changed: the filters no longer know every stored key.
      writtenCases = null;
      writtenSubjects = null;
      await dropAhead();
      store = null;
      readAhead.length = 0;
      // Blocks another writer committed on, or a rollback removed: their sums are not this sync's
      // to report (the pass after the sync covers the days still undetected).
      unrolled = [];
      if (outcome.kind === 'reorg') {
        summary.reorgs += 1;
        await opts.beforeRollback?.();
        cursor = await recoverFromReorg(ctx, outcome.cursor);
      } else if (outcome.kind === 'not-yet') {
        await new Promise((r) => setTimeout(r, 100));
      }
      const now = await readCursor(ctx);
      cursor = now.block;
      chainHash = now.hash;
      refetch(cursor);
      item = await prepareNext(undefined);
    }
  } catch (e) {
    await dropAhead();
    fetching.next?.catch(() => {});
    throw e;
  }
  if (store) keepStore(ctx.storeCache, store, { block: cursor, hash: chainHash });
  // The last range wrote every sum, unless the sync ended on a range another writer committed.
  if (await settleRollups(ctx.dbh.pool, ctx.chainId)) rolledUp(unrolled);
  // Indexes this sync deferred, or one that stopped half-way did, are built now.
  const t0 = performance.now();
  if ((await indexes.finish()) > 0) add({ build_indexes: performance.now() - t0 });
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

/** Filters of the invoices and certificates a sync writes, when neither table holds a row yet. */
async function subjectsIfEmpty(pool: pg.Pool): Promise<WrittenSubjects | null> {
  const [invoices, certificates] = await Promise.all([
    holdsRows(pool, 'invoices'),
    holdsRows(pool, 'certificates'),
  ]);
  return invoices || certificates ? null : { invoices: new WrittenKeys(), certificates: new WrittenKeys() };
}

/**
 * The first ranges read ahead, joined into one while they continue each other and stay within
 * `maxBytes`, taken off `ranges`: a ramp of small ranges (1 block, then 3, 8, 29…) written one by one
 * costs a transaction and its dozen round trips each, ≈ 0.1 s apiece, before the pipeline runs at
 * full size. Ranges whose seam does not join (the node switched forks between reading them) stay
 * apart, so the second one's commit finds the reorg as it would have alone.
 */
export function joinReadAhead(ranges: FetchedRange[], maxBytes: number): FetchedRange | undefined {
  let joined = ranges.shift();
  if (!joined) return undefined;
  for (let next = ranges[0]; next && joined.bytes + next.bytes <= maxBytes; next = ranges[0]) {
    const last = joined.headers[joined.headers.length - 1];
    const first = next.headers[0];
    const seamJoins =
      next.fromBlock === joined.toBlock + 1 &&
      last?.number === joined.toBlock &&
      first?.number === next.fromBlock &&
      first.parentHash === last.hash;
    if (!seamJoins) break;
    ranges.shift();
    joined = {
      fromBlock: joined.fromBlock,
      toBlock: next.toBlock,
      headers: [...joined.headers, ...next.headers],
      events: [...joined.events, ...next.events],
      malformed: [...joined.malformed, ...next.malformed],
      eventCount: joined.eventCount + next.eventCount,
      bytes: joined.bytes + next.bytes,
      busiestBlockBytes: Math.max(joined.busiestBlockBytes, next.busiestBlockBytes),
    };
  }
  return joined;
}
