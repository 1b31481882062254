/** Queue names; every key also carries QUEUE_PREFIX so tests and a demo never share queues. */
export const QUEUES = { head: 'head', ranges: 'ranges', detect: 'detect' } as const;

/** Deterministic job ids (BullMQ forbids ':' in custom ids). */
export const rangeJobId = (chainId: number, from: number, to: number) => `range-${chainId}-${from}-${to}`;
export const headSchedulerId = (chainId: number) => `head-${chainId}`;
export const detectSchedulerId = (chainId: number) => `detect-${chainId}`;

/** Redis key of the highest block already cut into range jobs. */
export const plannedKey = (prefix: string, chainId: number) => `${prefix}:lianjian:planned:${chainId}`;
export const retriedKey = (prefix: string, chainId: number) => `${prefix}:lianjian:retried:${chainId}`;

export interface RangeJobData {
  chainId: number;
  fromBlock: number;
  toBlock: number;
}
