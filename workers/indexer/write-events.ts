import type pg from 'pg';
import type { RuleSettings } from '../../domain/rules';
import { ProjectionStore } from '../projections/store';
import type { ChainEvent } from '../events/types';
import { prepareEvents, type Timings } from './prepare-events';
import { writePrepared } from './write-prepared';
import type { Tx } from '~/db/client';

/**
 * Raw events, typed accesses and cases, projections, rollups and (withRules) per-event incidents
 * for events in chain order, inside the caller's transaction. The rebuild path (no rules).
 */
export async function writeEvents(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  events: ChainEvent[],
  settings: RuleSettings,
  withRules: boolean,
  opts: {
    skipRaw?: boolean;
    timings?: Timings;
    store?: ProjectionStore;
    /** The range's block times: new incidents' evidence then goes by COPY (write-prepared.ts). */
    blockTimes?: ReadonlyMap<number, number>;
  } = {},
): Promise<number> {
  const store = opts.store ?? new ProjectionStore(chainId);
  const prepared = await prepareEvents(tx, chainId, events, store, settings, {
    withRules,
    skipRaw: opts.skipRaw,
    timings: opts.timings,
    stageFindings: withRules && opts.blockTimes !== undefined,
  });
  return writePrepared(client, tx, chainId, prepared, {
    withRules,
    timings: opts.timings,
    blockTimes: opts.blockTimes,
  });
}
