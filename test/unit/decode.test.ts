import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '~/chain/simulate/prng';
import { EVENT_CONTRACT, EVENT_NAMES, type EventName } from '~/domain/events';
import { MAX_CODE, decodeLog, isHex, isMalformed, type MalformedLog } from '~/workers/events/decode';
import { MalformedLogError } from '~/workers/events/raw-log';
import { safeChainText } from '~/workers/events/safe-text';
import {
  BLOCK,
  BLOCK_TIME,
  ctx,
  mutate,
  randomLog,
  randomLogOf,
  viemDecode,
  type Built,
} from '../helpers/random-logs';

/*
 * The hand-written decoder (workers/events/decode.ts) against viem's generic decodeEventLog on
 * random logs from a printed seed (replay one with DECODE_SEED=<seed>):
 *  - every valid log decodes to exactly what viem decodes (addresses lower-case, uint64 clamped to
 *    a safe integer, as the decoder documents);
 *  - every invalid log (short data, wrong topic count, dirty address or integer words, unknown
 *    topic, wrong emitter, non-hex data, removed) is never a row: what the chain can hold comes back
 *    as a MalformedLog kept raw (MALFORMED_LOG), what only a faulty node can answer (removed,
 *    non-hex) fails with a MalformedLogError naming its block and log, never another error; where
 *    viem also judges the log (short data, unknown topic), viem rejects it too.
 */
const seed = process.env.DECODE_SEED ?? randomUUID();
console.log(
  `decoder check seed: ${seed} (replay: DECODE_SEED=${seed} npx vitest run test/unit/decode.test.ts)`,
);

const VALID_LOGS = 3000;
const INVALID_LOGS = 3000;

describe(`workers/events/decode.ts against viem's decodeEventLog (seed ${seed})`, () => {
  it(`decodes ${VALID_LOGS} random valid logs exactly as viem does`, () => {
    const rng = createRng(`${seed}/valid`);
    const seen = new Set<EventName>();
    for (let i = 0; i < VALID_LOGS; i++) {
      const b = randomLog(rng, i);
      const decoded = decodeLog(b.log, ctx);
      if (isMalformed(decoded)) throw new Error(`${b.name} kept as malformed: ${decoded.reason}`);
      const ev = decoded;
      expect(ev.eventName).toBe(b.name);
      // Strings are stored as safe text (safe-text.ts) with their bytes kept when that changed them.
      const expected = viemDecode(b);
      for (const f of ['name', 'title']) {
        const v = expected[f];
        if (typeof v !== 'string') continue;
        const safe = safeChainText(new TextEncoder().encode(v));
        expected[f] = safe.text;
        if (safe.raw) expected[`${f}Raw`] = safe.raw;
      }
      expect({ ...ev.args }).toEqual(expected);
      expect([ev.blockNumber, ev.logIndex, ev.blockTime, ev.contract]).toEqual([
        BLOCK,
        i,
        BLOCK_TIME,
        EVENT_CONTRACT[b.name],
      ]);
      seen.add(b.name);
    }
    expect(seen.size).toBe(EVENT_NAMES.length);
  });

  it(`refuses ${INVALID_LOGS} random invalid logs, naming block and log`, () => {
    const rng = createRng(`${seed}/invalid`);
    const kinds = new Set<string>();
    for (let i = 0; i < INVALID_LOGS; i++) {
      const b = randomLog(rng, i);
      const m = mutate(rng, b);
      kinds.add(m.kind.split(' ')[0]!);
      let error: unknown;
      let kept: MalformedLog | undefined;
      try {
        const d = decodeLog(m.log, ctx);
        if (!isMalformed(d)) throw new Error(`${b.name}: ${m.kind} was accepted`);
        kept = d;
      } catch (e) {
        error = e;
      }
      if (kept) {
        expect([kept.blockNumber, kept.logIndex, kept.data], m.kind).toEqual([
          BLOCK,
          i,
          m.log.data.toLowerCase(),
        ]);
      } else {
        expect(error, `${b.name}: ${m.kind}`).toBeInstanceOf(MalformedLogError);
        expect((error as Error).message).toContain(`block ${BLOCK} log ${i}:`);
      }
      if (m.viemRejects) expect(() => viemDecode({ ...b, log: m.log }), m.kind).toThrow();
    }
    // Every family of mutation was tried: removed, unknown, wrong, topic, non-hex, odd-length,
    // short, dirty and the integer overflows (named by their field).
    expect(kinds.size).toBeGreaterThanOrEqual(9);
  });
});

