import type { ContractName, EventName } from '~/domain/events';
import type { BatchItem } from '../events';
import type {
  certificateRegistryAbi,
  dataSharingAbi,
  invoiceLedgerAbi,
  orgRegistryAbi,
  serviceLedgerAbi,
} from '../compiled';

/**
 * A batch item as the simulator builds it: the struct of the compiled ABI, with its wide integers
 * (uint64 `validUntil`, uint256 `amountFen`) as JS numbers, exact below 2^53, which generated times
 * and amounts never approach (encode.ts writes them as 32-byte words).
 */
type Simulated<T> = { [K in keyof T]: T[K] extends bigint ? number : T[K] };

/**
 * What goes into one block: per kind of batch call, the items (one event each). Calls are sent in
 * CALL_ORDER, so within a block registrations precede acts, grants precede accesses, revocations
 * precede accesses (the same-block revoke-then-access edge case), issues precede voids and
 * reimbursements, and deactivations come last.
 */
export interface Items {
  registerOrgs: Simulated<BatchItem<typeof orgRegistryAbi, 'registerBatch'>>;
  registerDatasets: Simulated<BatchItem<typeof dataSharingAbi, 'registerDatasetBatch'>>;
  grant: Simulated<BatchItem<typeof dataSharingAbi, 'grantAccessBatch'>>;
  revoke: Simulated<BatchItem<typeof dataSharingAbi, 'revokeAccessBatch'>>;
  access: Simulated<BatchItem<typeof dataSharingAbi, 'recordAccessBatch'>>;
  issueInvoice: Simulated<BatchItem<typeof invoiceLedgerAbi, 'issueBatch'>>;
  voidInvoice: Simulated<BatchItem<typeof invoiceLedgerAbi, 'voidBatch'>>;
  reimburse: Simulated<BatchItem<typeof invoiceLedgerAbi, 'reimburseBatch'>>;
  issueCert: Simulated<BatchItem<typeof certificateRegistryAbi, 'issueBatch'>>;
  revokeCert: Simulated<BatchItem<typeof certificateRegistryAbi, 'revokeBatch'>>;
  verifyCert: Simulated<BatchItem<typeof certificateRegistryAbi, 'verifyBatch'>>;
  listItem: Simulated<BatchItem<typeof serviceLedgerAbi, 'listItemBatch'>>;
  completeCase: Simulated<BatchItem<typeof serviceLedgerAbi, 'completeCaseBatch'>>;
  deactivateOrgs: BatchItem<typeof orgRegistryAbi, 'deactivateBatch'>;
}
export type CallKind = keyof Items;

export const CALL_ORDER: readonly CallKind[] = [
  'registerOrgs',
  'registerDatasets',
  'grant',
  'revoke',
  'access',
  'issueInvoice',
  'voidInvoice',
  'reimburse',
  'issueCert',
  'revokeCert',
  'verifyCert',
  'listItem',
  'completeCase',
  'deactivateOrgs',
];

export const CALL_INFO: Record<
  CallKind,
  { contract: ContractName; fn: string; event: EventName; gasPerItem: number }
> = {
  // gasPerItem: measured cost with ~40 % margin (an access batch measured 6.1k gas per item).
  registerOrgs: { contract: 'OrgRegistry', fn: 'registerBatch', event: 'OrgRegistered', gasPerItem: 30_000 },
  registerDatasets: {
    contract: 'DataSharing',
    fn: 'registerDatasetBatch',
    event: 'DatasetRegistered',
    gasPerItem: 30_000,
  },
  grant: { contract: 'DataSharing', fn: 'grantAccessBatch', event: 'AccessGranted', gasPerItem: 10_000 },
  revoke: { contract: 'DataSharing', fn: 'revokeAccessBatch', event: 'AccessRevoked', gasPerItem: 6_000 },
  access: { contract: 'DataSharing', fn: 'recordAccessBatch', event: 'DataAccessed', gasPerItem: 9_000 },
  issueInvoice: { contract: 'InvoiceLedger', fn: 'issueBatch', event: 'InvoiceIssued', gasPerItem: 8_000 },
  voidInvoice: { contract: 'InvoiceLedger', fn: 'voidBatch', event: 'InvoiceVoided', gasPerItem: 6_000 },
  reimburse: {
    contract: 'InvoiceLedger',
    fn: 'reimburseBatch',
    event: 'InvoiceReimbursed',
    gasPerItem: 7_000,
  },
  issueCert: {
    contract: 'CertificateRegistry',
    fn: 'issueBatch',
    event: 'CertificateIssued',
    gasPerItem: 8_000,
  },
  revokeCert: {
    contract: 'CertificateRegistry',
    fn: 'revokeBatch',
    event: 'CertificateRevoked',
    gasPerItem: 6_000,
  },
  verifyCert: {
    contract: 'CertificateRegistry',
    fn: 'verifyBatch',
    event: 'CertificateVerified',
    gasPerItem: 6_000,
  },
  listItem: { contract: 'ServiceLedger', fn: 'listItemBatch', event: 'ServiceItemListed', gasPerItem: 6_000 },
  completeCase: {
    contract: 'ServiceLedger',
    fn: 'completeCaseBatch',
    event: 'CaseCompleted',
    gasPerItem: 10_000,
  },
  deactivateOrgs: {
    contract: 'OrgRegistry',
    fn: 'deactivateBatch',
    event: 'OrgDeactivated',
    gasPerItem: 5_000,
  },
};

/**
 * Items of one kind in one block. `tracked` items (anomalies and the events they rest on) go in a
 * small tx of their own before the lawful batch, so resolving their log positions needs only small
 * receipts.
 */
export interface CallItems<K extends CallKind> {
  tracked: Items[K][];
  lawful: Items[K][];
}

export interface BlockPlan {
  k: number;
  calls: { [K in CallKind]?: CallItems<K> };
  /** Events in this block, to respect the block gas limit. */
  size: number;
}

/** Where a planned event sits: block k, kind, tracked or lawful list, index in that list. */
export interface EventRef {
  k: number;
  kind: CallKind;
  tracked: boolean;
  idx: number;
}
/** The first log of block k, whatever it is (CHAIN_STALLED's evidence). */
export interface FirstOfBlockRef {
  k: number;
  first: true;
}
export type Ref = EventRef | FirstOfBlockRef;

/** Pending blocks of the plan, written out in order as the simulation advances. */
export class PlanBuffer {
  private readonly blocks = new Map<number, BlockPlan>();

  block(k: number): BlockPlan {
    let b = this.blocks.get(k);
    if (!b) {
      b = { k, calls: {}, size: 0 };
      this.blocks.set(k, b);
    }
    return b;
  }

  add<K extends CallKind>(k: number, kind: K, item: Items[K], tracked = false): EventRef {
    const b = this.block(k);
    const calls = b.calls as Record<CallKind, CallItems<CallKind> | undefined>;
    let c = calls[kind] as CallItems<K> | undefined;
    if (!c) {
      c = { tracked: [], lawful: [] };
      calls[kind] = c;
    }
    const list = tracked ? c.tracked : c.lawful;
    list.push(item);
    b.size++;
    return { k, kind, tracked, idx: list.length - 1 };
  }

  size(k: number): number {
    return this.blocks.get(k)?.size ?? 0;
  }

  /** Removes and returns every planned block with number ≤ k, in order. */
  takeUpTo(k: number): BlockPlan[] {
    const out = [...this.blocks.values()].filter((b) => b.k <= k).sort((a, b) => a.k - b.k);
    for (const b of out) this.blocks.delete(b.k);
    return out;
  }
}
