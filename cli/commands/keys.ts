import { existsSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { formatFingerprint, generateSigningKeyPem } from '../../server/signing/keys';
import { CliError, requireString, type CliCommand } from '../command';

const usage = 'keys generate --out FILE';

/**
 * `keys generate --out FILE`: a new SM2 key pair for SIGNING_KEY_FILE. The private key (PKCS#8
 * PEM) is written with mode 0600 and never printed; an existing file is never overwritten (a
 * rotation writes a new file and points SIGNING_KEY_FILE at it, the old public key stays listed).
 */
export const keysCommand: CliCommand = {
  name: 'keys',
  usage,
  options: { out: { type: 'string' } },
  allowPositionals: true,
  run({ values, positionals }) {
    if (positionals.length !== 1 || positionals[0] !== 'generate')
      throw new CliError(`expected a subcommand (usage: ${usage})`);
    const out = requireString(values, 'out', usage);
    if (existsSync(out)) throw new CliError(`${out} exists; a key file is never overwritten`);
    const { pem, key } = generateSigningKeyPem();
    writeFileSync(out, pem, { mode: 0o600, flag: 'wx' });
    const publicKeyPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    return Promise.resolve({
      file: out,
      algorithm: 'SM2',
      publicKey: key.publicKeyHex,
      publicKeyPem,
      fingerprint: key.fingerprint,
      fingerprintDisplay: formatFingerprint(key.fingerprint),
    });
  },
};
