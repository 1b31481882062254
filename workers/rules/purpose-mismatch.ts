import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { PURPOSES } from '../../domain/codes';
import { datasetLabel, orgLabel, zhLabel } from './describe';
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
    `${orgLabel(state, accessor)} 访问 ${datasetLabel(state, datasetId)} 的用途「${zhLabel(PURPOSES, purpose, '用途')}」与授权用途「${zhLabel(PURPOSES, grant.purpose, '用途')}」不符`,
    [grant.granted],
  );
}
