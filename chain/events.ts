import type { Abi, ContractEventArgsFromTopics, ContractFunctionArgs, ContractFunctionName } from 'viem';
import type { EventName } from '~/domain/events';
import type {
  certificateRegistryAbi,
  dataSharingAbi,
  invoiceLedgerAbi,
  orgRegistryAbi,
  serviceLedgerAbi,
} from './compiled';

/*
 * TypeScript shapes of the contracts' events and batch items, derived from the compiled `as const`
 * ABIs with viem's types, so a change to a contract changes them (and every use that no longer fits
 * fails to compile) instead of leaving a hand-written copy behind.
 */

/** The five contracts' ABIs as one: event names are unique across them. */
type ConsortiumAbi = readonly [
  ...typeof orgRegistryAbi,
  ...typeof dataSharingAbi,
  ...typeof invoiceLedgerAbi,
  ...typeof certificateRegistryAbi,
  ...typeof serviceLedgerAbi,
];

/**
 * An event's fields as viem decodes them: addresses and 32-byte values as `0x…` strings, integers
 * up to 48 bits as numbers, wider ones (uint64 `validUntil`, uint256 `amountFen`) as bigints.
 */
export type DecodedEventArgs<N extends EventName> = ContractEventArgsFromTopics<ConsortiumAbi, N>;

/**
 * The decoded fields of each event of DESIGN §2 as the indexer stores and judges them: viem's
 * shapes, addresses and hashes lower-case, except `validUntil`, a unix time in seconds kept as a
 * number (uint64 values beyond 2^53 are clamped on decode; no real expiry comes near).
 */
export type EventArgs = {
  [N in EventName]: N extends 'AccessGranted'
    ? { [K in keyof DecodedEventArgs<N>]: K extends 'validUntil' ? number : DecodedEventArgs<N>[K] }
    : N extends 'OrgRegistered'
      ? DecodedEventArgs<N> & RawText<'nameRaw'>
      : N extends 'DatasetRegistered'
        ? DecodedEventArgs<N> & RawText<'titleRaw'>
        : DecodedEventArgs<N>;
};

/**
 * Chain strings are arbitrary bytes; the indexer stores them as safe text (NUL and invalid UTF-8
 * replaced, very long text cut) and, when it had to change anything, the exact bytes as 0x-hex.
 */
type RawText<K extends string> = { [P in K]?: `0x${string}` };

/** One item of a contract's batch function (`grantAccessBatch(Grant[])` → Grant), as viem types it. */
export type BatchItem<A extends Abi, Fn extends ContractFunctionName<A, 'nonpayable'>> =
  ContractFunctionArgs<A, 'nonpayable', Fn> extends readonly [readonly (infer Item)[]] ? Item : never;
