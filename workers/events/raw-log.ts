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

/** Bad data from the node: the range job fails without retry and writes nothing. */
export class MalformedLogError extends Error {
  constructor(
    readonly blockNumber: number,
    readonly logIndex: number,
    reason: string,
  ) {
    super(`malformed log at block ${blockNumber} log ${logIndex}: ${reason}`);
  }
}
