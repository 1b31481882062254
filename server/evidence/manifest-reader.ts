import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { canonicalJson } from '../signing/canonical';
import { keyFingerprint } from '../signing/keys';
import { sm2Verify } from '../signing/sm2';
import { createSm3, sm3Hex } from '../signing/sm3';
import type { Problem } from './problems';
import type { EvidenceLine, ManifestSeal, ManifestSealLine } from './types';

/** What reading a manifest established; filled while its evidence lines are consumed. */
export interface ManifestState {
  header: Record<string, unknown> | null;
  seal: ManifestSeal | null;
  signature: string | null;
  /** unsigned hint in the seal line: SM3 of the signed message, to tell "changed" from "re-signed" */
  digest: string | null;
  lines: number;
  evidenceSm3: string;
  problems: Problem[];
}

/**
 * Lines of a manifest file. A generator, so the reader opens only when iteration starts: a
 * readline interface created early emits lines nobody listens to yet, and they are lost.
 */
export async function* manifestLinesOfFile(path: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

export async function* manifestLinesOf(bytes: Uint8Array): AsyncGenerator<string> {
  yield* createInterface({ input: Readable.from([Buffer.from(bytes)]), crlfDelay: Infinity });
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Streams a manifest: yields its evidence lines in order and, when exhausted, leaves header, seal
 * and the SM3 of the evidence lines (as read) in `state`. One line of look-ahead tells the seal
 * (the last line) from evidence; memory holds one line.
 */
export async function* readManifest(
  lines: AsyncIterable<string>,
  state: ManifestState,
): AsyncGenerator<EvidenceLine> {
  const hash = createSm3();
  let held: string | null = null;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (n === 1) {
      state.header = parse(line);
      if (!state.header || typeof state.header.manifest !== 'string')
        state.problems.push({ check: 'manifest', reason: 'line 1 is not a manifest header' });
      continue;
    }
    if (held !== null) {
      hash.update(`${held}\n`, 'utf8');
      state.lines++;
      const ev = parse(held);
      if (!ev || typeof ev.row !== 'number')
        state.problems.push({ check: 'manifest', reason: `line ${n - 1} is not an evidence line` });
      else yield ev as unknown as EvidenceLine;
    }
    held = line;
  }
  state.evidenceSm3 = hash.digest('hex');
  const last = held === null ? null : parse(held);
  if (!last || typeof last.seal !== 'object' || typeof last.signature !== 'string') {
    state.problems.push({ check: 'manifest', reason: 'the manifest has no seal line (cut short?)' });
    return;
  }
  const sealLine = last as unknown as Partial<ManifestSealLine>;
  state.seal = sealLine.seal ?? null;
  state.signature = sealLine.signature ?? null;
  state.digest = typeof sealLine.digest === 'string' ? sealLine.digest : null;
}

export function emptyManifestState(): ManifestState {
  return { header: null, seal: null, signature: null, digest: null, lines: 0, evidenceSm3: '', problems: [] };
}

/**
 * After readManifest is exhausted: the SM2 signature over canonicalJson({header, seal}), and that
 * the evidence lines are those the seal counted and hashed. Each failure gets its own message.
 */
export function checkSeal(state: ManifestState): {
  signatureOk: boolean;
  signer: ManifestSeal['signer'] | null;
} {
  const { header, seal, signature } = state;
  if (!header || !seal || !signature) return { signatureOk: false, signer: null };
  const signer = seal.signer;
  let signatureOk = false;
  if (!signer || typeof signer.publicKey !== 'string') {
    state.problems.push({ check: 'signature', reason: 'the seal names no signer public key' });
  } else {
    if (keyFingerprint(signer.publicKey) !== signer.fingerprint)
      state.problems.push({
        check: 'signature',
        reason: 'the signer fingerprint is not that of its public key',
      });
    let message: Buffer;
    try {
      message = Buffer.from(canonicalJson({ header, seal }), 'utf8');
    } catch (e) {
      state.problems.push({
        check: 'manifest',
        reason: `manifest cannot be serialised: ${(e as Error).message}`,
      });
      return { signatureOk: false, signer };
    }
    signatureOk =
      /^[0-9a-f]+$/i.test(signature) && sm2Verify(message, Buffer.from(signature, 'hex'), signer.publicKey);
    if (!signatureOk) {
      const changed = state.digest !== null && state.digest !== sm3Hex(message);
      state.problems.push({
        check: 'signature',
        reason: changed
          ? 'SM2 signature does not verify: the manifest header or seal was changed after signing'
          : 'SM2 signature does not verify: the signature was altered or made with another key',
      });
    }
  }
  if (seal.evidence?.lines !== state.lines)
    state.problems.push({
      check: 'manifest',
      reason: `manifest has ${state.lines} evidence lines, the seal counts ${seal.evidence?.lines}`,
    });
  else if (seal.evidence.sm3 !== state.evidenceSm3)
    state.problems.push({
      check: 'manifest',
      reason:
        'manifest evidence lines were changed after signing (SM3 of the evidence differs from the seal)',
    });
  return { signatureOk, signer };
}
