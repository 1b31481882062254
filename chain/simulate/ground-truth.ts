import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toEventSelector, type Hex } from 'viem';
import { EVENT_SIGNATURES } from '../../domain/events';
import { chainStalledKey, eventKey } from '../../domain/finding-keys';
import type { RuleId } from '../../domain/rules';
import type { PendingCase } from './anomalies';
import { CALL_INFO, type Ref } from './plan';
import type { RpcClient } from './rpc';
import type { TxRecord } from './writer';

export interface LogPointer {
  blockNumber: number;
  logIndex: number;
  txHash: Hex;
}

export interface GroundTruthCase extends LogPointer {
  rule: RuleId;
  key: string;
  evidence: LogPointer[];
}

export interface GroundTruth {
  chainId: number;
  seed: string;
  days: number;
  scale: string;
  blockInterval: number;
  fromBlock: number;
  toBlock: number;
  cases: GroundTruthCase[];
}

interface Receipt {
  status: string;
  blockNumber: string;
  logs: { logIndex: string; blockNumber: string; transactionHash: Hex; topics: Hex[] }[];
}

/**
 * Turns planned references into chain coordinates from the receipts: the i-th item of a batch tx
 * is its i-th log, and the receipt gives that log's block number and block-wide logIndex.
 * Tracked events sit in small txs of their own, so these receipts stay small.
 */
export async function resolveCases(p: {
  rpc: RpcClient;
  byBlock: Map<number, TxRecord[]>;
  cases: PendingCase[];
}): Promise<GroundTruthCase[]> {
  const locate = (ref: Ref): { tx: TxRecord; pos: number } => {
    const list = p.byBlock.get(ref.k);
    if (!list || list.length === 0) throw new Error(`block ${ref.k} has no tx for a ground-truth event`);
    if ('first' in ref) return { tx: list[0] as TxRecord, pos: 0 };
    const tx = list.find(
      (t) =>
        t.kind === ref.kind &&
        t.tracked === ref.tracked &&
        ref.idx >= t.offset &&
        ref.idx < t.offset + t.count,
    );
    if (!tx) throw new Error(`no tx holds ${ref.kind}[${ref.idx}] of block ${ref.k}`);
    return { tx, pos: ref.idx - tx.offset };
  };
  const wanted = new Map<Hex, Receipt | undefined>();
  for (const c of p.cases) for (const r of [c.fire, ...c.evidence]) wanted.set(locate(r).tx.hash, undefined);
  const hashes = [...wanted.keys()];
  for (let i = 0; i < hashes.length; i += 20) {
    const slice = hashes.slice(i, i + 20);
    const receipts = await p.rpc.batch<Receipt>(
      slice.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })),
    );
    slice.forEach((h, j) => wanted.set(h, receipts[j]));
  }
  const pointer = (ref: Ref): LogPointer => {
    const { tx, pos } = locate(ref);
    const receipt = wanted.get(tx.hash);
    if (!receipt || receipt.status !== '0x1') throw new Error(`tx ${tx.hash} failed or has no receipt`);
    const log = receipt.logs[pos];
    const topic = toEventSelector(EVENT_SIGNATURES[CALL_INFO[tx.kind].event]);
    if (!log || log.topics[0] !== topic)
      throw new Error(`log ${pos} of tx ${tx.hash} is not ${CALL_INFO[tx.kind].event}`);
    return {
      blockNumber: Number(BigInt(log.blockNumber)),
      logIndex: Number(BigInt(log.logIndex)),
      txHash: log.transactionHash,
    };
  };
  const order = (a: LogPointer, b: LogPointer) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
  return p.cases.map((c) => {
    const fire = pointer(c.fire);
    const evidence = [
      ...new Map(
        c.evidence.map((r) => pointer(r)).map((x) => [`${x.blockNumber}-${x.logIndex}`, x]),
      ).values(),
    ].sort(order);
    const key =
      c.key.kind === 'fixed'
        ? c.key.value
        : c.key.kind === 'block'
          ? chainStalledKey(fire.blockNumber)
          : eventKey(fire.blockNumber, fire.logIndex);
    return { rule: c.rule, key, ...fire, evidence };
  });
}

export function writeGroundTruth(file: string, gt: GroundTruth): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(gt, null, 2) + '\n');
}
