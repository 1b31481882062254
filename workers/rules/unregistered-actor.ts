import type { Address } from 'viem';
import type { EventArgs } from '~/chain/events';
import type { EventName } from '~/domain/events';
import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import type { ActorRole } from '../../domain/incident-summary';
import { orgFact } from './describe';
import { eventFinding } from './finding';

/**
 * The acting addresses docs/rules.md names for each event: the field of the event's arguments
 * and the role a summary calls it. One table, read by actorsOf and by everyActorActive.
 */
const ACTOR_FIELDS: { readonly [N in EventName]?: readonly (readonly [ActorRole, ActorField<N>])[] } = {
  AccessGranted: [
    ['grantee', 'grantee'],
    ['grantor', 'grantor'],
  ],
  DataAccessed: [['accessor', 'accessor']],
  InvoiceIssued: [['issuer', 'issuer']],
  InvoiceVoided: [['voider', 'issuer']],
  InvoiceReimbursed: [['claimant', 'claimant']],
  CertificateIssued: [['certIssuer', 'issuer']],
  CertificateRevoked: [['revoker', 'issuer']],
  CertificateVerified: [['verifier', 'verifier']],
  CaseCompleted: [['org', 'org']],
};

/** The argument names of event N that hold an address. */
type ActorField<N extends EventName> = {
  [K in keyof EventArgs[N]]-?: EventArgs[N][K] extends Address ? K & string : never;
}[keyof EventArgs[N]];

function actorFields(ev: ChainEvent): readonly (readonly [ActorRole, string])[] {
  return ACTOR_FIELDS[ev.eventName] ?? [];
}

function addressAt(ev: ChainEvent, field: string): Address {
  return (ev.args as Readonly<Record<string, Address>>)[field]!;
}

/** The acting addresses docs/rules.md names for each event, with the role a summary calls them. */
export function actorsOf(ev: ChainEvent): { role: ActorRole; address: Address }[] {
  return actorFields(ev).map(([role, field]) => ({ role, address: addressAt(ev, field) }));
}

/** Whether every address actorsOf(ev) names is a registered, active org (true when it names none). */
export function everyActorActive(ev: ChainEvent, state: StateView): boolean {
  // A loop over the table, no list built: this runs for every event.
  const fields = actorFields(ev);
  for (let i = 0; i < fields.length; i++) {
    if (state.org(addressAt(ev, fields[i]![1]))?.active !== true) return false;
  }
  return true;
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
