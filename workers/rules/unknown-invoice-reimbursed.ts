import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { orgFact } from './describe';
import { eventFinding } from './finding';

/** UNKNOWN_INVOICE_REIMBURSED: no InvoiceIssued of this invoice before the claim. */
export function unknownInvoiceReimbursed(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'InvoiceReimbursed') return null;
  const { invoiceHash, claimant, amountFen } = ev.args;
  if (state.invoice(invoiceHash)?.issued) return null;
  return eventFinding('UNKNOWN_INVOICE_REIMBURSED', ev, state, claimant, {
    rule: 'UNKNOWN_INVOICE_REIMBURSED',
    invoice: invoiceHash,
    org: orgFact(state, claimant),
    amountFen: amountFen.toString(),
  });
}
