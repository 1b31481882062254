import type { Address, Hash } from 'viem';
import { shanghaiDaySpan, type ShanghaiDaySpan } from '../../domain/time';
import type { ChainEvent } from '../events/types';
import type { StateView } from '../state/types';
import { RollupAccumulator } from '../rollups/accumulator';

export interface AccessRow {
  chainId: number;
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
  txIndex: number;
  /** The DataSharing contract that emitted it. */
  address: Address;
  blockTime: number;
  grantId: Hash;
  datasetId: Hash;
  accessor: Address;
  owner: Address | null;
  category: number;
  sensitivity: number;
  ownerRegion: number;
  accessorRegion: number;
  mode: number;
  purpose: number;
  recordCount: number;
  payloadHash: Hash;
}

export interface CaseRow {
  chainId: number;
  caseId: Hash;
  org: Address;
  regionCode: number;
  itemCode: number;
  channel: number;
  orgsInvolved: number;
  durationMinutes: number;
  blockNumber: number;
  blockTime: number;
}

export interface ServiceItemRow {
  regionCode: number;
  itemCode: number;
  onlineLevel: number;
  listedBlock: number;
  listedDay: string;
}

/**
 * shanghaiDay of a block time, remembered for the seconds of the last day seen: the blocks of a day
 * share it, and the time-zone arithmetic was the largest single cost of deriving rows (profiled; a
 * chain of a few events a block, each block its own time, spent 1.6 % of the indexer's main thread
 * here when only the last block's time was remembered).
 */
let last: ShanghaiDaySpan = { day: '', start: NaN, end: NaN };
export function dayOf(unixSeconds: number): string {
  if (!(unixSeconds >= last.start && unixSeconds < last.end)) last = shanghaiDaySpan(unixSeconds);
  return last.day;
}

/** Rows and rollup deltas derived from one range's events, written in the range's transaction. */
export class DerivedRows {
  readonly accesses: AccessRow[] = [];
  readonly cases: CaseRow[] = [];
  readonly serviceItems = new Map<string, ServiceItemRow>();

  /** The rollup sums go to `rollups` (a catch-up adds stored events to sums it already holds). */
  constructor(readonly rollups = new RollupAccumulator()) {}

  /** Called with the state as it stood BEFORE the event was applied. */
  add(ev: ChainEvent, state: StateView): void {
    const day = dayOf(ev.blockTime);
    this.rollups.addEvent(day, ev.eventName, ev.blockNumber);
    switch (ev.eventName) {
      case 'DataAccessed': {
        const a = ev.args;
        const ds = state.dataset(a.datasetId);
        const owner = ds?.owner ?? null;
        const row: AccessRow = {
          chainId: ev.chainId,
          blockNumber: ev.blockNumber,
          logIndex: ev.logIndex,
          txHash: ev.txHash,
          txIndex: ev.txIndex,
          address: ev.address,
          blockTime: ev.blockTime,
          grantId: a.grantId,
          datasetId: a.datasetId,
          accessor: a.accessor,
          owner,
          category: ds?.category ?? 0,
          sensitivity: ds?.sensitivity ?? 0,
          ownerRegion: owner ? (state.org(owner)?.regionCode ?? 0) : 0,
          accessorRegion: state.org(a.accessor)?.regionCode ?? 0,
          mode: a.mode,
          purpose: a.purpose,
          recordCount: a.recordCount,
          payloadHash: a.payloadHash,
        };
        this.accesses.push(row);
        if (state.grant(a.grantId)) this.rollups.addGrantAccess(day, a.grantId);
        this.rollups.addAccess(day, row);
        return;
      }
      case 'CaseCompleted': {
        const a = ev.args;
        const row: CaseRow = {
          chainId: ev.chainId,
          caseId: a.caseId,
          org: a.org,
          regionCode: a.regionCode,
          itemCode: a.itemCode,
          channel: a.channel,
          orgsInvolved: a.orgsInvolved,
          durationMinutes: a.durationMinutes,
          blockNumber: ev.blockNumber,
          blockTime: ev.blockTime,
        };
        this.cases.push(row);
        this.rollups.addCase(day, row);
        return;
      }
      case 'ServiceItemListed': {
        const a = ev.args;
        this.serviceItems.set(`${a.regionCode}-${a.itemCode}`, {
          regionCode: a.regionCode,
          itemCode: a.itemCode,
          onlineLevel: a.onlineLevel,
          listedBlock: ev.blockNumber,
          listedDay: day,
        });
        this.rollups.addItemListing(day, a.regionCode, a.onlineLevel);
        return;
      }
      default:
        return;
    }
  }
}
