import type { Address, Hex } from 'viem';
import type { Deployment } from '../deployment';
import { encodeBatch } from './encode';
import { CALL_INFO, CALL_ORDER, type BlockPlan, type CallKind, type Items } from './plan';
import { hex, type RpcClient } from './rpc';
import type { Timeline } from './timeline';

/** One sent transaction: which block, which call kind, which slice of the planned items. */
export interface TxRecord {
  hash: Hex;
  k: number;
  kind: CallKind;
  tracked: boolean;
  /** Index in the block's tracked or lawful list of this tx's first item. */
  offset: number;
  count: number;
}

export interface WriterStats {
  txs: number;
  events: number;
  eventsByName: Record<string, number>;
}

const MAX_ITEMS_PER_TX = 4_000;
const BASE_GAS = 80_000;

/**
 * Writes planned blocks to anvil with exact timestamps: a fixed timestamp interval makes every
 * mined block (one evm_mine, or anvil_mine for a quiet stretch) land exactly I after the previous,
 * and evm_setNextBlockTimestamp places block 0 and the stall. Automine is off meanwhile, so all
 * txs of one block are sent first (ordered by nonce) and then mined together.
 */
export function createBlockWriter(p: {
  rpc: RpcClient;
  from: Address;
  deployment: Deployment;
  tl: Timeline;
  gasLimit: bigint;
}) {
  const { rpc, tl } = p;
  const txs: TxRecord[] = [];
  const byBlock = new Map<number, TxRecord[]>();
  const stats: WriterStats = { txs: 0, events: 0, eventsByName: {} };
  let nonce = 0;
  let nextK = 0;

  async function mineEmpty(upTo: number): Promise<void> {
    // Mines blocks nextK … upTo-1 without txs, splitting at block 0 and at the stall block,
    // whose timestamps are set explicitly.
    while (nextK < upTo) {
      if (nextK === 0 || nextK === tl.stallAt) {
        await rpc.call('evm_setNextBlockTimestamp', [hex(tl.ts(nextK))]);
        await rpc.call('evm_mine', []);
        nextK++;
        continue;
      }
      const end = nextK < tl.stallAt ? Math.min(upTo, tl.stallAt) : upTo;
      await rpc.call('anvil_mine', [hex(end - nextK)]);
      nextK = end;
    }
  }

  function txsOf(b: BlockPlan): { kind: CallKind; tracked: boolean; offset: number; items: unknown[] }[] {
    const out: { kind: CallKind; tracked: boolean; offset: number; items: unknown[] }[] = [];
    for (const kind of CALL_ORDER) {
      const c = b.calls[kind] as { tracked: unknown[]; lawful: unknown[] } | undefined;
      if (!c) continue;
      for (const tracked of [true, false]) {
        const list = tracked ? c.tracked : c.lawful;
        for (let o = 0; o < list.length; o += MAX_ITEMS_PER_TX) {
          out.push({ kind, tracked, offset: o, items: list.slice(o, o + MAX_ITEMS_PER_TX) });
        }
      }
    }
    return out;
  }

  return {
    txs,
    byBlock,
    stats,
    async prepare(): Promise<void> {
      await rpc.call('evm_setAutomine', [false]);
      await rpc.call('evm_setIntervalMining', [0]);
      await rpc.call('anvil_setBlockTimestampInterval', [tl.interval]);
      nonce = Number(BigInt(await rpc.call<string>('eth_getTransactionCount', [p.from, 'pending'])));
      const accounts = await rpc.call<string[]>('eth_accounts');
      // anvil signs for its dev accounts; any other deployer key is impersonated on the local chain.
      if (!accounts.map((a) => a.toLowerCase()).includes(p.from.toLowerCase())) {
        await rpc.call('anvil_impersonateAccount', [p.from]);
      }
    },
    /** Empty blocks before the span, at interval I, so the span follows the head without a gap. */
    async bridge(count: number): Promise<void> {
      if (count > 0) await rpc.call('anvil_mine', [hex(count)]);
    },
    async write(b: BlockPlan): Promise<void> {
      if (b.k < nextK) throw new Error(`block ${b.k} planned after it was mined`);
      await mineEmpty(b.k);
      const planned = txsOf(b);
      let gas = 0n;
      const calls = planned.map((t) => {
        const info = CALL_INFO[t.kind];
        const txGas = BigInt(BASE_GAS + t.items.length * info.gasPerItem);
        gas += txGas;
        return {
          method: 'eth_sendTransaction',
          params: [
            {
              from: p.from,
              to: p.deployment.contracts[info.contract].address,
              data: encodeBatch(t.kind, t.items as Items[CallKind][]),
              gas: hex(txGas),
              nonce: hex(nonce++),
              maxFeePerGas: hex(100_000_000_000n),
              maxPriorityFeePerGas: '0x0',
            },
          ],
        };
      });
      if (gas > p.gasLimit)
        throw new Error(`block ${b.k} needs ${gas} gas, over the block gas limit ${p.gasLimit}`);
      const hashes = await rpc.batch<Hex>(calls);
      if (b.k === 0 || b.k === tl.stallAt) await rpc.call('evm_setNextBlockTimestamp', [hex(tl.ts(b.k))]);
      await rpc.call('evm_mine', []);
      nextK = b.k + 1;
      const count = Number(
        BigInt(await rpc.call<string>('eth_getBlockTransactionCountByNumber', ['latest'])),
      );
      if (count !== planned.length) {
        throw new Error(`block ${b.k}: ${count} of ${planned.length} txs were mined (gas or pool limits)`);
      }
      const records = planned.map((t, i) => ({
        hash: hashes[i] as Hex,
        k: b.k,
        kind: t.kind,
        tracked: t.tracked,
        offset: t.offset,
        count: t.items.length,
      }));
      byBlock.set(b.k, records);
      for (const r of records) {
        txs.push(r);
        const name = CALL_INFO[r.kind].event;
        stats.eventsByName[name] = (stats.eventsByName[name] ?? 0) + r.count;
        stats.events += r.count;
      }
      stats.txs += records.length;
    },
    /** Mines the rest of the span and gives the node back its usual mining. */
    async finish(): Promise<void> {
      await mineEmpty(tl.blockCount);
      await rpc.call('anvil_removeBlockTimestampInterval', []);
      await rpc.call('evm_setAutomine', [true]);
    },
  };
}
export type BlockWriter = ReturnType<typeof createBlockWriter>;
