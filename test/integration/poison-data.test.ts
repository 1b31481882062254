import {
  concatHex,
  encodeAbiParameters,
  keccak256,
  toFunctionSelector,
  toHex,
  type Address,
  type Hex,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TOPICS } from '../../workers/events/topics';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { addr, id } from '../helpers/scenario';

/**
 * Poison from the chain (any member can send it) never stops the indexer: strings with NUL,
 * invalid UTF-8, markup or 100 kB are stored as safe text with their raw bytes kept; logs that do
 * not decode as their declared event are kept raw as MALFORMED_LOG incidents (docs/rules.md);
 * uint32 values past a signed 32-bit integer are stored whole (quantities) or, as codes, malformed.
 */
let h: IndexerHarness;
const blocks: Record<string, number> = {};

/** LOGn with its topics and data taken from the calldata: topics first (32 bytes each), then data. */
const LOG1_EMITTER = '0x600035602036038060206000376000a100' as Hex;
const LOG3_EMITTER = '0x604035602035600035606036038060606000376000a300' as Hex;

async function sendRaw(to: Address, data: Hex): Promise<number> {
  const s = h.scenario;
  const hash = await s.conn.walletClient.sendTransaction({
    to,
    data,
    account: s.conn.account,
    chain: s.conn.chain,
    gas: 25_000_000n,
  });
  const r = await s.conn.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  expect(r.status).toBe('success');
  return Number(r.blockNumber);
}

/** OrgRegistry.register with the name as raw bytes (a JS string cannot hold invalid UTF-8). */
function registerCalldata(account: Address, name: Uint8Array, regionCode = 440100): Hex {
  return concatHex([
    toFunctionSelector('register(address,bytes32,uint32,uint8,string)'),
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'bytes32' }, { type: 'uint32' }, { type: 'uint8' }, { type: 'bytes' }],
      [account, id(`org:${account}`), regionCode, 1, toHex(name)],
    ),
  ]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const NAMES = {
  nul: utf8('广州市\u0000公安局'),
  invalid: Uint8Array.from([0xe5, 0xb9, 0xbf, 0xff, 0xfe, 0x41]),
  markup: utf8('<img src=x onerror="alert(1)"><b>市局</b>'),
  huge: utf8('长'.repeat(34_000)), // 102,000 bytes
};

beforeAll(async () => {
  h = await createIndexerHarness();
  const c = h.scenario.deployment.contracts;
  for (const [k, name] of Object.entries(NAMES)) {
    blocks[k] = await sendRaw(c.OrgRegistry.address, registerCalldata(addr(`poison-${k}`), name));
  }
  // A region code no code reaches (the largest uint32): not a code, so the log is malformed.
  blocks.hugeRegion = await sendRaw(
    c.OrgRegistry.address,
    registerCalldata(addr('poison-region'), utf8('某局'), 4_294_967_295),
  );
  blocks.title = await sendRaw(
    c.DataSharing.address,
    concatHex([
      toFunctionSelector('registerDataset(bytes32,address,uint16,uint8,string)'),
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'address' }, { type: 'uint16' }, { type: 'uint8' }, { type: 'bytes' }],
        [id('poison-ds'), addr('poison-markup'), 1, 2, toHex(utf8('人口\u0000信息'))],
      ),
    ]),
  );
  // A watched contract replaced, for a few blocks, by one that emits whatever log it is told to.
  const target = c.CertificateRegistry.address;
  const code = await rpc<Hex>(h.anvil.url, 'eth_getCode', [target, 'latest']);
  await rpc(h.anvil.url, 'anvil_setCode', [target, LOG1_EMITTER]);
  // A declared topic with too few topics: "expected 3 topics, got 1".
  blocks.fewTopics = await sendRaw(target, EVENT_TOPICS.CertificateRevoked);
  // An undeclared topic: not part of the interface; the node's topic filter leaves it out.
  blocks.undeclared = await sendRaw(target, keccak256(toHex('SomethingElse(uint256)')));
  await rpc(h.anvil.url, 'anvil_setCode', [target, LOG3_EMITTER]);
  // A declared topic with the right topics but short data (CertificateIssued has two words).
  blocks.shortData = await sendRaw(
    target,
    concatHex([
      EVENT_TOPICS.CertificateIssued,
      id('poison-cert'),
      `0x${'0'.repeat(24)}${addr('x').slice(2)}`,
      '0x0001',
    ]),
  );
  // A declared event of another contract, emitted here.
  blocks.wrongContract = await sendRaw(
    target,
    concatHex([EVENT_TOPICS.InvoiceVoided, id('poison-inv'), `0x${'0'.repeat(24)}${addr('x').slice(2)}`]),
  );
  await rpc(h.anvil.url, 'anvil_setCode', [target, code]);
  // The largest record count a uint32 holds (any member can claim it): past a signed 32-bit integer.
  blocks.hugeCount = (
    await h.scenario.access({
      grantId: id('poison-grant'),
      datasetId: id('poison-ds'),
      accessor: addr('poison-markup'),
      mode: 1,
      purpose: 1,
      recordCount: 4_294_967_295,
      payloadHash: id('poison-payload'),
    })
  ).blockNumber;
  blocks.hugeDuration = (
    await h.scenario.completeCase({
      caseId: id('poison-case'),
      org: addr('poison-markup'),
      regionCode: 440100,
      itemCode: 1001,
      channel: 2,
      orgsInvolved: 1,
      durationMinutes: 4_294_967_295,
    })
  ).blockNumber;
  // Ordinary activity after the poison: it must be indexed too.
  blocks.after = (await h.scenario.registerOrg(addr('after'), 440100, 2, '广州市民政局')).blockNumber;
});
afterAll(async () => {
  await h.close();
});

