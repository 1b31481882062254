import type { Address, Hash } from 'viem';
import type { ContractName, EventName } from '../../domain/events';

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

/** Decoded fields of each event of DESIGN §2. Addresses and hashes are lower-case. */
export interface EventArgs {
  OrgRegistered: { account: Address; orgCode: Hash; regionCode: number; kind: number; name: string };
  OrgDeactivated: { account: Address };
  DatasetRegistered: {
    datasetId: Hash;
    owner: Address;
    category: number;
    sensitivity: number;
    title: string;
  };
  AccessGranted: {
    grantId: Hash;
    datasetId: Hash;
    grantee: Address;
    grantor: Address;
    purpose: number;
    modes: number;
    /** unix seconds (uint64, always below 2^53 in practice; larger values are clamped on decode) */
    validUntil: number;
  };
  AccessRevoked: { grantId: Hash; revokedBy: Address };
  DataAccessed: {
    grantId: Hash;
    datasetId: Hash;
    accessor: Address;
    mode: number;
    purpose: number;
    recordCount: number;
    payloadHash: Hash;
  };
  InvoiceIssued: { invoiceHash: Hash; issuer: Address; regionCode: number; amountFen: bigint };
  InvoiceReimbursed: { invoiceHash: Hash; claimant: Address; amountFen: bigint };
  InvoiceVoided: { invoiceHash: Hash; issuer: Address };
  CertificateIssued: { certHash: Hash; issuer: Address; certType: number; regionCode: number };
  CertificateRevoked: { certHash: Hash; issuer: Address };
  CertificateVerified: { certHash: Hash; verifier: Address };
  ServiceItemListed: { regionCode: number; itemCode: number; onlineLevel: number };
  CaseCompleted: {
    caseId: Hash;
    org: Address;
    regionCode: number;
    itemCode: number;
    channel: number;
    orgsInvolved: number;
    durationMinutes: number;
  };
}

/** One decoded event: a discriminated union on `eventName`. */
export type ChainEvent = {
  [N in EventName]: EventCoordinates & {
    contract: ContractName;
    address: Address;
    eventName: N;
    args: EventArgs[N];
  };
}[EventName];

export type ChainEventOf<N extends EventName> = Extract<ChainEvent, { eventName: N }>;
