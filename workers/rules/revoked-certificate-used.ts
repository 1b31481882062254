import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { isBefore, orgLabel, refOf, shortHash } from './describe';
import { eventFinding } from './finding';

/** REVOKED_CERTIFICATE_USED: a verification of a never-issued certificate or one revoked earlier. */
export function revokedCertificateUsed(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'CertificateVerified') return null;
  const { certHash, verifier } = ev.args;
  const cert = state.certificate(certHash);
  const who = orgLabel(state, verifier);
  if (!cert?.issued) {
    return eventFinding(
      'REVOKED_CERTIFICATE_USED',
      ev,
      state,
      verifier,
      `${who} 核验了未签发的证照 ${shortHash(certHash)}`,
    );
  }
  if (!cert.revoked || !cert.revokedRef || !isBefore(cert.revokedRef, refOf(ev))) return null;
  return eventFinding(
    'REVOKED_CERTIFICATE_USED',
    ev,
    state,
    verifier,
    `${who} 核验了已吊销的证照 ${shortHash(certHash)}（吊销于区块 ${cert.revokedRef.blockNumber}）`,
    [cert.revokedRef],
  );
}
