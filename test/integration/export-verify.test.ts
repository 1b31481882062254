import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Hash } from 'viem';
import type { AnvilProcess } from '../../chain/anvil';
import { serviceLedgerAbi } from '../../chain/compiled';
import { deployContracts } from '../../chain/deploy';
import { connectChain } from '../../chain/wallet';
import { blocks, events, signingKeys } from '../../db/schema';
import { createWriteStream } from 'node:fs';
import { createPublicClient, http } from 'viem';
import { manifestLinesOfFile } from '../../server/evidence/manifest-reader';
import type { Problem } from '../../server/evidence/problems';
import { exportFileDigest, exportManifestHeader, openManifestFile } from '../../server/exports/manifest';
import { verifyExport } from '../../server/exports/verify';
import { writeIncidentExport } from '../../server/exports/write-export';
import { generateSigningKeyPem, type SigningKey } from '../../server/signing/keys';
import { writeFindings } from '../../workers/incidents/write-findings';
import { startTestAnvil } from '../helpers/anvil';
import { createTestDb, type TestDb } from '../helpers/db';

const run = promisify(execFile);
let anvil: AnvilProcess;
let t: TestDb;
let dir: string;
let keyFile: string;
let fingerprint: string;
let key: SigningKey;

interface Report {
  ok: boolean;
  signatureOk: boolean;
  signer: { fingerprint: string } | null;
  fileHashOk: boolean;
  rows: number;
  checked: number;
  problems: Problem[];
}

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  return run('npx', ['tsx', 'cli/main.ts', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      CHAIN_RPC_URL: anvil.url,
      SIGNING_KEY_FILE: keyFile,
      ...extraEnv,
    },
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
  });
}

/** The CLI's verify-export, in process (each CLI run costs seconds on a loaded machine). */
async function verifyHere(file: string, manifest: string): Promise<{ out: Report }> {
  const client = createPublicClient({ transport: http(anvil.url) });
  return { out: await verifyExport({ file, manifestLines: manifestLinesOfFile(manifest), client }) };
}

async function verify(file: string, manifest: string): Promise<{ code: number; out: Report; err: string }> {
  try {
    const { stdout } = await cli(['verify-export', file, manifest]);
    return { code: 0, out: JSON.parse(stdout.toString()) as Report, err: '' };
  } catch (e) {
    const err = e as { code: number; stdout: Buffer; stderr: Buffer };
    if (!err.stdout) throw e;
    return { code: err.code, out: JSON.parse(err.stdout.toString()) as Report, err: err.stderr.toString() };
  }
}

/** Rewrites line `n` (1-based) of a manifest through `fn`, into a new file. */
function editLine(src: string, n: number, fn: (o: Record<string, unknown>) => void, name: string): string {
  const lines = readFileSync(src, 'utf8').split('\n');
  const o = JSON.parse(lines[n - 1]!) as Record<string, unknown>;
  fn(o);
  lines[n - 1] = JSON.stringify(o);
  const out = join(dir, name);
  writeFileSync(out, lines.join('\n'));
  return out;
}

const reasons = (r: Report) => r.problems.map((p) => `${p.check}${p.row ? `@${p.row}` : ''}: ${p.reason}`);

beforeAll(async () => {
  anvil = await startTestAnvil();
  t = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'lj-verify-'));
  keyFile = join(dir, 'signing.pem');
  const generated = generateSigningKeyPem();
  writeFileSync(keyFile, generated.pem);
  key = generated.key;
  fingerprint = key.fingerprint;
  const conn = await connectChain(anvil.url);
  const d = await deployContracts(conn);
  const address = d.contracts.ServiceLedger.address.toLowerCase() as `0x${string}`;
  const logs: { txHash: Hash; blockNumber: number; logIndex: number; blockHash: Hash; item: number }[] = [];
  for (const item of [1, 2]) {
    const hash = await conn.walletClient.writeContract({
      address: d.contracts.ServiceLedger.address,
      abi: serviceLedgerAbi,
      functionName: 'listItem',
      args: [440300, item, 2],
    });
    const r = await conn.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const log = r.logs[0]!;
    logs.push({
      txHash: hash,
      blockNumber: Number(r.blockNumber),
      logIndex: log.logIndex,
      blockHash: r.blockHash,
      item,
    });
  }
  await t.db.insert(blocks).values(
    logs.map((l) => ({
      chainId: 31337,
      number: l.blockNumber,
      hash: l.blockHash,
      parentHash: l.blockHash,
      timestamp: new Date(),
    })),
  );
  await t.db.insert(events).values(
    logs.map((l) => ({
      chainId: 31337,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      txHash: l.txHash,
      txIndex: 0,
      blockTime: new Date(),
      contract: 'ServiceLedger',
      address,
      eventName: 'ServiceItemListed',
      args: { regionCode: 440300, itemCode: l.item, onlineLevel: 2 },
    })),
  );
  await writeFindings(t.db, 31337, [
    {
      rule: 'UNREGISTERED_ACTOR',
      key: `${logs[0]!.blockNumber}-${logs[0]!.logIndex}`,
      severity: 'high',
      regionCode: 0,
      orgAddress: null,
      summary: '测试',
      occurredAt: 1_788_000_000,
      evidence: logs.map(({ txHash, blockNumber, logIndex }) => ({ txHash, blockNumber, logIndex })),
    },
  ]);
});
afterAll(async () => {
  await t?.drop();
  await anvil?.stop();
});

