import { randomBytes } from 'node:crypto';
import { sm3Bytes } from './sm3';

/**
 * GM/T 0003 SM2 signatures over the curve of GM/T 0003.5, with the user id of GM/T 0009.
 *
 * Why not Node's crypto.sign: Node 20 parses SM2 keys, but signs them as ECDSA over the SM2 curve
 * (no Z digest, ECDSA's equation), which no SM2 verifier accepts; its OpenSSL offers no way to set
 * the distinguishing id. So the arithmetic is here, on BigInt, with SM3 from Node's OpenSSL, and
 * tests prove it against sm-crypto (an independent implementation) in both directions.
 *
 * Not constant-time (BigInt): the signing key signs exports on the deployment's own server,
 * where an attacker cannot time thousands of signatures; verification handles public data only.
 */

export const SM2_P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const SM2_A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
export const SM2_B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** GM/T 0009's default distinguishing identifier (what every SM2 library assumes when none is set). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

type Jacobian = readonly [bigint, bigint, bigint];
const INF: Jacobian = [0n, 1n, 0n];

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = mod(base, m);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

/** Inverse modulo a prime (p and n both are): Fermat. */
const inv = (a: bigint, m: bigint) => modPow(a, m - 2n, m);

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INF;
  const p = SM2_P;
  // dbl-2001-b, valid because a = -3 on this curve
  const delta = (z * z) % p;
  const gamma = (y * y) % p;
  const beta = (x * gamma) % p;
  const alpha = mod(3n * (x - delta) * (x + delta), p);
  const x3 = mod(alpha * alpha - 8n * beta, p);
  const z3 = mod((y + z) * (y + z) - gamma - delta, p);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * gamma * gamma, p);
  return [x3, y3, z3];
}

function add(a: Jacobian, b: Jacobian): Jacobian {
  if (a[2] === 0n) return b;
  if (b[2] === 0n) return a;
  const p = SM2_P;
  const [x1, y1, z1] = a;
  const [x2, y2, z2] = b;
  const z1z1 = (z1 * z1) % p;
  const z2z2 = (z2 * z2) % p;
  const u1 = (x1 * z2z2) % p;
  const u2 = (x2 * z1z1) % p;
  const s1 = (((y1 * z2) % p) * z2z2) % p;
  const s2 = (((y2 * z1) % p) * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(a) : INF;
  const h = mod(u2 - u1, p);
  const i = (4n * h * h) % p;
  const j = (h * i) % p;
  const r = mod(2n * (s2 - s1), p);
  const v = (u1 * i) % p;
  const x3 = mod(r * r - j - 2n * v, p);
  const y3 = mod(r * (v - x3) - 2n * s1 * j, p);
  const z3 = mod(((z1 + z2) * (z1 + z2) - z1z1 - z2z2) * h, p);
  return [x3, y3, z3];
}

function multiply(k: bigint, pt: Jacobian): Jacobian {
  let r = INF;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    r = double(r);
    if ((k >> i) & 1n) r = add(r, pt);
  }
  return r;
}

function affine(pt: Jacobian): { x: bigint; y: bigint } | null {
  if (pt[2] === 0n) return null;
  const zi = inv(pt[2], SM2_P);
  const zi2 = (zi * zi) % SM2_P;
  return { x: (pt[0] * zi2) % SM2_P, y: (((pt[1] * zi2) % SM2_P) * zi) % SM2_P };
}

const G: Jacobian = [GX, GY, 1n];

const hex32 = (n: bigint) => n.toString(16).padStart(64, '0');
const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);

/** The uncompressed public key 04‖x‖y (hex, 130 digits) of private key d. */
export function sm2PublicKeyOf(d: bigint): string {
  if (d <= 0n || d >= SM2_N - 1n) throw new Error('SM2 private key out of range');
  const q = affine(multiply(d, G));
  if (!q) throw new Error('SM2 private key out of range');
  return `04${hex32(q.x)}${hex32(q.y)}`;
}

