import type { SummaryFacts } from '../../domain/incident-summary';
import type { Address, Hash } from 'viem';
import type { RuleId, Severity } from '../../domain/rules';

/**
 * The projection state that event handlers apply and per-event rules read, held in memory for
 * one range: loaded from Postgres for the keys the range touches, mutated in chain order, written
 * back in the range's transaction. `undefined` from a getter means "never seen on chain".
 */
export interface EventRef {
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
}

export interface OrgState {
  address: Address;
  orgCode: Hash;
  regionCode: number;
  kind: number;
  name: string;
  active: boolean;
  registered: EventRef;
  /** unix seconds */
  registeredAt: number;
  deactivated: EventRef | null;
  lastBlock: number;
}

export interface DatasetState {
  datasetId: Hash;
  owner: Address;
  category: number;
  sensitivity: number;
  title: string;
  registeredBlock: number;
  lastBlock: number;
}

export interface GrantState {
  grantId: Hash;
  datasetId: Hash;
  grantee: Address;
  grantor: Address;
  purpose: number;
  modes: number;
  /** unix seconds */
  validUntil: number;
  granted: EventRef;
  /** unix seconds */
  grantedAt: number;
  revoked: boolean;
  revokedBy: Address | null;
  revokedRef: EventRef | null;
  lastBlock: number;
}

export interface InvoiceState {
  invoiceHash: Hash;
  /** null while the invoice was never issued on chain */
  issuer: Address | null;
  regionCode: number | null;
  amountFen: bigint | null;
  issued: EventRef | null;
  reimbursedFen: bigint;
  reimbursementCount: number;
  firstReimbursed: EventRef | null;
  voided: boolean;
  voidedRef: EventRef | null;
  lastBlock: number;
}

export interface CertificateState {
  certHash: Hash;
  /** null while the certificate was never issued on chain */
  issuer: Address | null;
  certType: number | null;
  regionCode: number | null;
  issued: EventRef | null;
  revoked: boolean;
  revokedRef: EventRef | null;
  verificationCount: number;
  lastBlock: number;
}

/** Read access to the state as it stood just before the event being judged. */
export interface StateView {
  org(address: Address): OrgState | undefined;
  dataset(datasetId: Hash): DatasetState | undefined;
  grant(grantId: Hash): GrantState | undefined;
  invoice(invoiceHash: Hash): InvoiceState | undefined;
  certificate(certHash: Hash): CertificateState | undefined;
}

/** One finding of a rule: becomes an incident, unique per (chainId, rule, key). */
export interface Finding {
  rule: RuleId;
  /** Names the finding so that re-running detection finds the same key (see domain/finding-keys.ts). */
  key: string;
  severity: Severity;
  /** The acting org's region; 0 when the actor is unregistered. */
  regionCode: number;
  orgAddress: Address | null;
  summary: string;
  /** What the summary says, to render it per language (absent: the summary text is all there is). */
  facts?: SummaryFacts;
  /** unix seconds of the event that completed the finding */
  occurredAt: number;
  evidence: EventRef[];
}
