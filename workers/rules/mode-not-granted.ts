import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { datasetFact, orgFact } from './describe';
import { eventFinding } from './finding';

/** MODE_NOT_GRANTED: some bit of the access mode is outside the grant's modes, or the mode is 0. */
export function modeNotGranted(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const grant = applicableGrant(ev, state);
  const { mode, accessor, datasetId } = ev.args;
  if (!grant || (mode !== 0 && (grant.modes & mode) === mode)) return null;
  return eventFinding(
    'MODE_NOT_GRANTED',
    ev,
    state,
    accessor,
    {
      rule: 'MODE_NOT_GRANTED',
      org: orgFact(state, accessor),
      dataset: datasetFact(state, datasetId),
      mode,
      grantedModes: grant.modes,
    },
    [grant.granted],
  );
}
