import type { ChainReader, BlockHeader } from '../chain/reader';
import { decodeLog, isMalformed, type DecodeContext, type MalformedLog } from '../events/decode';
import type { RawLog } from '../events/raw-log';
import type { ChainEvent } from '../events/types';

export interface FetchedRange {
  fromBlock: number;
  toBlock: number;
  /** Headers of the range's first and last block and of every block holding an event, ascending. */
  headers: BlockHeader[];
  events: ChainEvent[];
  /** Logs of declared topics that do not decode: kept raw and reported, never indexed as events. */
  malformed: MalformedLog[];
  /** The size of the node's eth_getLogs answer, about (answerBytes): what a range costs in memory. */
  bytes: number;
}

/** A log's JSON without its topics and data: the fixed fields, their names and punctuation. */
const LOG_FIXED_BYTES = 420;

/**
 * About how many bytes of JSON the node sent for these logs. What a range holds in memory while it
 * is decoded, prepared and written grows with this (hashes, data words, CSV text), not with the
 * number of events: a log carrying a long string weighs many DataAccessed.
 */
export function answerBytes(logs: readonly RawLog[]): number {
  let n = 0;
  for (const l of logs) n += LOG_FIXED_BYTES + l.data.length + l.topics.length * 69;
  return n;
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
    bytes: answerBytes(logs),
  };
}