describe(`values repeated from log to log, as on a dense chain (seed ${seed})`, () => {
  // A DataAccessed's grant, dataset and accessor, the organisation of a case, an invoice or a
  // certificate, and a log's transaction are read once per distinct text and shared (repeated-values.ts): a text seen before must decode as it did, and
  // one that differs — a mutation of a repeated log included — is checked afresh.
  it('decode as viem does, and a repeated log mutated is refused as it would be alone', () => {
    const rng = createRng(`${seed}/repeated`);
    const repeating: EventName[] = ['DataAccessed', 'CaseCompleted', 'InvoiceIssued', 'CertificateVerified'];
    const pool = Array.from({ length: 16 }, (_, i) => randomLogOf(rng, rng.pick(repeating), i));
    // Logs of one transaction come together: a run of copies shares the transaction hash.
    const copy = (b: Built, logIndex: number): Built => ({
      ...b,
      log: { ...(JSON.parse(JSON.stringify(b.log)) as Built['log']), logIndex: `0x${logIndex.toString(16)}` },
    });
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const b = copy(rng.pick(pool), i);
      if (rng.next() < 0.3) {
        const m = mutate(rng, b);
        let accepted = false;
        try {
          accepted = !isMalformed(decodeLog(m.log, ctx));
        } catch (e) {
          expect(e, m.kind).toBeInstanceOf(MalformedLogError);
        }
        expect(accepted, `${m.kind} was accepted`).toBe(false);
        refused++;
        continue;
      }
      const ev = decodeLog(b.log, ctx);
      if (isMalformed(ev)) throw new Error(`kept as malformed: ${ev.reason}`);
      expect({ ...ev.args }).toEqual(viemDecode(b));
      expect([ev.txHash, ev.address, ev.logIndex]).toEqual([
        b.log.transactionHash.toLowerCase(),
        b.log.address.toLowerCase(),
        i,
      ]);
    }
    expect(refused).toBeGreaterThan(500);
  });
});

describe('codes past what a code column holds', () => {
  // Every regionCode and itemCode of DESIGN §2, in a topic or a data word.
  const CODES: [EventName, string][] = [
    ['OrgRegistered', 'regionCode'],
    ['InvoiceIssued', 'regionCode'],
    ['CertificateIssued', 'regionCode'],
    ['ServiceItemListed', 'regionCode'],
    ['ServiceItemListed', 'itemCode'],
    ['CaseCompleted', 'regionCode'],
    ['CaseCompleted', 'itemCode'],
  ];

  it.each(CODES)('%s.%s: the largest code decodes, one more is kept as malformed', (name, field) => {
    const rng = createRng(`${seed}/codes/${name}/${field}`);
    const largest = decodeLog(randomLogOf(rng, name, 0, { [field]: MAX_CODE }).log, ctx);
    if (isMalformed(largest)) throw new Error(`kept as malformed: ${largest.reason}`);
    expect((largest.args as Record<string, unknown>)[field]).toBe(MAX_CODE);
    for (const v of [MAX_CODE + 1, 2 ** 32 - 1]) {
      const d = decodeLog(randomLogOf(rng, name, 1, { [field]: v }).log, ctx);
      if (!isMalformed(d)) throw new Error(`${name}.${field} = ${v} was accepted`);
      expect(d.reason).toBe(`${field} ${v} is not a code (larger than ${MAX_CODE})`);
    }
  });
});

describe('isHex, the check every topic and data field goes through', () => {
  it.each([
    ['0x', undefined, true],
    ['0xaBcD09', undefined, true],
    ['0xabc', undefined, false], // odd: not whole bytes
    ['0xabg0', undefined, false],
    ['0Xab', undefined, false],
    ['ab', undefined, false],
    ['0x', 64, false],
    [`0x${'Ff'.repeat(32)}`, 64, true],
    [`0x${'f'.repeat(63)}`, 64, false],
    [`0x${'f'.repeat(63)}\u0130`, 64, false], // a char code above 127
  ] as const)('%s (%s digits): %s', (s, digits, ok) => {
    expect(isHex(s, digits)).toBe(ok);
  });
});
