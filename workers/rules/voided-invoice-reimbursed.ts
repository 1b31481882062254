import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { isBefore, orgLabel, refOf, shortHash } from './describe';
import { eventFinding } from './finding';

/** VOIDED_INVOICE_REIMBURSED: the invoice's InvoiceVoided comes earlier in chain order. */
export function voidedInvoiceReimbursed(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'InvoiceReimbursed') return null;
  const { invoiceHash, claimant } = ev.args;
  const invoice = state.invoice(invoiceHash);
  if (!invoice?.voided || !invoice.voidedRef || !isBefore(invoice.voidedRef, refOf(ev))) return null;
  return eventFinding(
    'VOIDED_INVOICE_REIMBURSED',
    ev,
    state,
    claimant,
    `已作废发票 ${shortHash(invoiceHash)} 被报销，报销单位 ${orgLabel(state, claimant)}（作废于区块 ${invoice.voidedRef.blockNumber}）`,
    [invoice.voidedRef],
  );
}
