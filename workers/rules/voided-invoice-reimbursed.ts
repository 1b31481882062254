import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { isBefore, orgFact, refOf } from './describe';
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
    {
      rule: 'VOIDED_INVOICE_REIMBURSED',
      invoice: invoiceHash,
      org: orgFact(state, claimant),
      voidedBlock: invoice.voidedRef.blockNumber,
    },
    [invoice.voidedRef],
  );
}
