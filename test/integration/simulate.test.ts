import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEventLog, toEventSelector, type Abi, type Hex } from 'viem';
import type { AnvilProcess } from '../../chain/anvil';
import { deployContracts, ARTIFACTS } from '../../chain/deploy';
import { writeDeployment, type Deployment } from '../../chain/deployment';
import { simulate, type GroundTruth, type SimulateSummary } from '../../chain/simulate';
import { runOracle, type OracleLog } from '../../chain/simulate/oracle';
import { connectChain } from '../../chain/wallet';
import { CONTRACT_NAMES, EVENT_SIGNATURES, type EventName } from '../../domain/events';
import { RULE_IDS, type RuleId } from '../../domain/rules';
import { shanghaiHour } from '../../domain/time';
import { rpc, startTestAnvil } from '../helpers/anvil';
import { runCli } from '../helpers/cli';

/** A fixed genesis-like time for the deploy blocks, so fresh chains are identical. */
const T0 = 1_900_000_000;
const DAYS = 7;

interface RawLog {
  address: string;
  blockNumber: string;
  logIndex: string;
  transactionHash: Hex;
  topics: [Hex, ...Hex[]];
  data: Hex;
}
interface Chain {
  anvil: AnvilProcess;
  deployment: Deployment;
  dir: string;
}
interface Written {
  logs: (RawLog & { timestamp: number })[];
  blocks: { number: number; timestamp: number }[];
}

const abi: Abi = CONTRACT_NAMES.flatMap((n) => [...ARTIFACTS[n].abi]);
const nameByTopic = new Map(
  Object.entries(EVENT_SIGNATURES).map(([n, s]) => [toEventSelector(s), n as EventName]),
);

async function freshChain(): Promise<Chain> {
  const anvil = await startTestAnvil();
  // anvil's genesis time is wall-clock; pin the deploy blocks to T0, T0+1, … instead.
  await rpc(anvil.url, 'anvil_setBlockTimestampInterval', [1]);
  await rpc(anvil.url, 'evm_setNextBlockTimestamp', [T0]);
  const deployment = await deployContracts(await connectChain(anvil.url));
  await rpc(anvil.url, 'anvil_removeBlockTimestampInterval', []);
  const dir = mkdtempSync(join(tmpdir(), 'lj-sim-'));
  writeDeployment(join(dir, 'deployment.json'), deployment);
  return { anvil, deployment, dir };
}

async function readChain(c: Chain, from: number, to: number): Promise<Written> {
  const logs = await rpc<RawLog[]>(c.anvil.url, 'eth_getLogs', [
    {
      fromBlock: `0x${from.toString(16)}`,
      toBlock: `0x${to.toString(16)}`,
      address: CONTRACT_NAMES.map((n) => c.deployment.contracts[n].address),
    },
  ]);
  const blocks: { number: number; timestamp: number }[] = [];
  for (let n = from; n <= to; n++) {
    const b = await rpc<{ timestamp: string }>(c.anvil.url, 'eth_getBlockByNumber', [
      `0x${n.toString(16)}`,
      false,
    ]);
    blocks.push({ number: n, timestamp: Number(b.timestamp) });
  }
  const ts = new Map(blocks.map((b) => [b.number, b.timestamp]));
  return { logs: logs.map((l) => ({ ...l, timestamp: ts.get(Number(l.blockNumber)) ?? -1 })), blocks };
}

function decode(l: RawLog & { timestamp: number }): OracleLog {
  const d = decodeEventLog({ abi, topics: l.topics, data: l.data });
  return {
    blockNumber: Number(l.blockNumber),
    logIndex: Number(l.logIndex),
    timestamp: l.timestamp,
    eventName: String(d.eventName) as EventName,
    args: d.args as unknown as Record<string, unknown>,
  };
}

const fingerprint = (w: Written) =>
  w.logs.map((l) => [l.blockNumber, l.logIndex, l.topics.join(','), l.data, l.timestamp].join('|'));

