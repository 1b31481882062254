import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { PublicClient } from 'viem';
import { checkEventsOnChain, type CheckItem } from '../evidence/chain-check';
import { checkSeal, emptyManifestState, readManifest } from '../evidence/manifest-reader';
import type { Problem } from '../evidence/problems';
import { EXPORT_MANIFEST, type EvidenceLine } from '../evidence/types';
import { EXPORT_COLUMNS, EXPORT_FORMATS, type ExportFormat } from './columns';
import { citedBy, exportFileRows, type FileRow } from './read-export';
import { rowSm3 } from './write-export';

export interface VerifyReport {
  ok: boolean;
  signatureOk: boolean;
  /** the key that signed, as the manifest names it; compare with the published fingerprint */
  signer: { fingerprint: string; publicKey: string } | null;
  fileHashOk: boolean;
  rows: number;
  /** evidence events re-read from the node */
  checked: number;
  problems: Problem[];
}

export async function fileDigests(path: string): Promise<{ sm3: string; sha256: string; bytes: number }> {
  const sha = createHash('sha256');
  const sm3 = createHash('sm3');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    sha.update(chunk as Buffer);
    sm3.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sm3: sm3.digest('hex'), sha256: sha.digest('hex'), bytes };
}

/** Events are re-read from the node in batches, so a million rows never sit in memory. */
const CHAIN_BATCH = 2_000;

const TX = EXPORT_COLUMNS.indexOf('tx_hash');

/**
 * Verifies an export file against its signed manifest and the chain (docs/evidence.md):
 *  - the manifest: SM2 signature over header and seal; evidence lines as sealed (SM3);
 *  - the file: SM3 and SHA-256 as sealed; when they differ, the row whose content changed (row SM3);
 *  - each row cites the event its evidence line states (tx hash, block, log index);
 *  - each event on the node: block hash, transaction, contract, topic0 and every stated field.
 * File rows and evidence lines are read in lockstep, streaming.
 */
