import { describe, expect, it } from 'vitest';
import { revokedCertificateUsed } from '../../workers/rules/revoked-certificate-used';
import { addCertificate, addOrg, addr, event, h32, memState, ref, settings } from './rules-fixtures';

const verifier = addr(0xd1);
const certHash = h32(0x5151);
const verify = () => event('CertificateVerified', { certHash, verifier }, { blockNumber: 500, logIndex: 4 });

describe('rules: REVOKED_CERTIFICATE_USED', () => {
  it('fires for a never-issued certificate with the verification as evidence', () => {
    const s = memState();
    addOrg(s, verifier, 330100, '杭州市市场监管局');
    const f = revokedCertificateUsed(verify(), s, settings);
    expect(f).toMatchObject({ rule: 'REVOKED_CERTIFICATE_USED', key: '500-4', regionCode: 330100 });
    expect(f?.evidence).toEqual([ref(500, 4)]);
  });
  it('fires after a revocation earlier in the same block, citing it', () => {
    const s = memState();
    addCertificate(s, { certHash, revoked: true, revokedRef: ref(500, 3) });
    expect(revokedCertificateUsed(verify(), s, settings)?.evidence).toEqual([ref(500, 3), ref(500, 4)]);
  });
  it('is silent for a valid certificate and for a revocation later in chain order', () => {
    const s = memState();
    const c = addCertificate(s, { certHash });
    expect(revokedCertificateUsed(verify(), s, settings)).toBeNull();
    c.revoked = true;
    c.revokedRef = ref(500, 5);
    expect(revokedCertificateUsed(verify(), s, settings)).toBeNull();
  });
});
