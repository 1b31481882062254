/** The contracts and event names of DESIGN §2, and the canonical event signatures. */
export const CONTRACT_NAMES = [
  'OrgRegistry',
  'DataSharing',
  'InvoiceLedger',
  'CertificateRegistry',
  'ServiceLedger',
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export const EVENT_SIGNATURES = {
  OrgRegistered: 'OrgRegistered(address,bytes32,uint32,uint8,string)',
  OrgDeactivated: 'OrgDeactivated(address)',
  DatasetRegistered: 'DatasetRegistered(bytes32,address,uint16,uint8,string)',
  AccessGranted: 'AccessGranted(bytes32,bytes32,address,address,uint16,uint8,uint64)',
  AccessRevoked: 'AccessRevoked(bytes32,address)',
  DataAccessed: 'DataAccessed(bytes32,bytes32,address,uint8,uint16,uint32,bytes32)',
  InvoiceIssued: 'InvoiceIssued(bytes32,address,uint32,uint256)',
  InvoiceReimbursed: 'InvoiceReimbursed(bytes32,address,uint256)',
  InvoiceVoided: 'InvoiceVoided(bytes32,address)',
  CertificateIssued: 'CertificateIssued(bytes32,address,uint16,uint32)',
  CertificateRevoked: 'CertificateRevoked(bytes32,address)',
  CertificateVerified: 'CertificateVerified(bytes32,address)',
  ServiceItemListed: 'ServiceItemListed(uint32,uint32,uint8)',
  CaseCompleted: 'CaseCompleted(bytes32,address,uint32,uint32,uint8,uint8,uint32)',
} as const;
export type EventName = keyof typeof EVENT_SIGNATURES;
export const EVENT_NAMES = Object.keys(EVENT_SIGNATURES) as EventName[];

export const EVENT_CONTRACT: Record<EventName, ContractName> = {
  OrgRegistered: 'OrgRegistry',
  OrgDeactivated: 'OrgRegistry',
  DatasetRegistered: 'DataSharing',
  AccessGranted: 'DataSharing',
  AccessRevoked: 'DataSharing',
  DataAccessed: 'DataSharing',
  InvoiceIssued: 'InvoiceLedger',
  InvoiceReimbursed: 'InvoiceLedger',
  InvoiceVoided: 'InvoiceLedger',
  CertificateIssued: 'CertificateRegistry',
  CertificateRevoked: 'CertificateRegistry',
  CertificateVerified: 'CertificateRegistry',
  ServiceItemListed: 'ServiceLedger',
  CaseCompleted: 'ServiceLedger',
};
