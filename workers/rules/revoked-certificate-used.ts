import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { isBefore, orgFact, refOf } from './describe';
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
  const org = orgFact(state, verifier);
  if (!cert?.issued) {
    return eventFinding('REVOKED_CERTIFICATE_USED', ev, state, verifier, {
      rule: 'REVOKED_CERTIFICATE_USED',
      cert: certHash,
      org,
      revokedBlock: null,
    });
  }
  if (!cert.revoked || !cert.revokedRef || !isBefore(cert.revokedRef, refOf(ev))) return null;
  return eventFinding(
    'REVOKED_CERTIFICATE_USED',
    ev,
    state,
    verifier,
    { rule: 'REVOKED_CERTIFICATE_USED', cert: certHash, org, revokedBlock: cert.revokedRef.blockNumber },
    [cert.revokedRef],
  );
}
