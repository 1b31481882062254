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

/**
 * UNREGISTERED_ACTOR: one finding per event naming every acting address that is not a registered,
 * active org just before the event. The first such actor is the incident's org (its region when it
 * was registered and later deactivated, else 0).
 */
export function unregisteredActor(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  // An event has one or two actors and nearly always they are active: no set and no second list
  // unless one is not (they were a tenth of what a dense backfill allocated).
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
