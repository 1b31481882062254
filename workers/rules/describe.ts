import { TZDate } from '@date-fns/tz';
import { shortHash as formatShortHash, yuan as formatYuan } from '~/domain/format';
import { DISPLAY_TZ } from '~/domain/time';
import type { Address, Hash } from 'viem';
import type { ChainEvent } from '../events/types';
import type { EventRef, StateView } from '../state/types';

/** `0x12…ab`: enough of a hash or address for a one-line summary; the full value is in evidence. */
export function shortHash(h: string): string {
  return formatShortHash(h, 2, 2);
}

/** An org's name when the chain registered it, else its short address (unregistered actors). */
export function orgLabel(state: StateView, address: Address): string {
  return state.org(address)?.name ?? shortHash(address);
}

/** Region of the acting org: 0 when the chain never registered it (DESIGN §5). */
export function regionOf(state: StateView, address: Address): number {
  return state.org(address)?.regionCode ?? 0;
}

export function datasetLabel(state: StateView, datasetId: Hash): string {
  const d = state.dataset(datasetId);
  return d ? `「${d.title}」(${shortHash(datasetId)})` : `未登记数据集 ${shortHash(datasetId)}`;
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

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 第二次, 第三次 … for the small counts summaries mention; digits beyond ten. */
export function zhOrdinal(n: number): string {
  return `第${ZH_DIGITS[n] ?? String(n)}次`;
}

/** 分 → "1,234.50 元" without ever going through a float. */
export function yuan(fen: bigint): string {
  return formatYuan(fen, 'unit');
}

/** `2026-09-01 23:15` in Asia/Shanghai, the time every summary speaks. */
export function shanghaiDateTime(unixSeconds: number): string {
  const d = new TZDate(unixSeconds * 1000, DISPLAY_TZ);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The Chinese label of a code from a domain/codes.ts table, or `${prefix} ${code}` when unnamed. */
export function zhLabel(table: object, code: number, prefix: string): string {
  return (table as Record<number, { zh: string } | undefined>)[code]?.zh ?? `${prefix} ${code}`;
}
