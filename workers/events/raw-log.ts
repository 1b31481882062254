import type { Address, Hash, Hex } from 'viem';

/** A log as eth_getLogs returns it (quantities still hex). */
export interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hash;
  transactionHash: Hash;
  transactionIndex: Hex;
  logIndex: Hex;
  removed?: boolean;
}

/**
 * A log that does not decode. From a faulty node (removed, not hex, no header) it fails the range
 * without retry; a log the chain really holds is kept as a MalformedLog instead (decode.ts).
 */
export class MalformedLogError extends Error {
  constructor(
    readonly blockNumber: number,
    readonly logIndex: number,
    readonly reason: string,
  ) {
    super(`malformed log at block ${blockNumber} log ${logIndex}: ${reason}`);
  }
}
