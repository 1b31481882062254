import type { ChainReader, BlockHeader } from '../chain/reader';
import type { RawLog } from '../events/raw-log';
import { decodeLog, isMalformed, type DecodeContext, type MalformedLog } from '../events/decode';
import type { ChainEvent } from '../events/types';

/**
 * What a range's commit needs of it: its blocks, not its events. A backfill turns the events into
 * rows before the range is written and lets them go (tens of megabytes a range at 15 MB of answer).
 */
export interface RangeBlocks {
  fromBlock: number;
  toBlock: number;
  /** Headers of the range's first and last block and of every block holding an event, ascending. */
  headers: BlockHeader[];
  /** Logs of declared topics that do not decode: kept raw and reported, never indexed as events. */
  malformed: MalformedLog[];
  eventCount: number;
}

export interface FetchedRange extends RangeBlocks {
  events: ChainEvent[];
  /** The size of the node's eth_getLogs answer, about (answerBytes): what a range costs in memory. */
  bytes: number;
  /** The largest answer of one of its blocks (answerBytes of that block's logs). */
  busiestBlockBytes: number;
}

/** The range without its events (and sizes), for a commit that has their rows already. */
export function rangeBlocks(r: FetchedRange): RangeBlocks {
  return {
    fromBlock: r.fromBlock,
    toBlock: r.toBlock,
    headers: r.headers,
    malformed: r.malformed,
    eventCount: r.eventCount,
  };
}

/** A log's JSON without its topics and data: the fixed fields, their names and punctuation. */
const LOG_FIXED_BYTES = 420;

/**
 * About how many bytes of JSON the node sent for these logs. What a range holds in memory while it
 * is decoded, prepared and written grows with this (hashes, data words, CSV text), not with the
 * number of events: a log carrying a long string weighs many DataAccessed.
 */
export function answerBytes(logs: readonly RawLog[]): number {
  return answerSize(logs).bytes;
}

/**
 * answerBytes of `logs` and of the busiest block among them (logs in block order, as eth_getLogs
 * answers), in one pass.
 */
function answerSize(logs: readonly RawLog[]): { bytes: number; busiestBlock: number } {
  let bytes = 0;
  let busiestBlock = 0;
  let block: string | null = null;
  let blockBytes = 0;
  for (const l of logs) {
    const n = LOG_FIXED_BYTES + l.data.length + l.topics.length * 69;
    bytes += n;
    if (l.blockNumber !== block) {
      block = l.blockNumber;
      blockBytes = 0;
    }
    blockBytes += n;
    if (blockBytes > busiestBlock) busiestBlock = blockBytes;
  }
  return { bytes, busiestBlock };
}

/** The chain answered inconsistently while we read it (a reorg mid-fetch): retry the range. */
export class InconsistentChainError extends Error {}

/** How a range's logs are read: in sub-ranges of `chunkBlocks` blocks, `concurrency` at a time. */
export interface FetchOptions {
  /**
   * Blocks per eth_getLogs request (default: the whole range in one). A node answers a large
   * eth_getLogs slower per log than several small ones (anvil: 50k logs in ranges of 1,600 blocks
   * took 2–3 × as long as in ranges of 100–200), and a small answer is cheap to hedge.
   */
  chunkBlocks?: number;
  /** eth_getLogs requests of one range in flight at once (default 2). */
  concurrency?: number;
  /**
   * Stop reading once the sub-ranges read hold this many bytes (answerBytes): the range then ends
   * with the last sub-range read, and `toBlock` of the result says where. A backfill sizes its next
   * range on the last one's density, and a stretch of empty blocks followed by a busy one would
   * otherwise be read whole (the simulator's large chain: 317,000 logs, 273 MB, in one range).
   */
  maxBytes?: number;
}

/** Logs decoded, but those of the range's last block, whose header comes last. */
interface Decoded {
  events: ChainEvent[];
  malformed: MalformedLog[];
  lastBlockLogs: RawLog[];
}

/** A sub-range read: its headers and its logs decoded. */
interface DecodedPart extends Decoded {
  headers: Map<number, BlockHeader>;
  busiestBlockBytes: number;
}

/**
 * Checks each log against its block's header and decodes it; logs of `deferBlock` are set aside
 * (their header is read once every log of the range is in).
 */
