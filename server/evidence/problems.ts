/** One thing verification found wrong, named as precisely as it can be. */
export interface Problem {
  /** which check: the signature, the manifest's own integrity, a file's hash, a row, the chain */
  check: 'signature' | 'manifest' | 'file' | 'row' | 'chain';
  /** the file concerned (exports and package entries) */
  file?: string;
  /** 1-based row of the export, or entry number of the package's evidence */
  row?: number;
  txHash?: string | null;
  blockNumber?: number | null;
  logIndex?: number | null;
  reason: string;
}