export async function verifyExport(p: {
  file: string;
  manifestLines: AsyncIterable<string>;
  /** null: skip the chain (offline check of signature and hashes only) */
  client: PublicClient | null;
  concurrency?: number;
}): Promise<VerifyReport> {
  const state = emptyManifestState();
  const evidence = readManifest(p.manifestLines, state);
  const problems: Problem[] = [];
  const digests = await fileDigests(p.file);

  // The header is line 1: read it before choosing how to parse the file.
  let first = await evidence.next();
  const format = state.header?.format as ExportFormat | undefined;
  if (state.header && state.header.manifest !== EXPORT_MANIFEST)
    problems.push({ check: 'manifest', reason: `not an export manifest (${String(state.header.manifest)})` });
  const sealed = () => state.seal?.files?.[0];

  const nodeChainId = p.client ? await p.client.getChainId() : 0;
  let batch: CheckItem[] = [];
  let checked = 0;
  const flush = async () => {
    if (p.client && batch.length > 0) {
      problems.push(
        ...(await checkEventsOnChain({
          client: p.client,
          items: batch,
          nodeChainId,
          concurrency: p.concurrency,
        })),
      );
      checked += batch.length;
    }
    batch = [];
  };

  const rowChecks: Problem[] = [];
  let rows = 0;
  const fileRows: AsyncGenerator<FileRow> | null =
    format && (EXPORT_FORMATS as readonly string[]).includes(format) ? exportFileRows(p.file, format) : null;
  if (!fileRows)
    problems.push({ check: 'manifest', reason: `the manifest names no known format (${String(format)})` });
  // An object, not two lets: TypeScript does not see the closure below assign them.
  const fileState: { done: boolean; error: string | null } = { done: !fileRows, error: null };
  const nextFileRow = async (): Promise<FileRow | null> => {
    if (fileState.done || !fileRows) return null;
    try {
      const r = await fileRows.next();
      if (r.done) fileState.done = true;
      return r.done ? null : r.value;
    } catch (e) {
      fileState.done = true;
      fileState.error = (e as Error).message;
      return null;
    }
  };

  for (;;) {
    const line: EvidenceLine | null = first.done ? null : first.value;
    const fr = await nextFileRow();
    if (!line && !fr) break;
    if (fr) rows++;
    if (line && fr) rowChecks.push(...compareRow(fr, line));
    if (line?.event) {
      batch.push({ row: line.row, event: line.event });
      if (batch.length >= CHAIN_BATCH) await flush();
    }
    first = await evidence.next();
  }
  await flush();

  const { signatureOk, signer } = checkSeal(state);
  const file = sealed();
  let fileHashOk = false;
  if (!file) problems.push({ check: 'manifest', reason: 'the seal names no file' });
  else {
    const sm3Ok = file.sm3 === digests.sm3;
    const shaOk = file.sha256 === digests.sha256;
    fileHashOk = sm3Ok && shaOk;
    if (!fileHashOk)
      problems.push({
        check: 'file',
        file: file.name,
        reason: `the file's ${[!sm3Ok && 'SM3', !shaOk && 'SHA-256'].filter(Boolean).join(' and ')} differ${sm3Ok || shaOk ? 's' : ''} from the manifest (${digests.bytes} bytes, manifest says ${file.bytes})`,
      });
    if (typeof file.rows === 'number' && file.rows !== rows)
      problems.push({
        check: 'file',
        file: file.name,
        reason: `the file has ${rows} rows, the manifest says ${file.rows}`,
      });
  }
  if (fileState.error)
    problems.push({ check: 'file', file: file?.name, reason: `the file cannot be read: ${fileState.error}` });
  // Row hashes only locate a change: with the file's hashes intact the file is what was signed.
  const located = fileHashOk ? rowChecks.filter((r) => !r.reason.includes('row SM3')) : rowChecks;
  const all = [...state.problems, ...problems, ...located].sort(
    (a, b) => order(a) - order(b) || (a.row ?? 0) - (b.row ?? 0),
  );
  return {
    ok: all.length === 0,
    signatureOk,
    signer: signer ? { fingerprint: signer.fingerprint, publicKey: signer.publicKey } : null,
    fileHashOk,
    rows,
    checked,
    problems: all,
  };
}

const ORDER: Record<Problem['check'], number> = { signature: 0, manifest: 1, file: 2, row: 3, chain: 4 };
const order = (p: Problem) => ORDER[p.check];

function compareRow(fr: FileRow, line: EvidenceLine): Problem[] {
  const out: Problem[] = [];
  const c = citedBy(fr);
  const at = {
    check: 'row' as const,
    row: fr.row,
    txHash: c.txHash,
    blockNumber: c.blockNumber,
    logIndex: c.logIndex,
  };
  if (line.row !== fr.row)
    out.push({ ...at, reason: `evidence line for row ${line.row} stands at row ${fr.row}` });
  if (line.rowSm3 && rowSm3(fr.cells) !== line.rowSm3) {
    out.push({
      ...at,
      reason: `row ${fr.row} differs from the row that was signed (row SM3): ${describeRow(fr)}`,
    });
  }
  const e = line.event;
  const same = e
    ? e.txHash === c.txHash && e.blockNumber === c.blockNumber && e.logIndex === c.logIndex
    : c.txHash === null && c.blockNumber === null && c.logIndex === null;
  if (!same)
    out.push({
      ...at,
      reason: e
        ? `row ${fr.row} cites ${c.txHash ?? '—'} block ${c.blockNumber ?? '—'} log ${c.logIndex ?? '—'}, the manifest's evidence is ${e.txHash} block ${e.blockNumber} log ${e.logIndex}`
        : `row ${fr.row} cites an event, the manifest lists none for it`,
    });
  return out;
}

function describeRow(fr: FileRow): string {
  return `incident ${fr.cells[0] ?? '?'}, tx ${fr.cells[TX] || '—'}`;
}
