import type { ContractName, EventName } from './events';

/** What each contract is for, in the UI's two languages (the Solidity names stay in exports). */
export const CONTRACT_LABELS: Record<ContractName, { zh: string; en: string }> = {
  OrgRegistry: { zh: '成员机构登记', en: 'Member registry' },
  DataSharing: { zh: '数据共享', en: 'Data sharing' },
  InvoiceLedger: { zh: '电子发票', en: 'E-invoices' },
  CertificateRegistry: { zh: '电子证照', en: 'E-certificates' },
  ServiceLedger: { zh: '政务服务办件', en: 'Government service cases' },
};

/** Each event of DESIGN §2 as a user would name it. */
export const EVENT_LABELS: Record<EventName, { zh: string; en: string }> = {
  OrgRegistered: { zh: '机构登记', en: 'Member registered' },
  OrgDeactivated: { zh: '机构停用', en: 'Member deactivated' },
  DatasetRegistered: { zh: '数据集登记', en: 'Dataset registered' },
  AccessGranted: { zh: '授权', en: 'Access granted' },
  AccessRevoked: { zh: '撤销授权', en: 'Access revoked' },
  DataAccessed: { zh: '数据访问', en: 'Data accessed' },
  InvoiceIssued: { zh: '开具发票', en: 'Invoice issued' },
  InvoiceReimbursed: { zh: '发票报销', en: 'Invoice reimbursed' },
  InvoiceVoided: { zh: '发票作废', en: 'Invoice voided' },
  CertificateIssued: { zh: '证照签发', en: 'Certificate issued' },
  CertificateRevoked: { zh: '证照吊销', en: 'Certificate revoked' },
  CertificateVerified: { zh: '证照核验', en: 'Certificate verified' },
  ServiceItemListed: { zh: '事项上架', en: 'Service item listed' },
  CaseCompleted: { zh: '办件办结', en: 'Case completed' },
};

export function contractLabel(name: string, lang: 'zh' | 'en'): string {
  return (CONTRACT_LABELS as Record<string, { zh: string; en: string } | undefined>)[name]?.[lang] ?? name;
}

export function eventLabel(name: string, lang: 'zh' | 'en'): string {
  return (EVENT_LABELS as Record<string, { zh: string; en: string } | undefined>)[name]?.[lang] ?? name;
}
