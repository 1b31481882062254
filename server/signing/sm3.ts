import { createHash, type Hash } from 'node:crypto';

/** GM/T 0004 SM3 through Node's OpenSSL (the same digest sm-crypto computes; tested). */
export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}

export function sm3Bytes(data: string | Uint8Array): Buffer {
  return createHash('sm3').update(data).digest();
}

/** An incremental SM3, for files streamed through. */
export function createSm3(): Hash {
  return createHash('sm3');
}