function parsePublicKey(hex: string): { x: bigint; y: bigint } {
  if (!/^04[0-9a-fA-F]{128}$/.test(hex)) throw new Error('SM2 public key must be 04‖x‖y (130 hex digits)');
  const x = BigInt(`0x${hex.slice(2, 66)}`);
  const y = BigInt(`0x${hex.slice(66)}`);
  if (x >= SM2_P || y >= SM2_P || mod(y * y - (x * x * x + SM2_A * x + SM2_B), SM2_P) !== 0n)
    throw new Error('SM2 public key is not a point of the curve');
  return { x, y };
}

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) of GM/T 0003.2 §5.5. */
export function sm2Z(publicKeyHex: string, userId = SM2_DEFAULT_USER_ID): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const parts = [SM2_A, SM2_B, GX, GY].map(hex32).join('') + publicKeyHex.slice(2).toLowerCase();
  return sm3Bytes(Buffer.concat([entl, id, Buffer.from(parts, 'hex')]));
}

function digest(message: Uint8Array, publicKeyHex: string, userId: string): bigint {
  return toBig(sm3Bytes(Buffer.concat([sm2Z(publicKeyHex, userId), message])));
}

/** DER SEQUENCE { INTEGER r, INTEGER s } (GM/T 0009 §7.3). */
function derInteger(n: bigint): Buffer {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
  const b = Buffer.from(h, 'hex');
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

export function encodeSignatureDer(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** Strict DER: exactly one SEQUENCE of two minimal positive INTEGERs, nothing after. */
export function decodeSignatureDer(der: Uint8Array): { r: bigint; s: bigint } {
  const b = Buffer.from(der);
  const fail = (why: string): never => {
    throw new Error(`signature is not DER-encoded (r, s): ${why}`);
  };
  if (b.length < 8 || b[0] !== 0x30 || b[1] !== b.length - 2) fail('bad SEQUENCE header');
  let at = 2;
  const int = (): bigint => {
    if (b[at] !== 0x02) fail('INTEGER expected');
    const len = b[at + 1] ?? 0;
    const v = b.subarray(at + 2, at + 2 + len);
    if (len === 0 || len > 33 || v.length !== len) fail('bad INTEGER length');
    if ((v[0] ?? 0) & 0x80) fail('negative INTEGER');
    if (len > 1 && v[0] === 0 && !((v[1] ?? 0) & 0x80)) fail('INTEGER not minimal');
    at += 2 + len;
    return toBig(v);
  };
  const r = int();
  const s = int();
  if (at !== b.length) fail('trailing bytes');
  return { r, s };
}

function randomScalar(): bigint {
  for (;;) {
    const k = toBig(randomBytes(32));
    if (k >= 1n && k < SM2_N) return k;
  }
}

/** SM2 signature of `message` (GM/T 0003.2 §6.1), DER-encoded. */
export function sm2Sign(
  message: Uint8Array,
  privateKey: bigint,
  opts: { publicKeyHex?: string; userId?: string } = {},
): Buffer {
  const d = privateKey;
  const pub = opts.publicKeyHex ?? sm2PublicKeyOf(d);
  const e = digest(message, pub, opts.userId ?? SM2_DEFAULT_USER_ID);
  const dInv = inv(1n + d, SM2_N);
  for (;;) {
    const k = randomScalar();
    const p1 = affine(multiply(k, G));
    if (!p1) continue;
    const r = mod(e + p1.x, SM2_N);
    if (r === 0n || r + k === SM2_N) continue;
    const s = mod(dInv * (k - r * d), SM2_N);
    if (s === 0n) continue;
    return encodeSignatureDer(r, s);
  }
}

/** Verifies an SM2 DER signature (GM/T 0003.2 §7.1); false on any mismatch or malformed input. */
export function sm2Verify(
  message: Uint8Array,
  signatureDer: Uint8Array,
  publicKeyHex: string,
  userId = SM2_DEFAULT_USER_ID,
): boolean {
  let pub: { x: bigint; y: bigint };
  let sig: { r: bigint; s: bigint };
  try {
    pub = parsePublicKey(publicKeyHex);
    sig = decodeSignatureDer(signatureDer);
  } catch {
    return false;
  }
  const { r, s } = sig;
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  const t = mod(r + s, SM2_N);
  if (t === 0n) return false;
  const e = digest(message, publicKeyHex.toLowerCase(), userId);
  const p = affine(add(multiply(s, G), multiply(t, [pub.x, pub.y, 1n])));
  if (!p) return false;
  return mod(e + p.x, SM2_N) === r;
}
