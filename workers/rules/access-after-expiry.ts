import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { datasetFact, orgFact } from './describe';
import { eventFinding } from './finding';

/** ACCESS_AFTER_EXPIRY: block time strictly past validUntil; an access at validUntil is lawful. */
export function accessAfterExpiry(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const grant = applicableGrant(ev, state);
  if (!grant || ev.blockTime <= grant.validUntil) return null;
  const { accessor, datasetId } = ev.args;
  return eventFinding(
    'ACCESS_AFTER_EXPIRY',
    ev,
    state,
    accessor,
    {
      rule: 'ACCESS_AFTER_EXPIRY',
      org: orgFact(state, accessor),
      dataset: datasetFact(state, datasetId),
      grant: grant.grantId,
      validUntil: grant.validUntil,
    },
    [grant.granted],
  );
}
