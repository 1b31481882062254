import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { PublicClient } from 'viem';
import type { ExportManifest, ManifestEvidence } from './manifest';
import { citedEvents } from './read-export';

export interface VerifyFailure {
  row?: number;
  txHash: string | null;
  blockNumber: number | null;
  logIndex: number | null;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  fileHashOk: boolean;
  checked: number;
  failed: VerifyFailure[];
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Runs `fn` over `items` with at most `limit` in flight (the RPC node is shared). */
async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * Verifies an export against its manifest and the chain: the file's sha256; that every data row
 * cites exactly the event the manifest lists for it (the hash covers the file, this ties the
 * evidence list to it); and that every evidence event is still on the chain — the block at that
 * height has the stored hash, and the transaction's receipt, in that block, has a log at that index.
 */
export async function verifyExport(p: {
  file: string;
  manifest: ExportManifest;
  client: PublicClient;
  concurrency?: number;
}): Promise<VerifyResult> {
  const { manifest, client } = p;
  const failed: VerifyFailure[] = [];
  const fileHashOk = (await sha256File(p.file)) === manifest.sha256;
  if (!fileHashOk)
    failed.push({
      txHash: null,
      blockNumber: null,
      logIndex: null,
      reason: 'file sha256 differs from the manifest',
    });

  const byRow = new Map<number, ManifestEvidence>(manifest.evidence.map((e) => [e.row, e]));
  let rows = 0;
  for await (const c of citedEvents(p.file, manifest.format)) {
    rows++;
    const e = byRow.get(c.row);
    const same = e
      ? e.txHash === c.txHash && e.blockNumber === c.blockNumber && e.logIndex === c.logIndex
      : c.txHash === null && c.blockNumber === null && c.logIndex === null;
    if (!same) failed.push({ ...c, reason: 'row cites another event than the manifest lists' });
  }
  if (rows !== manifest.rowCount) {
    failed.push({
      txHash: null,
      blockNumber: null,
      logIndex: null,
      reason: `file has ${rows} rows, manifest says ${manifest.rowCount}`,
    });
  }

  const chainId = await client.getChainId();
  const blockHashes = new Map<number, string | null>();
  const receipts = new Map<string, { blockNumber: number; blockHash: string; logs: Set<number> } | null>();
  const blocks = [...new Set(manifest.evidence.map((e) => e.blockNumber))];
  const txs = [...new Set(manifest.evidence.map((e) => e.txHash))];
  const limit = p.concurrency ?? 8;
  await pool(blocks, limit, async (n) => {
    const b = await client.getBlock({ blockNumber: BigInt(n) }).catch(() => null);
    blockHashes.set(n, b?.hash ?? null);
  });
  await pool(txs, limit, async (h) => {
    const r = await client.getTransactionReceipt({ hash: h as `0x${string}` }).catch(() => null);
    receipts.set(
      h,
      r
        ? {
            blockNumber: Number(r.blockNumber),
            blockHash: r.blockHash,
            logs: new Set(r.logs.map((l) => l.logIndex)),
          }
        : null,
    );
  });

  for (const e of manifest.evidence) {
    const fail = (reason: string) =>
      failed.push({ row: e.row, txHash: e.txHash, blockNumber: e.blockNumber, logIndex: e.logIndex, reason });
    if (e.chainId !== chainId) {
      fail(`evidence is of chain ${e.chainId}, the node is chain ${chainId}`);
      continue;
    }
    const onChain = blockHashes.get(e.blockNumber);
    if (!onChain) fail('no block at that height');
    else if (!e.blockHash) fail('manifest records no block hash');
    else if (onChain !== e.blockHash) fail('block hash differs (reorganised away)');
    const r = receipts.get(e.txHash);
    if (!r) fail('transaction not found');
    else if (r.blockNumber !== e.blockNumber || r.blockHash !== onChain)
      fail('transaction is in another block');
    else if (!r.logs.has(e.logIndex)) fail('no log at that index in the transaction');
  }
  return { ok: failed.length === 0, fileHashOk, checked: manifest.evidence.length, failed };
}
