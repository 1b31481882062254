import type { RuleSettings } from '../../domain/rules';
import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import { accessAfterExpiry } from './access-after-expiry';
import { accessAfterRevoke } from './access-after-revoke';
import { accessWithoutGrant } from './access-without-grant';
import { crossProvinceSensitive } from './cross-province-sensitive';
import { duplicateReimbursement } from './duplicate-reimbursement';
import { modeNotGranted } from './mode-not-granted';
import { offHoursBulk } from './off-hours-bulk';
import { purposeMismatch } from './purpose-mismatch';
import { reimbursementExceedsAmount } from './reimbursement-exceeds-amount';
import { revokedCertificateUsed } from './revoked-certificate-used';
import { unknownInvoiceReimbursed } from './unknown-invoice-reimbursed';
import { unregisteredActor } from './unregistered-actor';
import { voidedInvoiceReimbursed } from './voided-invoice-reimbursed';

export type EventRule = (ev: ChainEvent, state: StateView, settings: RuleSettings) => Finding | null;

/**
 * Every per-event rule of docs/rules.md. The grant rules (revoke, expiry, mode, purpose) skip an
 * access that ACCESS_WITHOUT_GRANT covers (see applicable-grant.ts), so running them all is safe.
 */
export const EVENT_RULES: readonly EventRule[] = [
  accessWithoutGrant,
  accessAfterRevoke,
  accessAfterExpiry,
  modeNotGranted,
  purposeMismatch,
  offHoursBulk,
  crossProvinceSensitive,
  unregisteredActor,
  duplicateReimbursement,
  voidedInvoiceReimbursed,
  unknownInvoiceReimbursed,
  reimbursementExceedsAmount,
  revokedCertificateUsed,
];

/**
 * The findings of one event, judged against the state just BEFORE the event is applied: the
 * indexer calls this, then applies the event to the state, in chain order. They are added to
 * `into` when given (a range's list: no list per event, nearly always empty), and returned.
 */
export function evaluateEventRules(
  ev: ChainEvent,
  state: StateView,
  settings: RuleSettings,
  into: Finding[] = [],
): Finding[] {
  for (let i = 0; i < EVENT_RULES.length; i++) {
    const f = EVENT_RULES[i]!(ev, state, settings);
    if (f) into.push(f);
  }
  return into;
}

export { detectVolumeSpikes } from './volume-spike';
export { detectChainStalls } from './chain-stalled';
export { loadRuleSettings } from './settings';
