/**
 * The signed manifest of an export or an evidence package (docs/evidence.md). JSON Lines, UTF-8:
 *
 *   line 1        the header: what was exported, by whom, when, with which filter
 *   lines 2…n+1   one evidence line per export row (or per event of a package), in order
 *   last line     {"seal": {files, evidence: {lines, sm3}, signer}, "signature": hex DER}
 *
 * Lines, not one JSON document, so that a million rows are written and verified as they stream:
 * the seal carries the SM3 of the evidence lines' exact bytes, and the SM2 signature covers
 * canonicalJson({header, seal}) — the header re-serialised canonically, the evidence by its hash.
 */

export const EXPORT_MANIFEST = 'lianjian.export-manifest/1';
export const PACKAGE_MANIFEST = 'lianjian.evidence-package/1';
export const ARCHIVE_MANIFEST = 'lianjian.archive-manifest/1';
export const SIGNATURE_ALGORITHM = 'SM2-with-SM3';

export interface ManifestActor {
  id: string | null;
  label: string;
}

/** The chain event one row (or one package entry) rests on, as the indexer stored it. */
export interface EvidenceEvent {
  chainId: number;
  /** the emitting contract, lower-case; null when the event row is missing from the index */
  address: string | null;
  blockNumber: number;
  /** the hash the indexer stored for that block: it must still be the chain's block at that height */
  blockHash: string | null;
  txHash: string;
  logIndex: number;
  eventName: string | null;
  /** keccak-256 of the event signature: the log's first topic */
  topic0: string | null;
  /** decoded fields: uint256 as decimal strings, smaller integers as numbers, hex lower-case */
  args: Record<string, string | number> | null;
}

export interface EvidenceLine {
  /** 1-based data row of the export (or entry number in a package) */
  row: number;
  /** incident id the row belongs to */
  incident?: number;
  /**
   * SM3 of JSON.stringify(the row's cells as strings, null as ""), in column order: names the row
   * that changed when the file's hash no longer matches. Exports only.
   */
  rowSm3?: string;
  event: EvidenceEvent | null;
}

export interface ExportManifestHeader {
  manifest: typeof EXPORT_MANIFEST;
  format: string;
  columns: readonly string[];
  filters: Record<string, unknown>;
  scope: { regionCode: number | null };
  exportedBy: ManifestActor;
  exportedAt: string;
}

export interface PackageManifestHeader {
  manifest: typeof PACKAGE_MANIFEST;
  incidentId: number;
  chainId: number;
  exportedBy: ManifestActor;
  exportedAt: string;
}

/** Archived months (server/archive): one line per file in `contents`, no evidence lines. */
export interface ArchiveManifestHeader {
  manifest: typeof ARCHIVE_MANIFEST;
  before: string;
  months: string[];
  /** Per file: its table, month and partition, so a restore knows where the rows go. */
  contents: { file: string; table: string; month: string; partition: string }[];
  /** COPY's CSV with a header line, gzip-compressed. */
  format: 'csv-header';
  exportedBy: ManifestActor;
  exportedAt: string;
}

export type ManifestHeader = ExportManifestHeader | PackageManifestHeader | ArchiveManifestHeader;

export interface FileDigest {
  name: string;
  bytes: number;
  sm3: string;
  sha256: string;
  /** data rows of an export file */
  rows?: number;
}

export interface ManifestSigner {
  algorithm: typeof SIGNATURE_ALGORITHM;
  userId: string;
  /** 04‖x‖y, hex */
  publicKey: string;
  /** SM3 of the public key bytes */
  fingerprint: string;
}

export interface ManifestSeal {
  files: FileDigest[];
  evidence: { lines: number; sm3: string };
  signer: ManifestSigner;
}

export interface ManifestSealLine {
  seal: ManifestSeal;
  /** SM2 signature, DER (r, s), hex */
  signature: string;
  /**
   * SM3 of the signed message. Not signed and not trusted: it only lets a verifier say whether
   * the header or seal changed or the signature itself did.
   */
  digest: string;
}
