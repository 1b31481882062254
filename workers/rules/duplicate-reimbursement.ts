import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { orgFact } from './describe';
import { eventFinding } from './finding';

/**
 * DUPLICATE_REIMBURSEMENT (一票多报): the invoice already has a reimbursement. Keyed by the invoice,
 * so a third claim yields the same key and the incident of the second one stands.
 */
export function duplicateReimbursement(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'InvoiceReimbursed') return null;
  const { invoiceHash, claimant } = ev.args;
  const invoice = state.invoice(invoiceHash);
  if (!invoice || invoice.reimbursementCount < 1) return null;
  return eventFinding(
    'DUPLICATE_REIMBURSEMENT',
    ev,
    state,
    claimant,
    {
      rule: 'DUPLICATE_REIMBURSEMENT',
      invoice: invoiceHash,
      nth: invoice.reimbursementCount + 1,
      org: orgFact(state, claimant),
    },
    [invoice.firstReimbursed],
    invoiceHash,
  );
}
