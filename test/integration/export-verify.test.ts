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
import { blocks } from '../../db/schema';
import type { ExportManifest } from '../../server/exports/manifest';
import { writeFindings } from '../../workers/incidents/write-findings';
import { startTestAnvil } from '../helpers/anvil';
import { createTestDb, type TestDb } from '../helpers/db';

const run = promisify(execFile);
let anvil: AnvilProcess;
let t: TestDb;
let dir: string;

async function cli(args: string[]) {
  return run('npx', ['tsx', 'cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: t.url, CHAIN_RPC_URL: anvil.url },
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
  });
}

async function verify(file: string, manifest: string) {
  try {
    const { stdout } = await cli(['verify-export', file, manifest]);
    return {
      code: 0,
      out: JSON.parse(stdout.toString()) as {
        ok: boolean;
        fileHashOk: boolean;
        checked: number;
        failed: { reason: string; row?: number }[];
      },
    };
  } catch (e) {
    const err = e as { code: number; stdout: Buffer };
    return {
      code: err.code,
      out: JSON.parse(err.stdout.toString()) as {
        ok: boolean;
        fileHashOk: boolean;
        checked: number;
        failed: { reason: string; row?: number }[];
      },
    };
  }
}

beforeAll(async () => {
  anvil = await startTestAnvil();
  t = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'lj-verify-'));
  const conn = await connectChain(anvil.url);
  const d = await deployContracts(conn);
  const logs: { txHash: Hash; blockNumber: number; logIndex: number; blockHash: Hash }[] = [];
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

describe('cli export-incidents + verify-export', () => {
  for (const format of ['csv', 'json', 'xlsx'] as const) {
    it(`${format}: the export verifies against its manifest and the chain`, async () => {
      const file = join(dir, `out.${format}`);
      const manifestPath = join(dir, `${format}.manifest.json`);
      const { stdout } = await cli(['export-incidents', '--format', format, '--manifest', manifestPath]);
      writeFileSync(file, stdout);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest;
      expect(manifest).toMatchObject({
        format,
        rowCount: 2,
        chainId: 31337,
        scope: { regionCode: null },
        filters: {},
      });
      expect(manifest.evidence).toHaveLength(2);
      expect(manifest.generatedAt).toMatch(/\+08:00$/);
      const res = await verify(file, manifestPath);
      expect(res).toEqual({ code: 0, out: { ok: true, fileHashOk: true, checked: 2, failed: [] } });
    });
  }

  it('fails (exit 1) on a changed file, a block hash that moved, or a log that is not there', async () => {
    const file = join(dir, 'out.csv');
    const manifestPath = join(dir, 'csv.manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest;

    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from(' ')]));
    const changed = await verify(file, manifestPath);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatchObject({ ok: false, fileHashOk: false });

    await cli(['export-incidents', '--format', 'csv', '--manifest', manifestPath]).then(({ stdout }) =>
      writeFileSync(file, stdout),
    );
    const forged = structuredClone(manifest);
    forged.evidence[0]!.blockHash = `0x${'ab'.repeat(32)}`;
    forged.evidence[1]!.logIndex = 7;
    const forgedPath = join(dir, 'forged.json');
    writeFileSync(forgedPath, JSON.stringify(forged));
    const res = await verify(file, forgedPath);
    expect(res.code).toBe(1);
    expect(res.out.fileHashOk).toBe(true);
    const reasons = res.out.failed.map((f) => f.reason);
    expect(reasons).toContain('block hash differs (reorganised away)');
    expect(reasons).toContain('no log at that index in the transaction');
    expect(reasons).toContain('row cites another event than the manifest lists');
  });

  it('rejects an unknown filter with a one-line reason', async () => {
    await expect(cli(['export-incidents', '--format', 'csv', '--rule', 'NOPE'])).rejects.toMatchObject({
      code: 1,
    });
  });
});
