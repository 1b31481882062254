import type { ChainReader, BlockHeader } from '../chain/reader';
import { decodeLog, isMalformed, type DecodeContext, type MalformedLog } from '../events/decode';
import type { ChainEvent } from '../events/types';

export interface FetchedRange {
  fromBlock: number;
  toBlock: number;
  /** Headers of the range's first and last block and of every block holding an event, ascending. */
  headers: BlockHeader[];
  events: ChainEvent[];
  /** Logs of declared topics that do not decode: kept raw and reported, never indexed as events. */
  malformed: MalformedLog[];
}

/** The chain answered inconsistently while we read it (a reorg mid-fetch): retry the range. */
export class InconsistentChainError extends Error {}

/**
 * Reads one block range: its logs, then the headers of the blocks they sit in (one batched
 * request), checks every log against its block's hash, and decodes in chain order.
 */
export async function fetchRange(
  reader: ChainReader,
  ctx: Omit<DecodeContext, 'blockTimes'>,
  fromBlock: number,
  toBlock: number,
): Promise<FetchedRange> {
  // The last block's hash before and after reading the logs: if it changed, the node switched
  // forks meanwhile and the logs may belong to the dead one (blocks without logs leave no hash to
  // compare against), so the range is read again.
  const before = (await reader.getHeaders([toBlock])).get(toBlock);
  const logs = await reader.getLogs(fromBlock, toBlock);
  const numbers = new Set<number>([fromBlock, toBlock]);
  for (const l of logs) numbers.add(Number(l.blockNumber));
  const headers = await reader.getHeaders([...numbers]);
  if (before?.hash !== headers.get(toBlock)?.hash) {
    throw new InconsistentChainError(`block ${toBlock} changed while its range was read (reorg in progress)`);
  }
  const blockTimes = new Map<number, number>();
  for (const [n, h] of headers) blockTimes.set(n, h.timestamp);
  for (const l of logs) {
    const n = Number(l.blockNumber);
    if (n < fromBlock || n > toBlock) {
      throw new InconsistentChainError(`eth_getLogs ${fromBlock}-${toBlock} returned a log of block ${n}`);
    }
    const h = headers.get(n);
    if (!h || h.hash !== l.blockHash?.toLowerCase()) {
      throw new InconsistentChainError(
        `log ${Number(l.logIndex)} of block ${n} names block hash ${l.blockHash}, header says ${h?.hash}`,
      );
    }
  }
  const events: ChainEvent[] = [];
  const malformed: MalformedLog[] = [];
  for (const l of logs) {
    const d = decodeLog(l, { ...ctx, blockTimes });
    if (isMalformed(d)) malformed.push(d);
    else events.push(d);
  }
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1]!;
    const b = events[i]!;
    if (a.blockNumber === b.blockNumber && a.logIndex === b.logIndex) {
      throw new InconsistentChainError(`log ${b.logIndex} of block ${b.blockNumber} returned twice`);
    }
  }
  return {
    fromBlock,
    toBlock,
    headers: [...headers.values()].sort((a, b) => a.number - b.number),
    events,
    malformed,
  };
}
