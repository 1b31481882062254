import type { Address } from 'viem';
import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import type { ActorRole } from '../../domain/incident-summary';
import { orgFact } from './describe';
import { eventFinding } from './finding';

/** The acting addresses docs/rules.md names for each event, with the role a summary calls them. */
export function actorsOf(ev: ChainEvent): { role: ActorRole; address: Address }[] {
  switch (ev.eventName) {
    case 'AccessGranted':
      return [
        { role: 'grantee', address: ev.args.grantee },
        { role: 'grantor', address: ev.args.grantor },
      ];
    case 'DataAccessed':
      return [{ role: 'accessor', address: ev.args.accessor }];
    case 'InvoiceIssued':
      return [{ role: 'issuer', address: ev.args.issuer }];
    case 'InvoiceVoided':
      return [{ role: 'voider', address: ev.args.issuer }];
    case 'InvoiceReimbursed':
      return [{ role: 'claimant', address: ev.args.claimant }];
    case 'CertificateIssued':
      return [{ role: 'certIssuer', address: ev.args.issuer }];
    case 'CertificateRevoked':
      return [{ role: 'revoker', address: ev.args.issuer }];
    case 'CertificateVerified':
      return [{ role: 'verifier', address: ev.args.verifier }];
    case 'CaseCompleted':
      return [{ role: 'org', address: ev.args.org }];
    default:
      return [];
  }
}

/** Whether every address actorsOf(ev) names is a registered, active org (true when it names none). */
export function everyActorActive(ev: ChainEvent, state: StateView): boolean {
  switch (ev.eventName) {
    case 'AccessGranted':
      return isActiveOrg(state, ev.args.grantee) && isActiveOrg(state, ev.args.grantor);
    case 'DataAccessed':
      return isActiveOrg(state, ev.args.accessor);
    case 'InvoiceIssued':
    case 'InvoiceVoided':
    case 'CertificateIssued':
    case 'CertificateRevoked':
      return isActiveOrg(state, ev.args.issuer);
    case 'InvoiceReimbursed':
      return isActiveOrg(state, ev.args.claimant);
    case 'CertificateVerified':
      return isActiveOrg(state, ev.args.verifier);
    case 'CaseCompleted':
      return isActiveOrg(state, ev.args.org);
    default:
      return true;
  }
}

/** A plain function, not a closure over `state`: one per event was garbage too. */
function isActiveOrg(state: StateView, address: Address): boolean {
  return state.org(address)?.active === true;
}

/**
 * UNREGISTERED_ACTOR: one finding per event naming every acting address that is not a registered,
 * active org just before the event. The first such actor is the incident's org (its region when it
 * was registered and later deactivated, else 0).
 */
export function unregisteredActor(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  // An event has one or two actors and nearly always they are active: checked first without the
  // list of actors (its array and objects were ≈ 4 % of what a mixed chain's backfill allocated),
  // and no set and no second list unless one is not.
  if (everyActorActive(ev, state)) return null;
  const actors = actorsOf(ev);
  let offenders: typeof actors | undefined;
  for (const actor of actors) {
    if (state.org(actor.address)?.active === true) continue;
    if (offenders?.some((o) => o.address === actor.address)) continue;
    (offenders ??= []).push(actor);
  }
  const first = offenders?.[0];
  if (!offenders || !first) return null;
  return eventFinding('UNREGISTERED_ACTOR', ev, state, first.address, {
    rule: 'UNREGISTERED_ACTOR',
    event: ev.eventName,
    actors: offenders.map(({ role, address }) => ({
      role,
      org: orgFact(state, address),
      // Registered once and deactivated since, or never registered at all.
      deactivated: Boolean(state.org(address)),
    })),
  });
}
