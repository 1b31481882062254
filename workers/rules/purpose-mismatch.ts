import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { datasetFact, orgFact } from './describe';
import { eventFinding } from './finding';

/** PURPOSE_MISMATCH: the access states a purpose other than the one granted. */
export function purposeMismatch(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const grant = applicableGrant(ev, state);
  const { purpose, accessor, datasetId } = ev.args;
  if (!grant || purpose === grant.purpose) return null;
  return eventFinding(
    'PURPOSE_MISMATCH',
    ev,
    state,
    accessor,
    {
      rule: 'PURPOSE_MISMATCH',
      org: orgFact(state, accessor),
      dataset: datasetFact(state, datasetId),
      purpose,
      grantedPurpose: grant.purpose,
    },
    [grant.granted],
  );
}
