import type { Address, Hash } from 'viem';
import type { EventArgs } from '~/chain/events';
import type { ContractName, EventName } from '~/domain/events';

/** Where an event sits on the chain: the key of every raw row and every piece of evidence. */
export interface EventCoordinates {
  chainId: number;
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
  txIndex: number;
  /** Block timestamp, unix seconds. */
  blockTime: number;
}

/** One decoded event: a discriminated union on `eventName`. */
export type ChainEvent = {
  [N in EventName]: EventCoordinates & {
    contract: ContractName;
    address: Address;
    eventName: N;
    /** Decoded fields, derived from the compiled ABIs (chain/events.ts). */
    args: EventArgs[N];
  };
}[EventName];

export type ChainEventOf<N extends EventName> = Extract<ChainEvent, { eventName: N }>;
