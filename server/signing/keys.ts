import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sm2PublicKeyOf } from './sm2';
import { sm3Hex } from './sm3';

/** DER of the OID 1.2.156.10197.1.301 (the SM2 curve, GM/T 0006). */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');
/** ECPrivateKey (RFC 5915): version 1, then the 32-byte private key as an OCTET STRING. */
const EC_PRIVATE_KEY_HEAD = Buffer.from('0201010420', 'hex');

export interface SigningKey {
  privateKey: bigint;
  /** 04‖x‖y, hex */
  publicKeyHex: string;
  fingerprint: string;
}

/**
 * A key's fingerprint: SM3 of its uncompressed public key bytes (04‖x‖y), lower-case hex. What
 * /verify and the README publish, and what a recipient compares with a manifest's signer.
 */
export function keyFingerprint(publicKeyHex: string): string {
  return sm3Hex(Buffer.from(publicKeyHex, 'hex'));
}

/** The fingerprint in groups of four, as shown to people (easier to compare aloud). */
export function formatFingerprint(fp: string): string {
  return fp.match(/.{1,4}/g)?.join(' ') ?? fp;
}

/** A new SM2 key pair: the private key as PKCS#8 PEM (what SIGNING_KEY_FILE holds). */
export function generateSigningKeyPem(): { pem: string; key: SigningKey } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { pem, key: parseSigningKeyPem(pem) };
}

/** Reads an SM2 private key from PEM (PKCS#8 or SEC 1 "EC PRIVATE KEY", as OpenSSL and GmSSL write). */
export function parseSigningKeyPem(pem: string): SigningKey {
  let der: Buffer;
  try {
    der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  } catch (e) {
    throw new Error(`not a PEM private key: ${(e as Error).message}`);
  }
  if (der.indexOf(SM2_CURVE_OID) < 0) throw new Error('the private key is not on the SM2 curve');
  const at = der.indexOf(EC_PRIVATE_KEY_HEAD);
  if (at < 0 || der.length < at + EC_PRIVATE_KEY_HEAD.length + 32)
    throw new Error('the private key has no 32-byte SM2 scalar');
  const start = at + EC_PRIVATE_KEY_HEAD.length;
  const privateKey = BigInt(`0x${der.subarray(start, start + 32).toString('hex')}`);
  const publicKeyHex = sm2PublicKeyOf(privateKey);
  return { privateKey, publicKeyHex, fingerprint: keyFingerprint(publicKeyHex) };
}

const loaded = new Map<string, SigningKey>();

/** The key of SIGNING_KEY_FILE, read once per process per path; a clear error when it is missing. */
export function loadSigningKey(path: string | undefined): SigningKey {
  if (!path)
    throw new SigningKeyMissingError(
      'SIGNING_KEY_FILE is not set: generate one with `npm run cli -- keys generate --out FILE`',
    );
  const hit = loaded.get(path);
  if (hit) return hit;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SigningKeyMissingError(`cannot read SIGNING_KEY_FILE: ${(e as Error).message}`);
  }
  let key: SigningKey;
  try {
    key = parseSigningKeyPem(pem);
  } catch (e) {
    throw new SigningKeyMissingError(`SIGNING_KEY_FILE: ${(e as Error).message}`);
  }
  loaded.set(path, key);
  return key;
}

export class SigningKeyMissingError extends Error {}