let a: Chain;
let b: Chain;
let sumA: SimulateSummary;
let gtA: GroundTruth;
let written: Written;

beforeAll(async () => {
  [a, b] = [await freshChain(), await freshChain()];
  const gtFile = join(a.dir, 'ground-truth.json');
  sumA = await simulate({
    conn: await connectChain(a.anvil.url),
    deployment: a.deployment,
    days: DAYS,
    seed: 'alpha',
    scale: 'small',
    groundTruthFile: gtFile,
  });
  gtA = JSON.parse(readFileSync(gtFile, 'utf8')) as GroundTruth;
  written = await readChain(a, sumA.fromBlock, sumA.toBlock);
});
afterAll(async () => {
  await Promise.all([a?.anvil.stop(), b?.anvil.stop()]);
});

describe('simulate', () => {
  it('writes about 20k events of every kind over the span at the regular interval, with one stall', () => {
    expect(sumA.events).toBe(written.logs.length);
    expect(sumA.events).toBeGreaterThan(15_000);
    expect(sumA.events).toBeLessThan(30_000);
    for (const name of Object.keys(EVENT_SIGNATURES))
      expect(sumA.eventsByName[name], name).toBeGreaterThan(0);
    const I = sumA.blockInterval;
    const gaps = written.blocks.slice(1).map((blk, i) => blk.timestamp - (written.blocks[i]?.timestamp ?? 0));
    expect(gaps.filter((g) => g !== I)).toEqual([20 * I]);
    expect(written.blocks[0]?.timestamp).toBe(sumA.firstTimestamp);
    expect(written.blocks.at(-1)?.timestamp).toBe(sumA.lastTimestamp);
    expect(sumA.lastTimestamp - sumA.firstTimestamp).toBeLessThanOrEqual(DAYS * 86400);
    expect(sumA.lastTimestamp - sumA.firstTimestamp).toBeGreaterThan((DAYS - 1) * 86400);
  });

  it('gives the same chain for the same seed on another fresh anvil', async () => {
    const sumB = await simulate({
      conn: await connectChain(b.anvil.url),
      deployment: b.deployment,
      days: DAYS,
      seed: 'alpha',
      scale: 'small',
      groundTruthFile: join(b.dir, 'gt.json'),
    });
    expect(sumB.fromBlock).toBe(sumA.fromBlock);
    expect(fingerprint(await readChain(b, sumB.fromBlock, sumB.toBlock))).toEqual(fingerprint(written));
  });

  it('ground truth: every case points at a real log of the right event, at least 3 per rule', () => {
    const byPos = new Map(written.logs.map((l) => [`${Number(l.blockNumber)}-${Number(l.logIndex)}`, l]));
    const expected: Partial<Record<RuleId, EventName[]>> = {
      DUPLICATE_REIMBURSEMENT: ['InvoiceReimbursed'],
      VOIDED_INVOICE_REIMBURSED: ['InvoiceReimbursed'],
      UNKNOWN_INVOICE_REIMBURSED: ['InvoiceReimbursed'],
      REIMBURSEMENT_EXCEEDS_AMOUNT: ['InvoiceReimbursed'],
      REVOKED_CERTIFICATE_USED: ['CertificateVerified'],
      UNREGISTERED_ACTOR: ['CertificateVerified', 'CaseCompleted', 'InvoiceIssued'],
      CHAIN_STALLED: ['CaseCompleted'],
    };
    for (const c of gtA.cases) {
      for (const p of [c, ...c.evidence]) {
        const l = byPos.get(`${p.blockNumber}-${p.logIndex}`);
        expect(l, `${c.rule} ${c.key}`).toBeDefined();
        expect(l?.transactionHash).toBe(p.txHash);
      }
      const fired = nameByTopic.get(byPos.get(`${c.blockNumber}-${c.logIndex}`)?.topics[0] ?? '0x');
      expect(expected[c.rule] ?? ['DataAccessed'], c.rule).toContain(fired);
      expect(c.blockNumber).toBeGreaterThanOrEqual(sumA.fromBlock);
      expect(c.blockNumber).toBeLessThanOrEqual(sumA.toBlock);
    }
    // MALFORMED_LOG needs logs the five contracts cannot emit (test/integration/poison-data.test.ts).
    for (const rule of RULE_IDS.filter((r) => r !== 'MALFORMED_LOG')) {
      const n = gtA.cases.filter((c) => c.rule === rule).length;
      if (rule === 'CHAIN_STALLED') expect(n).toBe(1);
      else expect(n, rule).toBeGreaterThanOrEqual(3);
    }
    const stall = gtA.cases.find((c) => c.rule === 'CHAIN_STALLED');
    expect(stall?.logIndex).toBe(0);
    expect(stall?.key).toBe(String(stall?.blockNumber));
  });

  it('ground truth is exactly what docs/rules.md finds on the chain (lawful data triggers nothing)', () => {
    const findings = runOracle(written.logs.map(decode), written.blocks);
    const key = (f: { rule: string; key: string }) => `${f.rule} ${f.key}`;
    expect(new Set(findings.map(key)).size).toBe(findings.length);
    expect(findings.map(key).sort()).toEqual(gtA.cases.map(key).sort());
  });

  it('keeps lawful accesses under 1000 records and includes the rule edges', () => {
    const decoded = written.logs.map(decode);
    const bulk = decoded.filter((l) => l.eventName === 'DataAccessed' && Number(l.args.recordCount) >= 1000);
    const offHours = new Set(gtA.cases.filter((c) => c.rule === 'OFF_HOURS_BULK').map((c) => c.key));
    expect(bulk.map((l) => `${l.blockNumber}-${l.logIndex}`).sort()).toEqual([...offHours].sort());
    expect(bulk.every((l) => Number(l.args.recordCount) === 1000)).toBe(true);
    // 999 records at 22:xx next to the 1000-record case; an access exactly at validUntil.
    expect(
      decoded.some(
        (l) =>
          l.eventName === 'DataAccessed' &&
          Number(l.args.recordCount) === 999 &&
          shanghaiHour(l.timestamp) === 22,
      ),
    ).toBe(true);
    const validUntil = new Map(
      decoded
        .filter((l) => l.eventName === 'AccessGranted')
        .map((l) => [String(l.args.grantId), Number(l.args.validUntil)]),
    );
    expect(
      decoded.some(
        (l) => l.eventName === 'DataAccessed' && validUntil.get(String(l.args.grantId)) === l.timestamp,
      ),
    ).toBe(true);
  });

  it('cli: another seed gives another chain, prints one JSON line, writes ground truth beside the deployment', async () => {
    const c = await freshChain();
    try {
      const { code, stdout, stderr } = await runCli(['simulate', '--days', String(DAYS), '--seed', 'beta'], {
        CHAIN_RPC_URL: c.anvil.url,
        DEPLOYMENT_FILE: join(c.dir, 'deployment.json'),
      });
      expect(code, stderr).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const s = JSON.parse(lines[0] ?? '{}') as SimulateSummary;
      expect(s.groundTruthFile).toBe(join(c.dir, 'ground-truth.json'));
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'events',
          'eventsByName',
          'blocks',
          'txs',
          'fromBlock',
          'toBlock',
          'firstTimestamp',
          'lastTimestamp',
          'anomalies',
          'groundTruthFile',
          'seconds',
        ]),
      );
      const other = await readChain(c, s.fromBlock, s.toBlock);
      expect(fingerprint(other)).not.toEqual(fingerprint(written));
    } finally {
      await c.anvil.stop();
    }
  });

  it('cli: bad flags give one line and a non-zero exit', async () => {
    for (const args of [
      ['--days', 'x', '--seed', '1'],
      ['--days', '3'],
      ['--days', '3', '--seed', '1', '--scale', 'huge'],
    ]) {
      const err = await runCli(['simulate', ...args], { CHAIN_RPC_URL: 'http://127.0.0.1:9' });
      expect(err.code).toBe(1);
      expect(err.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