async function exportWithManifest(format: 'csv' | 'json' | 'xlsx', viaCli = false) {
  const file = join(dir, `out.${format}`);
  const manifest = join(dir, `${format}.manifest.jsonl`);
  if (viaCli) {
    const { stdout } = await cli(['export-incidents', '--format', format, '--manifest', manifest]);
    writeFileSync(file, stdout);
    return { file, manifest };
  }
  // What the CLI does, in process.
  const scope = { regionCode: null };
  const m = openManifestFile(manifest, {
    key,
    header: exportManifestHeader({ format, filters: {}, scope, exportedBy: { id: null, label: 'cli:test' } }),
  });
  const result = await writeIncidentExport({
    db: t.db,
    format,
    filters: {},
    scope,
    out: createWriteStream(file),
    onEvidence: (page) => m.append(page),
  });
  m.close(exportFileDigest(`incidents.${format}`, result));
  return { file, manifest };
}

describe('cli export-incidents --manifest + verify-export', () => {
  for (const format of ['csv', 'json', 'xlsx'] as const) {
    it(`${format}: the export verifies against its signed manifest and the chain`, async () => {
      // csv goes through the real commands end to end; the others through the same functions.
      const { file, manifest } = await exportWithManifest(format, format === 'csv');
      const lines = readFileSync(manifest, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(4); // header, two evidence lines, seal
      expect(JSON.parse(lines[0]!)).toMatchObject({
        manifest: 'lianjian.export-manifest/1',
        format,
        filters: {},
        scope: { regionCode: null },
        exportedBy: { id: null },
      });
      expect(JSON.parse(lines[1]!)).toMatchObject({
        row: 1,
        event: { eventName: 'ServiceItemListed', args: { regionCode: 440300, itemCode: 1, onlineLevel: 2 } },
      });
      const seal = JSON.parse(lines[3]!) as { seal: { signer: { fingerprint: string } }; signature: string };
      expect(seal.seal.signer.fingerprint).toBe(fingerprint);
      const res =
        format === 'csv' ? await verify(file, manifest) : { ...(await verifyHere(file, manifest)), code: 0 };
      expect(res.out.problems).toEqual([]);
      expect(res).toMatchObject({
        code: 0,
        out: { ok: true, signatureOk: true, fileHashOk: true, rows: 2, checked: 2, signer: { fingerprint } },
      });
    });
  }

  it('records the signing key, so a rotated key stays listed', async () => {
    const rows = await t.db.select().from(signingKeys);
    expect(rows.map((r) => r.fingerprint)).toEqual([fingerprint]);
  });

  it('one changed byte of the export: file hashes and the changed row are named', async () => {
    const { file, manifest } = await exportWithManifest('csv');
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    // row 2's region_code 0 → 1: one byte
    const rowStart = text.indexOf('\r\n', text.indexOf('\r\n') + 2) + 2;
    const at = bytes.indexOf(',0,', Buffer.byteLength(text.slice(0, rowStart)));
    bytes[at + 1] = '1'.charCodeAt(0);
    writeFileSync(file, bytes);
    const res = await verify(file, manifest);
    expect(res.code).toBe(1);
    expect(res.out).toMatchObject({ ok: false, signatureOk: true, fileHashOk: false });
    expect(reasons(res.out)).toEqual([
      expect.stringMatching(/^file: the file's SM3 and SHA-256 differ from the manifest/),
      expect.stringMatching(/^row@2: row 2 differs from the row that was signed \(row SM3\)/),
    ]);
    expect(res.err).toMatch(/verification failed: 2 problem\(s\)/);
  });

  it('one field of one row changed (its tx hash): the row and the event it should cite are named', async () => {
    const { file, manifest } = await exportWithManifest('csv');
    const lines = JSON.parse(readFileSync(manifest, 'utf8').split('\n')[1]!) as { event: { txHash: string } };
    const text = readFileSync(file, 'utf8');
    const forged = `0x${'12'.repeat(32)}`;
    writeFileSync(file, text.replace(lines.event.txHash, forged));
    const res = await verifyHere(file, manifest);
    expect(res.out.fileHashOk).toBe(false);
    const r = reasons(res.out);
    expect(r).toContain(
      `row@1: row 1 cites ${forged} block ${(lines.event as unknown as { blockNumber: number }).blockNumber} log 0, the manifest's evidence is ${lines.event.txHash} block ${(lines.event as unknown as { blockNumber: number }).blockNumber} log 0`,
    );
    expect(r.some((x) => x.startsWith('row@1: row 1 differs from the row that was signed'))).toBe(true);
    expect(r.filter((x) => x.startsWith('row@2'))).toEqual([]);
  });

  it('a changed manifest header: the signature fails, saying the manifest changed', async () => {
    const { file, manifest } = await exportWithManifest('csv');
    const forged = editLine(
      manifest,
      1,
      (o) => (o.filters = { rule: 'DUPLICATE_REIMBURSEMENT' }),
      'header.jsonl',
    );
    const res = await verifyHere(file, forged);
    expect(res.out).toMatchObject({ ok: false, signatureOk: false, fileHashOk: true });
    expect(reasons(res.out)).toEqual([
      'signature: SM2 signature does not verify: the manifest header or seal was changed after signing',
    ]);
  });

  it("a changed field of one row's evidence: the evidence hash and the chain both name it", async () => {
    const { file, manifest } = await exportWithManifest('csv');
    const forged = editLine(
      manifest,
      2,
      (o) => ((o.event as { args: Record<string, number> }).args.itemCode = 9),
      'evidence.jsonl',
    );
    const res = await verifyHere(file, forged);
    expect(res.out).toMatchObject({ ok: false, signatureOk: true, fileHashOk: true });
    expect(reasons(res.out)).toEqual([
      'manifest: manifest evidence lines were changed after signing (SM3 of the evidence differs from the seal)',
      'chain@1: field itemCode is 1 on chain, the manifest says 9',
    ]);
  });

  it('an altered signature: the signature fails, saying so', async () => {
    const { file, manifest } = await exportWithManifest('json');
    const forged = editLine(
      manifest,
      4,
      (o) => {
        const s = o.signature as string;
        o.signature = s.slice(0, 20) + (s[20] === 'a' ? 'b' : 'a') + s.slice(21);
      },
      'signature.jsonl',
    );
    const res = await verifyHere(file, forged);
    expect(res.out).toMatchObject({ ok: false, signatureOk: false, fileHashOk: true });
    expect(reasons(res.out)).toEqual([
      'signature: SM2 signature does not verify: the signature was altered or made with another key',
    ]);
  });

  it('an event that moved or is not what the row states: block hash, log index, contract, topic', async () => {
    const { file, manifest } = await exportWithManifest('csv');
    let forged = editLine(
      manifest,
      2,
      (o) => {
        const e = o.event as Record<string, unknown>;
        e.blockHash = `0x${'ab'.repeat(32)}`;
        e.address = `0x${'cd'.repeat(20)}`;
      },
      'chain1.jsonl',
    );
    forged = editLine(
      forged,
      3,
      (o) => {
        const e = o.event as Record<string, unknown>;
        e.topic0 = `0x${'ef'.repeat(32)}`;
      },
      'chain2.jsonl',
    );
    const res = await verifyHere(file, forged);
    const r = reasons(res.out).filter((x) => x.startsWith('chain'));
    expect(r).toEqual([
      expect.stringMatching(
        /^chain@1: block \d+ is 0x[0-9a-f]{64} on the node, the manifest says 0xabab.* \(reorganised away\)$/,
      ),
      `chain@1: the log was emitted by contract ${JSON.parse(readFileSync(manifest, 'utf8').split('\n')[1]!).event.address}, the manifest says 0x${'cd'.repeat(20)}`,
      expect.stringMatching(
        /^chain@2: the log's topic0 is 0x[0-9a-f]{64}, the manifest says 0xefef.* \(ServiceItemListed\)$/,
      ),
    ]);
  });

  it('without SIGNING_KEY_FILE, --manifest refuses with the way to make a key', async () => {
    const err = await cli(['export-incidents', '--format', 'csv', '--manifest', join(dir, 'x.jsonl')], {
      SIGNING_KEY_FILE: join(dir, 'missing.pem'),
    }).catch((e: { stderr: Buffer }) => e.stderr.toString());
    expect(err).toMatch(/--manifest: cannot read SIGNING_KEY_FILE/);
  });

  it('keys generate writes a key whose fingerprint it prints, and never overwrites one', async () => {
    const fresh = join(dir, 'fresh.pem');
    const out = JSON.parse((await cli(['keys', 'generate', '--out', fresh])).stdout.toString()) as {
      fingerprint: string;
      publicKey: string;
    };
    expect(out.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    const err = await cli(['keys', 'generate', '--out', keyFile]).catch((e: { stderr: Buffer }) =>
      e.stderr.toString(),
    );
    expect(err).toMatch(/exists; a key file is never overwritten/);
  });

  it('rejects an unknown filter with a one-line reason', async () => {
    await expect(cli(['export-incidents', '--format', 'csv', '--rule', 'NOPE'])).rejects.toMatchObject({
      code: 1,
    });
  });
});