function decodePart(
  logs: readonly RawLog[],
  headers: Map<number, BlockHeader>,
  ctx: Omit<DecodeContext, 'blockTimes'>,
  deferBlock: number,
): Decoded {
  const blockTimes = new Map<number, number>();
  for (const [n, h] of headers) blockTimes.set(n, h.timestamp);
  const decodeCtx: DecodeContext = { ...ctx, blockTimes };
  const out: Decoded = { events: [], malformed: [], lastBlockLogs: [] };
  for (const l of logs) {
    const n = Number(l.blockNumber);
    if (n === deferBlock) {
      out.lastBlockLogs.push(l);
      continue;
    }
    const h = headers.get(n);
    if (!h || h.hash !== l.blockHash?.toLowerCase()) {
      throw new InconsistentChainError(
        `log ${Number(l.logIndex)} of block ${n} names block hash ${l.blockHash}, header says ${h?.hash}`,
      );
    }
    const d = decodeLog(l, decodeCtx);
    if (isMalformed(d)) out.malformed.push(d);
    else out.events.push(d);
  }
  return out;
}

/**
 * Reads one block range: its logs (in sub-ranges, see FetchOptions), the headers of the blocks
 * they sit in (one batched request per sub-range, sent as soon as its logs are in), checks every
 * log against its block's hash, and decodes in chain order. Each sub-range is decoded as soon as
 * its headers are in, so its raw logs (about 1.2 × the answer's bytes in memory) are garbage
 * before the range's next answer arrives instead of piling up for the whole range.
 */
export async function fetchRange(
  reader: ChainReader,
  ctx: Omit<DecodeContext, 'blockTimes'>,
  fromBlock: number,
  toBlock: number,
  opts: FetchOptions = {},
): Promise<FetchedRange> {
  // The last block's hash before and after reading the logs: if it changed, the node switched
  // forks meanwhile and the logs may belong to the dead one (blocks without logs leave no hash to
  // compare against), so the range is read again.
  const before = (await reader.getHeaders([toBlock])).get(toBlock);
  const span = Math.max(1, Math.floor(opts.chunkBlocks ?? toBlock - fromBlock + 1));
  const maxBytes = opts.maxBytes ?? Infinity;
  let bytesRead = 0;
  const chunks: [number, number][] = [];
  for (let a = fromBlock; a <= toBlock; a += span) chunks.push([a, Math.min(toBlock, a + span - 1)]);
  const parts: DecodedPart[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chunks.length && bytesRead < maxBytes) {
      const i = next++;
      const [a, b] = chunks[i]!;
      const logs = await reader.getLogs(a, b);
      const numbers = new Set<number>(i === 0 ? [fromBlock] : []);
      for (const l of logs) {
        const n = Number(l.blockNumber);
        if (n < a || n > b)
          throw new InconsistentChainError(`eth_getLogs ${a}-${b} returned a log of block ${n}`);
        numbers.add(n);
      }
      // The range's last block is read once every log is in (below), not with its sub-range.
      numbers.delete(toBlock);
      const headers =
        numbers.size > 0 ? await reader.getHeaders([...numbers]) : new Map<number, BlockHeader>();
      const size = answerSize(logs);
      parts[i] = {
        headers,
        ...decodePart(logs, headers, ctx, toBlock),
        busiestBlockBytes: size.busiestBlock,
      };
      bytesRead += size.bytes;
    }
  };
  await Promise.all(Array.from({ length: Math.min(chunks.length, opts.concurrency ?? 2) }, worker));
  // Sub-ranges are taken in order and each one taken is awaited: those read are a prefix.
  const end = chunks[parts.length - 1]![1];
  const headers = new Map<number, BlockHeader>();
  for (const p of parts) for (const [n, h] of p.headers) headers.set(n, h);
  const ends = await reader.getHeaders(end === toBlock ? [toBlock] : [end, toBlock]);
  const after = ends.get(toBlock);
  const endHeader = ends.get(end);
  if (endHeader) headers.set(end, endHeader);
  // A fork switch while reading changes toBlock's hash even when the range stops short of it.
  if (before?.hash !== after?.hash) {
    throw new InconsistentChainError(`block ${toBlock} changed while its range was read (reorg in progress)`);
  }
  const lastBlockLogs = parts.flatMap((p) => p.lastBlockLogs);
  // A missing header fails the hash check of each of its logs, as any other block's would.
  const last = decodePart(lastBlockLogs, new Map(endHeader ? [[end, endHeader]] : []), ctx, -1);
  const events = parts.length === 1 ? parts[0]!.events : parts.flatMap((p) => p.events);
  events.push(...last.events);
  const malformed = [...parts.flatMap((p) => p.malformed), ...last.malformed];
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
    toBlock: end,
    headers: [...headers.values()].sort((a, b) => a.number - b.number),
    events,
    malformed,
    eventCount: events.length,
    // Every sub-range read added its answer to bytesRead: the range's bytes, not counted again.
    bytes: bytesRead,
    // A block's logs come in one sub-range: the busiest of each is the range's.
    busiestBlockBytes: parts.reduce((m, p) => Math.max(m, p.busiestBlockBytes), 0),
  };
}
