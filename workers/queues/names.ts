/** Queue names; every key also carries QUEUE_PREFIX so tests and a demo never share queues. */
export const QUEUES = { head: 'head', ranges: 'ranges', detect: 'detect' } as const;

/** Deterministic job ids (BullMQ forbids ':' in custom ids). */
export const rangeJobId = (chainId: number, from: number, to: number) => `range-${chainId}-${from}-${to}`;
export const headSchedulerId = (chainId: number) => `head-${chainId}`;
export const detectSchedulerId = (chainId: number) => `detect-${chainId}`;

export const retriedKey = (prefix: string, chainId: number) => `${prefix}:lianjian:retried:${chainId}`;

export interface RangeJobData {
  chainId: number;
  fromBlock: number;
  toBlock: number;
  /** How often this job parked to wait for an earlier range (spaces its next runs out). */
  waits?: number;
}
