export * from './CertificateRegistry';
export * from './DataSharing';
export * from './InvoiceLedger';
export * from './OrgRegistry';
export * from './ServiceLedger';
