import { canonicalJson } from '../signing/canonical';
import type { SigningKey } from '../signing/keys';
import { SM2_DEFAULT_USER_ID, sm2Sign } from '../signing/sm2';
import { createSm3, sm3Hex } from '../signing/sm3';
import {
  SIGNATURE_ALGORITHM,
  type EvidenceLine,
  type FileDigest,
  type ManifestHeader,
  type ManifestSeal,
  type ManifestSealLine,
} from './types';

/** The bytes the SM2 signature covers (docs/evidence.md): canonical JSON of header and seal. */
export function signedMessage(header: ManifestHeader | Record<string, unknown>, seal: ManifestSeal): Buffer {
  return Buffer.from(canonicalJson({ header, seal }), 'utf8');
}

/**
 * Builds a manifest as text pieces the caller writes where it wants (a file, a ZIP entry, a
 * spool file): `header()` first, `evidence(page)` as rows stream, `seal(files)` last. Only the
 * running SM3 of the evidence lines is kept, so memory does not grow with the row count.
 */
export function createManifestWriter(p: { header: ManifestHeader; key: SigningKey }) {
  const hash = createSm3();
  let lines = 0;
  return {
    header(): string {
      return `${JSON.stringify(p.header)}\n`;
    },
    evidence(page: readonly EvidenceLine[]): string {
      if (page.length === 0) return '';
      const text = page.map((l) => `${JSON.stringify(l)}\n`).join('');
      hash.update(text, 'utf8');
      lines += page.length;
      return text;
    },
    seal(files: FileDigest[]): string {
      const seal: ManifestSeal = {
        files,
        evidence: { lines, sm3: hash.digest('hex') },
        signer: {
          algorithm: SIGNATURE_ALGORITHM,
          userId: SM2_DEFAULT_USER_ID,
          publicKey: p.key.publicKeyHex,
          fingerprint: p.key.fingerprint,
        },
      };
      const message = signedMessage(p.header, seal);
      const signature = sm2Sign(message, p.key.privateKey, { publicKeyHex: p.key.publicKeyHex }).toString(
        'hex',
      );
      const line: ManifestSealLine = { seal, signature, digest: sm3Hex(message) };
      return `${JSON.stringify(line)}\n`;
    },
  };
}

export type ManifestWriter = ReturnType<typeof createManifestWriter>;
