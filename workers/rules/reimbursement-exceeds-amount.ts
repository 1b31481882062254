import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { orgFact } from './describe';
import { eventFinding } from './finding';

/**
 * REIMBURSEMENT_EXCEEDS_AMOUNT: the reimbursed total including this claim is strictly above the
 * issued amount (equal is lawful). Keyed by the invoice: later claims repeat the same finding.
 */
export function reimbursementExceedsAmount(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'InvoiceReimbursed') return null;
  const { invoiceHash, claimant, amountFen } = ev.args;
  const invoice = state.invoice(invoiceHash);
  if (!invoice?.issued || invoice.amountFen === null) return null;
  const total = invoice.reimbursedFen + amountFen;
  if (total <= invoice.amountFen) return null;
  return eventFinding(
    'REIMBURSEMENT_EXCEEDS_AMOUNT',
    ev,
    state,
    claimant,
    {
      rule: 'REIMBURSEMENT_EXCEEDS_AMOUNT',
      invoice: invoiceHash,
      org: orgFact(state, claimant),
      totalFen: total.toString(),
      amountFen: invoice.amountFen.toString(),
    },
    [invoice.issued],
    invoiceHash,
  );
}
