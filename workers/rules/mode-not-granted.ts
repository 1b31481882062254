import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { ACCESS_MODES, modesOf } from '../../domain/codes';
import { applicableGrant } from './applicable-grant';
import { datasetLabel, orgLabel, zhLabel } from './describe';
import { eventFinding } from './finding';

const modeName = (bit: number) => zhLabel(ACCESS_MODES, bit, '方式');

/** MODE_NOT_GRANTED: some bit of the access mode is outside the grant's modes, or the mode is 0. */
export function modeNotGranted(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const grant = applicableGrant(ev, state);
  const { mode, accessor, datasetId } = ev.args;
  if (!grant || (mode !== 0 && (grant.modes & mode) === mode)) return null;
  const granted = modesOf(grant.modes).map(modeName).join('、') || '无';
  return eventFinding(
    'MODE_NOT_GRANTED',
    ev,
    state,
    accessor,
    `${orgLabel(state, accessor)} 以未授权方式「${modeName(mode)}」访问 ${datasetLabel(state, datasetId)}（授权方式：${granted}）`,
    [grant.granted],
  );
}