describe('poison chain data', () => {
  it('index --until-head passes every poisoned block and indexes what follows', async () => {
    const ctx = await createIndexerContext(h.env());
    try {
      const summary = await syncToHead(ctx);
      expect(summary.toBlock).toBeGreaterThanOrEqual(blocks.after!);
    } finally {
      await ctx.dbh.close();
    }
    const { rows } = await h.db.pool.query<{ name: string }>('SELECT name FROM orgs WHERE address = $1', [
      addr('after'),
    ]);
    expect(rows).toEqual([{ name: '广州市民政局' }]);
  });

  it('a case lasting the largest uint32 of minutes: stored and summed exactly', async () => {
    const stored = await h.db.pool.query<{ duration_minutes: string }>(
      'SELECT duration_minutes::text FROM cases WHERE block_number = $1',
      [blocks.hugeDuration],
    );
    expect(stored.rows).toEqual([{ duration_minutes: '4294967295' }]);
    const summed = await h.db.pool.query<{ minutes: string }>(
      'SELECT sum(duration_minutes_total)::text AS minutes FROM adoption_daily',
    );
    expect(summed.rows).toEqual([{ minutes: '4294967295' }]);
  });

  it('a record count past a signed 32-bit integer: stored and summed exactly', async () => {
    const stored = await h.db.pool.query<{ record_count: string }>(
      'SELECT record_count::text FROM accesses WHERE block_number = $1',
      [blocks.hugeCount],
    );
    expect(stored.rows).toEqual([{ record_count: '4294967295' }]);
    const summed = await h.db.pool.query<{ records: string }>(
      `SELECT sum(records)::text AS records FROM flow_daily WHERE accessor_org = $1`,
      [addr('poison-markup')],
    );
    expect(summed.rows).toEqual([{ records: '4294967295' }]);
  });

  async function org(k: string) {
    const { rows } = await h.db.pool.query<{ name: string; args: { name: string; nameRaw?: string } }>(
      `SELECT o.name, e.args FROM orgs o JOIN events e ON e.event_name = 'OrgRegistered'
         AND e.args->>'account' = o.address WHERE o.address = $1`,
      [addr(`poison-${k}`)],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  it('a name with a NUL byte: NUL shown as U+FFFD, raw bytes kept', async () => {
    const o = await org('nul');
    expect(o.name).toBe('广州市\uFFFD公安局');
    expect(o.args.nameRaw).toBe(toHex(NAMES.nul));
  });

  it('a name of invalid UTF-8: replacement characters, raw bytes kept', async () => {
    const o = await org('invalid');
    expect(o.name).toBe('广\uFFFD\uFFFDA');
    expect(o.args.nameRaw).toBe(toHex(NAMES.invalid));
  });

  it('a name with markup: stored as the text it is (pages escape it)', async () => {
    const o = await org('markup');
    expect(o.name).toBe('<img src=x onerror="alert(1)"><b>市局</b>');
    expect(o.args.nameRaw).toBeUndefined();
  });

  it('a 100 kB name: cut to 500 characters and an ellipsis, raw bytes kept', async () => {
    const o = await org('huge');
    expect(o.name).toBe(`${'长'.repeat(500)}…`);
    expect(o.args.nameRaw).toBe(toHex(NAMES.huge));
  });

  it('a dataset title with a NUL byte', async () => {
    const { rows } = await h.db.pool.query<{ title: string }>(
      'SELECT title FROM datasets WHERE dataset_id = $1',
      [id('poison-ds')],
    );
    expect(rows).toEqual([{ title: '人口\uFFFD信息' }]);
  });

  it('logs of declared topics that do not decode: kept raw, one MALFORMED_LOG incident each; undeclared topics ignored', async () => {
    const kept = await h.db.pool.query<{
      block_number: string;
      reason: string;
      topics: string[];
      data: string;
    }>('SELECT block_number, reason, topics, data FROM malformed_logs ORDER BY block_number');
    expect(kept.rows.map((r) => [Number(r.block_number), r.reason])).toEqual([
      [blocks.hugeRegion, 'regionCode 4294967295 is not a code (larger than 2147483647)'],
      [blocks.fewTopics, 'expected 3 topics, got 1'],
      [blocks.shortData, 'expected 2 data words (64 bytes), got 2 bytes'],
      [
        blocks.wrongContract,
        `InvoiceVoided emitted by ${h.scenario.deployment.contracts.CertificateRegistry.address.toLowerCase()}, which is not the deployment's InvoiceLedger`,
      ],
    ]);
    expect(kept.rows[2]!.data).toBe('0x0001');
    expect(kept.rows[1]!.topics).toEqual([EVENT_TOPICS.CertificateRevoked]);
    const incidents = await h.db.pool.query<{ rule: string; evidence_block: string; summary: string }>(
      `SELECT rule, evidence_block, summary FROM incidents WHERE rule = 'MALFORMED_LOG' ORDER BY evidence_block`,
    );
    expect(incidents.rows.map((r) => [r.rule, Number(r.evidence_block)])).toEqual([
      ['MALFORMED_LOG', blocks.hugeRegion],
      ['MALFORMED_LOG', blocks.fewTopics],
      ['MALFORMED_LOG', blocks.shortData],
      ['MALFORMED_LOG', blocks.wrongContract],
    ]);
    const undeclared = await h.db.pool.query('SELECT 1 FROM chain_events WHERE block_number = $1', [
      blocks.undeclared,
    ]);
    expect(undeclared.rows).toEqual([]);
  });
});
