import type { RuleSettings } from '../../domain/rules';
import type { ChainEvent } from '../events/types';
import { applyEvent } from '../projections/apply';
import { DerivedRows } from '../projections/derive';
import type { ProjectionStore, WrittenSubjects } from '../projections/store';
import { projectionRows, type ProjectionRows } from '../projections/write';
import type { RollupAccumulator } from '../rollups/accumulator';
import { evaluateEventRules } from '../rules';
import type { Finding } from '../state/types';
import { orderFindings, stageAhead, type OrderedFindings } from '../incidents/write-findings';
import type { Tx } from '~/db/client';
import { argsJson } from './args-json';
import { contractAddressIds } from './contract-address-ids';
import { BinaryCopyRows } from './copy-binary';

/**
 * Everything one range writes, computed in memory and detached from the projection store: the
 * binary COPY data of raw events, accesses and cases, the projection rows, the rollup sums
 * and the findings.
 * The backfill prepares the ranges after range N while range N is still being written.
 */
export interface PreparedEvents {
  events: number;
  /** Binary COPY rows of `events` (write-prepared.ts EVENT_COLUMNS). */
  rawRows: Buffer[];
  /** Binary COPY rows of `accesses` (ACCESS_COLUMNS), and how many. */
  accessRows: Buffer[];
  accessCount: number;
  /** Binary COPY rows (CASE_COLUMNS) of the first CaseCompleted of each case id in the range, and those ids in order. */
  caseRows: Buffer[];
  caseIds: string[];
  projections: ProjectionRows;
  rollups: RollupAccumulator;
  /** In the order they are written, their stage rows built for a write that stages them. */
  findings: OrderedFindings;
}

export type Timings = Record<string, number>;

/** A lap timer adding milliseconds per named step into `timings`. */
export function lapper(timings?: Timings): (name: string) => void {
  let t = performance.now();
  return (name) => {
    const now = performance.now();
    if (timings) timings[name] = (timings[name] ?? 0) + (now - t);
    t = now;
  };
}

/**
 * Loads the state the events read (through `db`, which must see the state the store continues
 * from), then applies the events in chain order, evaluating the per-event rules before each one.
 */
export async function prepareEvents(
  db: Tx,
  chainId: number,
  events: ChainEvent[],
  store: ProjectionStore,
  settings: RuleSettings,
  opts: {
    withRules: boolean;
    skipRaw?: boolean;
    timings?: Timings;
    yieldEvery?: number;
    /** A first backfill's invoices and certificates (ProjectionStore.loadFor). */
    written?: WrittenSubjects | null;
    /** The write will stage large chunks of findings (it has the range's block times): build their rows now. */
    stageFindings?: boolean;
  },
): Promise<PreparedEvents> {
  const lap = lapper(opts.timings);
  // Run ahead of a write on the same event loop, long stretches of JS would keep Postgres
  // waiting: for the socket that feeds its COPY, and for the next statement after each reply of
  // the range's dozen or so upserts. Give the loop a turn every few hundred rows.
  const yieldEvery = opts.yieldEvery ?? Infinity;
  let sinceYield = 0;
  /** True once every `yieldEvery` calls: then `await turn()` (checked inline, no await per row). */
  const due = (): boolean => {
    if (++sinceYield < yieldEvery) return false;
    sinceYield = 0;
    return true;
  };
  const turn = () => new Promise<void>((r) => setImmediate(r));
  store.clearDirty();
  await store.loadFor(db, events, opts.written ?? null);
  lap('load');
  const derived = new DerivedRows();
  const findings: Finding[] = [];
  // Indexed loops: an iterator in an async function that awaits inside its loop is not optimised
  // away, and its results were ≈ 100 bytes of garbage per event.
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    if (opts.withRules) evaluateEventRules(ev, store, settings, findings);
    derived.add(ev, store);
    applyEvent(store, ev);
    if (due()) await turn();
  }
  const projections = projectionRows(store, derived);
  lap('apply');
  const raw = new BinaryCopyRows();
  if (!opts.skipRaw) {
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      // A DataAccessed is stored once, as its typed row in `accesses` (below), which holds every
      // field of the event; the view chain_events shows it in the raw shape (migration 0024).
      if (e.eventName === 'DataAccessed') continue;
      raw
        .row(10)
        .int4(chainId)
        .int8(e.blockNumber)
        .int4(e.logIndex)
        .hex(e.txHash)
        .int4(e.txIndex)
        .timestamptz(e.blockTime)
        .text(e.contract)
        .hex(e.address)
        .text(e.eventName)
        .text(argsJson(e));
      if (due()) await turn();
    }
  }
  const rawRows = raw.finish();
  const acc = new BinaryCopyRows();
  // The typed rows are the DataAccessed events' only stored copy: written with the raw rows or not
  // at all (a replay finds them stored). Owner null (a dataset not registered) stays NULL.
  if (!opts.skipRaw && derived.accesses.length > 0) {
    const addressIds = await contractAddressIds(
      db,
      chainId,
      new Set(derived.accesses.map((a) => a.address)),
      store.contractAddressIds,
    );
    for (let i = 0; i < derived.accesses.length; i++) {
      const a = derived.accesses[i]!;
      // In ACCESS_COLUMNS' order, each in its column's type (smallint: sensitivity, mode).
      acc
        .row(19)
        .int4(chainId)
        .int8(a.blockNumber)
        .int4(a.logIndex)
        .hex(a.txHash)
        .timestamptz(a.blockTime)
        .hex(a.grantId)
        .hex(a.datasetId)
        .hex(a.accessor)
        .hex(a.owner)
        .int4(a.category)
        .int2(a.sensitivity)
        .int4(a.ownerRegion)
        .int4(a.accessorRegion)
        .int2(a.mode)
        .int4(a.purpose)
        .int8(a.recordCount)
        .hex(a.payloadHash)
        .int4(a.txIndex)
        .int4(addressIds.get(a.address)!);
      if (due()) await turn();
    }
  }
  const accessCount = acc.count;
  const accessRows = acc.finish();
  const cs = new BinaryCopyRows();
  // A case id is unique by design and its first CaseCompleted is the one kept: a repeat within
  // the range is dropped here, one already stored by the writer (write-prepared.ts).
  const caseIds = new Set<string>();
  for (let i = 0; i < derived.cases.length; i++) {
    const c = derived.cases[i]!;
    if (caseIds.has(c.caseId)) continue;
    caseIds.add(c.caseId);
    // In CASE_COLUMNS' order, each in its column's type (smallint: channel, orgs involved).
    cs.row(10)
      .int4(chainId)
      .hex(c.caseId)
      .hex(c.org)
      .int4(c.regionCode)
      .int4(c.itemCode)
      .int2(c.channel)
      .int2(c.orgsInvolved)
      .int8(c.durationMinutes)
      .int8(c.blockNumber)
      .timestamptz(c.blockTime);
    if (due()) await turn();
  }
  const caseRows = cs.finish();
  // Ordered, and a flood of findings encoded for its stage, here rather than on the writer's path.
  const ordered = orderFindings(findings);
  if (opts.stageFindings) {
    for (let i = 0; i < ordered.chunks.length; i++) {
      stageAhead(ordered.chunks[i]!, i);
      if (yieldEvery !== Infinity) await turn();
    }
  }
  lap('csv');
  return {
    events: events.length,
    rawRows,
    accessRows,
    accessCount,
    caseRows,
    caseIds: [...caseIds],
    projections,
    rollups: derived.rollups,
    findings: ordered,
  };
}
