import type { RuleSettings } from '../../domain/rules';
import type { ChainEvent } from '../events/types';
import { applyEvent } from '../projections/apply';
import { DerivedRows } from '../projections/derive';
import type { ProjectionStore } from '../projections/store';
import { projectionRows, type ProjectionRows } from '../projections/write';
import type { RollupAccumulator } from '../rollups/accumulator';
import { evaluateEventRules } from '../rules';
import type { Finding } from '../state/types';
import type { Tx } from '../db-types';
import { csvChunks, isoTime } from './copy';

/**
 * Everything one range writes, computed in memory and detached from the projection store: the
 * CSV of raw events, accesses and cases, the projection rows, the rollup sums and the findings.
 * The backfill prepares range N+1 while range N is still being written.
 */
export interface PreparedEvents {
  events: number;
  rawCsv: string[];
  accessCsv: string[];
  caseCsv: string[];
  projections: ProjectionRows;
  grantAccesses: { ids: string[]; counts: number[] };
  rollups: RollupAccumulator;
  findings: Finding[];
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

/** Decoded args as JSON text: uint256 fields (bigint) as decimal strings. */
function argsJson(ev: ChainEvent): string {
  if (ev.eventName === 'InvoiceIssued' || ev.eventName === 'InvoiceReimbursed') {
    return JSON.stringify({ ...ev.args, amountFen: ev.args.amountFen.toString() });
  }
  return JSON.stringify(ev.args);
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
  opts: { withRules: boolean; skipRaw?: boolean; timings?: Timings; yieldEvery?: number },
): Promise<PreparedEvents> {
  const lap = lapper(opts.timings);
  // Run ahead of a COPY on the same event loop, long stretches of JS would starve the socket
  // that feeds Postgres: give the loop a turn now and then.
  const yieldEvery = opts.yieldEvery ?? Infinity;
  const breathe = () => (yieldEvery < Infinity ? new Promise<void>((r) => setImmediate(r)) : undefined);
  store.clearDirty();
  await store.loadFor(db, events);
  lap('load');
  const derived = new DerivedRows();
  const findings: Finding[] = [];
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    if (opts.withRules) for (const f of evaluateEventRules(ev, store, settings)) findings.push(f);
    derived.add(ev, store);
    applyEvent(store, ev);
    if ((i + 1) % yieldEvery === 0) await breathe();
  }
  const projections = projectionRows(store, derived);
  lap('apply');
  await breathe();
  const rawCsv = opts.skipRaw
    ? []
    : csvChunks(
        events.map((e) => [
          chainId,
          e.blockNumber,
          e.logIndex,
          e.txHash,
          e.txIndex,
          isoTime(e.blockTime),
          e.contract,
          e.address,
          e.eventName,
          argsJson(e),
        ]),
      );
  await breathe();
  const accessCsv = csvChunks(
    derived.accesses.map((a) => [
      chainId,
      a.blockNumber,
      a.logIndex,
      a.txHash,
      isoTime(a.blockTime),
      a.grantId,
      a.datasetId,
      a.accessor,
      a.owner,
      a.category,
      a.sensitivity,
      a.ownerRegion,
      a.accessorRegion,
      a.mode,
      a.purpose,
      a.recordCount,
      a.payloadHash,
    ]),
  );
  const caseCsv = csvChunks(
    derived.cases.map((c) => [
      chainId,
      c.caseId,
      c.org,
      c.regionCode,
      c.itemCode,
      c.channel,
      c.orgsInvolved,
      c.durationMinutes,
      c.blockNumber,
      isoTime(c.blockTime),
    ]),
  );
  lap('csv');
  return {
    events: events.length,
    rawCsv,
    accessCsv,
    caseCsv,
    projections,
    grantAccesses: { ids: [...derived.grantAccesses.keys()], counts: [...derived.grantAccesses.values()] },
    rollups: derived.rollups,
    findings,
  };
}
