import { decodeEventLog, parseAbi, toEventSelector, type Abi, type Hash, type PublicClient } from 'viem';
import { EVENT_DECLARATIONS, EVENT_NAMES, EVENT_SIGNATURES, type EventName } from '../../domain/events';
import type { Problem } from './problems';
import type { EvidenceEvent } from './types';

const EVENTS_ABI: Abi = parseAbi(Object.values(EVENT_DECLARATIONS));

/** topic0 of each event of DESIGN §2 (keccak-256 of its canonical signature). */
export const EVENT_TOPIC0 = Object.fromEntries(
  EVENT_NAMES.map((n) => [n, toEventSelector(EVENT_SIGNATURES[n])]),
) as Record<EventName, Hash>;

export function topic0Of(eventName: string | null): string | null {
  return eventName && eventName in EVENT_TOPIC0 ? EVENT_TOPIC0[eventName as EventName] : null;
}

/** One value as the index stores it: integers as decimal text, hex lower-case, text as it is. */
function norm(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return v.toString();
  if (typeof v === 'string') return /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
  return JSON.stringify(v) ?? 'undefined';
}

async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(lanes);
}

export interface CheckItem {
  row: number;
  event: EvidenceEvent;
}

type NodeLog = {
  logIndex: number;
  transactionHash: string;
  address: string;
  topics: readonly string[];
  data: string;
};

/**
 * Re-reads every stated event from the node and compares it with what the manifest says: the
 * block at that height still has the stated hash, and the log at that index of that block is from
 * the stated transaction and contract, has the stated topic0, and decodes to every stated field.
 * One block header and one eth_getLogs (by block hash) per distinct block. Each mismatch is a
 * Problem naming the row, the event and what differs.
 */
export async function checkEventsOnChain(p: {
  client: PublicClient;
  items: readonly CheckItem[];
  nodeChainId: number;
  concurrency?: number;
}): Promise<Problem[]> {
  const problems: Problem[] = [];
  const byBlock = new Map<number, CheckItem[]>();
  for (const it of p.items) {
    const list = byBlock.get(it.event.blockNumber) ?? [];
    list.push(it);
    byBlock.set(it.event.blockNumber, list);
  }
  await pool([...byBlock.entries()], p.concurrency ?? 8, async ([number, items]) => {
    const block = await p.client.getBlock({ blockNumber: BigInt(number) }).catch(() => null);
    const logs: NodeLog[] | null = block?.hash
      ? await p.client.getLogs({ blockHash: block.hash }).catch(() => null)
      : null;
    for (const it of items) problems.push(...compare(it, block?.hash ?? null, logs, p.nodeChainId));
  });
  return problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

function compare(
  it: CheckItem,
  nodeBlockHash: string | null,
  logs: NodeLog[] | null,
  nodeChainId: number,
): Problem[] {
  const e = it.event;
  const out: Problem[] = [];
  const fail = (reason: string) =>
    out.push({
      check: 'chain',
      row: it.row,
      txHash: e.txHash,
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      reason,
    });
  if (e.chainId !== nodeChainId) {
    fail(`the event is of chain ${e.chainId}, the node is chain ${nodeChainId}`);
    return out;
  }
  if (!nodeBlockHash) {
    fail(`the node has no block ${e.blockNumber}`);
    return out;
  }
  if (e.blockHash && nodeBlockHash !== e.blockHash.toLowerCase())
    fail(
      `block ${e.blockNumber} is ${nodeBlockHash} on the node, the manifest says ${e.blockHash} (reorganised away)`,
    );
  if (!logs) {
    fail(`the node did not return the logs of block ${e.blockNumber}`);
    return out;
  }
  const log = logs.find((l) => l.logIndex === e.logIndex);
  if (!log) {
    fail(`block ${e.blockNumber} has no log at index ${e.logIndex}`);
    return out;
  }
  if (log.transactionHash.toLowerCase() !== e.txHash.toLowerCase())
    fail(
      `log ${e.logIndex} of block ${e.blockNumber} is of transaction ${log.transactionHash}, not ${e.txHash}`,
    );
  if (e.address && log.address.toLowerCase() !== e.address.toLowerCase())
    fail(`the log was emitted by contract ${log.address.toLowerCase()}, the manifest says ${e.address}`);
  const topic0 = log.topics[0]?.toLowerCase() ?? null;
  if (e.topic0 && topic0 !== e.topic0.toLowerCase())
    fail(
      `the log's topic0 is ${topic0 ?? 'absent'}, the manifest says ${e.topic0} (${e.eventName ?? 'unknown event'})`,
    );
  if (!e.args) return out;
  let decoded: { eventName: string; args: Record<string, unknown> };
  try {
    decoded = decodeEventLog({
      abi: EVENTS_ABI,
      data: log.data as Hash,
      topics: log.topics as [Hash, ...Hash[]],
    }) as unknown as typeof decoded;
  } catch {
    fail(`the log does not decode as any event of the design (manifest says ${e.eventName ?? 'unknown'})`);
    return out;
  }
  if (e.eventName && decoded.eventName !== e.eventName)
    fail(`the log is a ${decoded.eventName}, the manifest says ${e.eventName}`);
  for (const [field, stated] of Object.entries(e.args)) {
    if (!(field in decoded.args)) {
      fail(`field ${field} is not a field of ${decoded.eventName}`);
      continue;
    }
    const onChain = norm(decoded.args[field]);
    if (onChain !== norm(stated))
      fail(`field ${field} is ${onChain} on chain, the manifest says ${norm(stated)}`);
  }
  return out;
}
