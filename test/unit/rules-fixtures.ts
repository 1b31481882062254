/** Builders of ChainEvents and a small in-memory StateView for the rule unit tests. */
import type { Address, Hash } from 'viem';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../domain/rules';
import type { EventArgs } from '~/chain/events';
import type { ChainEvent, ChainEventOf } from '../../workers/events/types';
import type {
  CertificateState,
  DatasetState,
  EventRef,
  GrantState,
  InvoiceState,
  OrgState,
  StateView,
} from '../../workers/state/types';
import { EVENT_CONTRACT } from '../../domain/events';

export const settings: RuleSettings = { ...DEFAULT_RULE_SETTINGS };

export const addr = (n: number): Address => `0x${n.toString(16).padStart(40, '0')}`;
export const h32 = (n: number): Hash => `0x${n.toString(16).padStart(64, '0')}`;
export const ref = (blockNumber: number, logIndex: number): EventRef => ({
  blockNumber,
  logIndex,
  txHash: h32(blockNumber * 1000 + logIndex),
});

/** 2026-09-01 00:00:00 Asia/Shanghai = 2026-08-31T16:00:00Z. */
export const SHANGHAI_MIDNIGHT = Date.UTC(2026, 7, 31, 16, 0, 0) / 1000;

export function event<N extends ChainEvent['eventName']>(
  eventName: N,
  args: EventArgs[N],
  at: { blockNumber?: number; logIndex?: number; blockTime?: number } = {},
): ChainEventOf<N> {
  const blockNumber = at.blockNumber ?? 100;
  const logIndex = at.logIndex ?? 0;
  return {
    chainId: 31337,
    blockNumber,
    logIndex,
    txHash: h32(blockNumber * 1000 + logIndex),
    txIndex: 0,
    blockTime: at.blockTime ?? SHANGHAI_MIDNIGHT + 10 * 3600,
    contract: EVENT_CONTRACT[eventName],
    address: addr(0xc0),
    eventName,
    args,
  } as unknown as ChainEventOf<N>;
}

export interface MemState extends StateView {
  orgs: Map<Address, OrgState>;
  datasets: Map<Hash, DatasetState>;
  grants: Map<Hash, GrantState>;
  invoices: Map<Hash, InvoiceState>;
  certificates: Map<Hash, CertificateState>;
}

export function memState(): MemState {
  const s = {
    orgs: new Map<Address, OrgState>(),
    datasets: new Map<Hash, DatasetState>(),
    grants: new Map<Hash, GrantState>(),
    invoices: new Map<Hash, InvoiceState>(),
    certificates: new Map<Hash, CertificateState>(),
  };
  return {
    ...s,
    org: (a) => s.orgs.get(a),
    dataset: (d) => s.datasets.get(d),
    grant: (g) => s.grants.get(g),
    invoice: (i) => s.invoices.get(i),
    certificate: (c) => s.certificates.get(c),
  };
}

export function addOrg(
  s: MemState,
  address: Address,
  regionCode: number,
  name: string,
  active = true,
): OrgState {
  const o: OrgState = {
    address,
    orgCode: h32(1),
    regionCode,
    kind: 21,
    name,
    active,
    registered: ref(1, 0),
    registeredAt: SHANGHAI_MIDNIGHT - 86400,
    deactivated: active ? null : ref(2, 0),
    lastBlock: 1,
  };
  s.orgs.set(address, o);
  return o;
}

export function addDataset(s: MemState, datasetId: Hash, owner: Address, sensitivity: number): DatasetState {
  const d: DatasetState = {
    datasetId,
    owner,
    category: 1,
    sensitivity,
    title: '户籍人口基础信息',
    registeredBlock: 3,
    lastBlock: 3,
  };
  s.datasets.set(datasetId, d);
  return d;
}

export function addGrant(
  s: MemState,
  g: Partial<GrantState> & Pick<GrantState, 'grantId' | 'datasetId' | 'grantee'>,
): GrantState {
  const full: GrantState = {
    grantor: addr(0xa1),
    purpose: 1,
    modes: 2 | 4,
    validUntil: SHANGHAI_MIDNIGHT + 30 * 86400,
    granted: ref(5, 0),
    grantedAt: SHANGHAI_MIDNIGHT - 3600,
    revoked: false,
    revokedBy: null,
    revokedRef: null,
    lastBlock: 5,
    ...g,
  };
  s.grants.set(full.grantId, full);
  return full;
}

export function addInvoice(
  s: MemState,
  i: Partial<InvoiceState> & Pick<InvoiceState, 'invoiceHash'>,
): InvoiceState {
  const full: InvoiceState = {
    issuer: addr(0xb1),
    regionCode: 440300,
    amountFen: 10_000n,
    issued: ref(10, 0),
    reimbursedFen: 0n,
    reimbursementCount: 0,
    firstReimbursed: null,
    voided: false,
    voidedRef: null,
    lastBlock: 10,
    ...i,
  };
  s.invoices.set(full.invoiceHash, full);
  return full;
}

export function addCertificate(
  s: MemState,
  c: Partial<CertificateState> & Pick<CertificateState, 'certHash'>,
): CertificateState {
  const full: CertificateState = {
    issuer: addr(0xb2),
    certType: 1,
    regionCode: 440100,
    issued: ref(20, 0),
    revoked: false,
    revokedRef: null,
    verificationCount: 0,
    lastBlock: 20,
    ...c,
  };
  s.certificates.set(full.certHash, full);
  return full;
}
