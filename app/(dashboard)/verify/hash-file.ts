import { bytesToHex, keccak256 } from 'viem';

export interface FileHashes {
  name: string;
  size: number;
  keccak256: `0x${string}`;
  sha256: `0x${string}`;
}

/**
 * Both digests a record may have been anchored with: keccak-256 (what Solidity and viem use) and
 * SHA-256 (what most document systems compute), in the browser: the file never leaves it.
 */
export async function hashFile(file: File): Promise<FileHashes> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { name: file.name, size: file.size, keccak256: keccak256(bytes), sha256: bytesToHex(sha) };
}
