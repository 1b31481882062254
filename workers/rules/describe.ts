import { shortHash as formatShortHash, yuan as formatYuan } from '~/domain/format';
import type { Address, Hash } from 'viem';
import type { ChainEvent } from '../events/types';
import type { DatasetFact, OrgFact } from '~/domain/incident-summary';
import type { EventRef, StateView } from '../state/types';

/** `0x12…ab`: enough of a hash or address for a one-line summary; the full value is in evidence. */
export function shortHash(h: string): string {
  return formatShortHash(h, 2, 2);
}

/** An org as a summary's facts name it: its name when the chain registered it. */
export function orgFact(state: StateView, address: Address): OrgFact {
  return { name: state.org(address)?.name ?? null, address };
}

export function datasetFact(state: StateView, datasetId: Hash): DatasetFact {
  return { title: state.dataset(datasetId)?.title ?? null, id: datasetId };
}

/** Region of the acting org: 0 when the chain never registered it (DESIGN §5). */
export function regionOf(state: StateView, address: Address): number {
  return state.org(address)?.regionCode ?? 0;
}

export function refOf(ev: ChainEvent): EventRef {
  return { blockNumber: ev.blockNumber, logIndex: ev.logIndex, txHash: ev.txHash };
}

/** True when `a` comes strictly before `b` in chain order (blockNumber, logIndex). */
export function isBefore(a: EventRef, b: EventRef): boolean {
  return a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);
}

/** Evidence in chain order without duplicates, so every writer stores the same rows. */
export function evidenceOf(...refs: (EventRef | null | undefined)[]): EventRef[] {
  const seen = new Set<string>();
  const out: EventRef[] = [];
  for (const r of refs) {
    if (!r) continue;
    const k = `${r.blockNumber}-${r.logIndex}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** 分 → "1,234.50 元" without ever going through a float. */
export function yuan(fen: bigint): string {
  return formatYuan(fen, 'unit');
}
