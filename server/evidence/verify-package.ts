import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { PublicClient } from 'viem';
import { sm3Hex } from '../signing/sm3';
import { verifyExport, type VerifyReport } from '../exports/verify';
import { checkEventsOnChain, type CheckItem } from './chain-check';
import { checkSeal, emptyManifestState, manifestLinesOf, readManifest } from './manifest-reader';
import type { Problem } from './problems';
import { EXPORT_MANIFEST, PACKAGE_MANIFEST } from './types';

export const MANIFEST_NAME = 'manifest.jsonl';

export interface EvidenceReport extends VerifyReport {
  kind: 'package' | 'export' | 'manifest' | 'unknown';
  incidentId: number | null;
  files: { name: string; ok: boolean }[];
}

/** ZIP entries the verifier will inflate at most (a package is a few MB; this stops a zip bomb). */
const MAX_INFLATED = 512 * 1024 * 1024;

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  return unzipSync(bytes, {
    filter: (f) => {
      total += f.originalSize;
      if (total > MAX_INFLATED) throw new Error('the ZIP inflates to more than 512 MB');
      return !f.name.endsWith('/');
    },
  });
}

/**
 * Verifies an incident evidence package (ZIP): the manifest's signature and evidence hash, every
 * file it seals (present, SM3, SHA-256), no file it does not seal, and every event re-read from
 * the node. A ZIP holding an export and its manifest (the browser's signed export) is verified as
 * an export (rows and all).
 */
export async function verifyEvidenceZip(p: {
  zip: Uint8Array;
  client: PublicClient | null;
}): Promise<EvidenceReport> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzip(p.zip);
  } catch (e) {
    return failed('unknown', `not a readable ZIP: ${(e as Error).message}`);
  }
  const manifest = entries[MANIFEST_NAME];
  if (!manifest) return failed('unknown', `the ZIP holds no ${MANIFEST_NAME}`);
  const headerLine = Buffer.from(manifest.subarray(0, Math.min(manifest.length, 64 * 1024)))
    .toString('utf8')
    .split('\n')[0];
  let kind: unknown = null;
  try {
    kind = (JSON.parse(headerLine ?? '') as { manifest?: unknown }).manifest;
  } catch {
    // reported by the manifest reader below
  }
  if (kind === EXPORT_MANIFEST) return verifyExportInZip(entries, manifest, p.client);
  return verifyPackage(entries, manifest, p.client);
}

function failed(kind: EvidenceReport['kind'], reason: string): EvidenceReport {
  return {
    kind,
    incidentId: null,
    ok: false,
    signatureOk: false,
    signer: null,
    fileHashOk: false,
    rows: 0,
    checked: 0,
    files: [],
    problems: [{ check: 'manifest', reason }],
  };
}

async function verifyPackage(
  entries: Record<string, Uint8Array>,
  manifest: Uint8Array,
  client: PublicClient | null,
): Promise<EvidenceReport> {
  const state = emptyManifestState();
  const items: CheckItem[] = [];
  for await (const line of readManifest(manifestLinesOf(manifest), state))
    if (line.event) items.push({ row: line.row, event: line.event });
  const { signatureOk, signer } = checkSeal(state);
  const problems: Problem[] = [...state.problems];
  if (state.header && state.header.manifest !== PACKAGE_MANIFEST)
    problems.push({
      check: 'manifest',
      reason: `not an evidence package manifest (${String(state.header.manifest)})`,
    });
  const files: EvidenceReport['files'] = [];
  const sealed = new Set<string>();
  for (const f of state.seal?.files ?? []) {
    sealed.add(f.name);
    const bytes = entries[f.name];
    if (!bytes) {
      problems.push({ check: 'file', file: f.name, reason: `file ${f.name} is missing` });
      files.push({ name: f.name, ok: false });
      continue;
    }
    const sm3Ok = sm3Hex(bytes) === f.sm3;
    const shaOk = createHash('sha256').update(bytes).digest('hex') === f.sha256;
    files.push({ name: f.name, ok: sm3Ok && shaOk });
    if (!sm3Ok || !shaOk)
      problems.push({
        check: 'file',
        file: f.name,
        reason: `file ${f.name}: ${[!sm3Ok && 'SM3', !shaOk && 'SHA-256'].filter(Boolean).join(' and ')} differ${sm3Ok || shaOk ? 's' : ''} from the manifest (${bytes.length} bytes, manifest says ${f.bytes})`,
      });
  }
  for (const name of Object.keys(entries))
    if (name !== MANIFEST_NAME && !sealed.has(name))
      problems.push({ check: 'file', file: name, reason: `file ${name} is not covered by the manifest` });
  let checked = 0;
  if (client && items.length > 0) {
    const nodeChainId = await client.getChainId();
    problems.push(...(await checkEventsOnChain({ client, items, nodeChainId })));
    checked = items.length;
  }
  const incidentId = typeof state.header?.incidentId === 'number' ? state.header.incidentId : null;
  return {
    kind: 'package',
    incidentId,
    ok: problems.length === 0,
    signatureOk,
    signer: signer ? { fingerprint: signer.fingerprint, publicKey: signer.publicKey } : null,
    fileHashOk: files.length > 0 && files.every((f) => f.ok),
    rows: items.length,
    checked,
    files,
    problems,
  };
}

/** The browser's signed export ZIP: the export file is written out so verifyExport can stream it. */
async function verifyExportInZip(
  entries: Record<string, Uint8Array>,
  manifest: Uint8Array,
  client: PublicClient | null,
): Promise<EvidenceReport> {
  const names = Object.keys(entries).filter((n) => n !== MANIFEST_NAME && n !== 'verify.mjs');
  if (names.length !== 1)
    return failed('export', `expected one export file beside the manifest, found ${names.length}`);
  const name = names[0] as string;
  const dir = mkdtempSync(join(tmpdir(), 'lianjian-verify-'));
  try {
    const file = join(dir, 'export');
    writeFileSync(file, entries[name] as Uint8Array);
    const r = await verifyExport({ file, manifestLines: manifestLinesOf(manifest), client });
    return { ...r, kind: 'export', incidentId: null, files: [{ name, ok: r.fileHashOk }] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A manifest on its own (no file): signature, evidence hash and the chain; file hashes cannot be checked. */
export async function verifyManifestOnly(p: {
  manifest: Uint8Array;
  client: PublicClient | null;
}): Promise<EvidenceReport> {
  const state = emptyManifestState();
  const items: CheckItem[] = [];
  for await (const line of readManifest(manifestLinesOf(p.manifest), state))
    if (line.event) items.push({ row: line.row, event: line.event });
  const { signatureOk, signer } = checkSeal(state);
  const problems: Problem[] = [...state.problems];
  let checked = 0;
  if (p.client && items.length > 0) {
    problems.push(
      ...(await checkEventsOnChain({ client: p.client, items, nodeChainId: await p.client.getChainId() })),
    );
    checked = items.length;
  }
  return {
    kind: 'manifest',
    incidentId: typeof state.header?.incidentId === 'number' ? state.header.incidentId : null,
    ok: problems.length === 0,
    signatureOk,
    signer: signer ? { fingerprint: signer.fingerprint, publicKey: signer.publicKey } : null,
    fileHashOk: false,
    rows: items.length,
    checked,
    files: (state.seal?.files ?? []).map((f) => ({ name: f.name, ok: false })),
    problems,
  };
}
