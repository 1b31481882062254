import { CERT_ISSUER_KIND } from '../catalog';
import type { Cert, World } from '../world';
import { pickActive } from './orgs';

const POOL_LIMIT = 50_000;

/**
 * Electronic certificates: issued by the competent department, verified by departments and
 * enterprises while valid, and a few revoked — each in a block after its last verification, and
 * never verified again.
 */
export function createCertificates(w: World) {
  const { rng } = w;
  const certTypes = Object.keys(CERT_ISSUER_KIND).map(Number);
  const verifiers = w.pop.orgs;

  function issue(k: number): void {
    const certType = rng.pick(certTypes);
    const city = rng.pick(w.pop.cities);
    const issuer = w.pop.deptByCityKind.get(`${city.code}-${CERT_ISSUER_KIND[certType] ?? 6}`);
    if (!issuer) return;
    const hash = w.ids.hex32();
    w.plan.add(k, 'issueCert', {
      certHash: hash,
      issuer: issuer.address,
      certType,
      regionCode: issuer.regionCode,
    });
    if (w.certs.length >= POOL_LIMIT) w.certs.splice(0, POOL_LIMIT / 5); // keep the recent ones
    w.certs.push({ hash, issuer, issuedK: k, lastVerifyK: -1 });
  }

  function pickValid(k: number): Cert | undefined {
    for (let i = 0; i < 6 && w.certs.length > 0; i++) {
      const c = rng.pick(w.certs);
      if (c.issuedK < k && c.revokedK === undefined) return c;
    }
    return undefined;
  }

  return {
    pickValid,
    step(k: number, issues: number, verifies: number): void {
      const expected = issues * 0.015;
      const revocations = Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0);
      for (let i = 0; i < revocations; i++) {
        const c = pickValid(k);
        if (!c || c.lastVerifyK >= k) continue;
        c.revokedK = k;
        w.plan.add(k, 'revokeCert', { certHash: c.hash, actor: c.issuer.address });
      }
      for (let i = 0; i < issues && w.plan.size(k) < w.blockCapacity; i++) issue(k);
      for (let i = 0; i < verifies && w.plan.size(k) < w.blockCapacity; i++) {
        const c = pickValid(k);
        const v = pickActive(w, verifiers, k);
        if (!c || !v) continue;
        c.lastVerifyK = k;
        w.plan.add(k, 'verifyCert', { certHash: c.hash, actor: v.address });
      }
    },
  };
}
