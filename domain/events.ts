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

/**
 * DESIGN §2's declarations verbatim (names and indexed flags), for reading a log back without the
 * compiled artifacts (export verification in server/). A unit test holds them equal to the ABIs.
 */
export const EVENT_DECLARATIONS: Record<EventName, string> = {
  OrgRegistered:
    'event OrgRegistered(address indexed account, bytes32 indexed orgCode, uint32 regionCode, uint8 kind, string name)',
  OrgDeactivated: 'event OrgDeactivated(address indexed account)',
  DatasetRegistered:
    'event DatasetRegistered(bytes32 indexed datasetId, address indexed owner, uint16 category, uint8 sensitivity, string title)',
  AccessGranted:
    'event AccessGranted(bytes32 indexed grantId, bytes32 indexed datasetId, address indexed grantee, address grantor, uint16 purpose, uint8 modes, uint64 validUntil)',
  AccessRevoked: 'event AccessRevoked(bytes32 indexed grantId, address indexed revokedBy)',
  DataAccessed:
    'event DataAccessed(bytes32 indexed grantId, bytes32 indexed datasetId, address indexed accessor, uint8 mode, uint16 purpose, uint32 recordCount, bytes32 payloadHash)',
  InvoiceIssued:
    'event InvoiceIssued(bytes32 indexed invoiceHash, address indexed issuer, uint32 regionCode, uint256 amountFen)',
  InvoiceReimbursed:
    'event InvoiceReimbursed(bytes32 indexed invoiceHash, address indexed claimant, uint256 amountFen)',
  InvoiceVoided: 'event InvoiceVoided(bytes32 indexed invoiceHash, address indexed issuer)',
  CertificateIssued:
    'event CertificateIssued(bytes32 indexed certHash, address indexed issuer, uint16 certType, uint32 regionCode)',
  CertificateRevoked: 'event CertificateRevoked(bytes32 indexed certHash, address indexed issuer)',
  CertificateVerified: 'event CertificateVerified(bytes32 indexed certHash, address indexed verifier)',
  ServiceItemListed:
    'event ServiceItemListed(uint32 indexed regionCode, uint32 indexed itemCode, uint8 onlineLevel)',
  CaseCompleted:
    'event CaseCompleted(bytes32 indexed caseId, address indexed org, uint32 indexed regionCode, uint32 itemCode, uint8 channel, uint8 orgsInvolved, uint32 durationMinutes)',
};
