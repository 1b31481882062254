import { decodeAbiParameters, hexToBytes, type Address, type Hash, type Hex } from 'viem';
import type { EventArgs } from '~/chain/events';
import { EVENT_CONTRACT, type ContractName, type EventName } from '~/domain/events';
import { EVENT_BY_TOPIC } from './topics';
import { MalformedLogError, type RawLog } from './raw-log';
import { safeChainText } from './safe-text';
import type { ChainEvent } from './types';
import { LastValue, RepeatedValues } from './repeated-values';

/** 1 for the char codes of hex digits (either case), 0 for every other code below 128. */
const HEX_DIGIT = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1;
/** The value of each hex digit by its char code (read only where isHex has passed). */
const HEX_VALUE = new Uint8Array(128);
for (let v = 0; v < 16; v++) {
  HEX_VALUE[v.toString(16).charCodeAt(0)] = v;
  HEX_VALUE[v.toString(16).toUpperCase().charCodeAt(0)] = v;
}

/**
 * `0x` and then only hex digits, `digits` of them if given, else an even number. A loop over char
 * codes: these run for every topic and data field of every log, and the equivalent regular
 * expressions (one with a repeated group) were ≈ 3 % of a dense backfill's indexer CPU.
 */
export function isHex(s: string, digits?: number): boolean {
  const n = s.length - 2;
  if (n < 0 || (digits === undefined ? (n & 1) !== 0 : n !== digits)) return false;
  if (s.charCodeAt(0) !== 48 || s.charCodeAt(1) !== 120) return false; // '0x'
  for (let i = 2; i < s.length; i++) if (HEX_DIGIT[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Whether `s` holds only '0' from `from` (inclusive) to `to` (exclusive). */
function zerosBetween(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/**
 * A 32-byte word of a log, read where it lies: ≥ 0, the offset of its first hex digit in the data;
 * < 0, topic −1 − word. Words were sliced out and lower-cased before each was read, ≈ 1 µs of
 * a DataAccessed's 6.6 µs of decoding (profiled at 1M dense events).
 */
type Word = number;

/** Topics read as a hash or as an address, by their text (RepeatedValues): far more than a chain's grants, datasets and orgs. */
const REPEATED_LIMIT = 100_000;
const TOPIC_HASHES = new RepeatedValues<Hash>(REPEATED_LIMIT);
const TOPIC_ADDRESSES = new RepeatedValues<Address>(REPEATED_LIMIT);
/** The transaction hash and contract address of the last log: a transaction's logs come together. */
const LAST_TX = new LastValue<Hash>();
const LAST_ADDRESS = new LastValue<Address>();
const lower = <T extends string>(raw: string) => raw.toLowerCase() as T;

/**
 * `0x` + a slice of a log's text, as a string of its own. V8 makes such a value a pair (`0x`, a view
 * of the slice) that keeps the whole text it was cut from alive: a DataAccessed's payload hash
 * held its log's 258-character data while the event waited a range for its preparation, and the
 * young generation's collector copied both. charCodeAt has V8 join the pair into one string,
 * and the text it was cut from can go.
 */
function ownText<T extends string>(s: T): T {
  // Kept in a variable: a call whose answer went unused could be dropped by the optimising compiler.
  _lastFirstCode = s.charCodeAt(0);
  return s;
}
let _lastFirstCode = 0;

/** The largest regionCode or itemCode stored: Postgres's integer (code() below). */
export const MAX_CODE = 2_147_483_647;

/**
 * A decoder specialised per event signature: static fields are read at fixed word offsets, which
 * decodes two to three and a half times as many logs per second as viem's generic decodeEventLog
 * (`npm run bench -- --quick --only=decode-events`: decode_speedup measured 1.9–3.5 on the shared
 * 2-core development machine); viem decodes only the strings of the two events that have one. Every word
 * is range-checked, so a node that lies about a log fails the range with the block and log named
 * instead of writing a wrong row; test/unit/decode.test.ts checks both against viem on random logs.
 */
class Reader {
  constructor(
    private readonly log: RawLog,
    private readonly block: number,
    private readonly index: number,
  ) {}

  fail(reason: string): never {
    throw new MalformedLogError(this.block, this.index, reason);
  }

  private checkedTopic(i: number): string {
    const t = this.log.topics[i];
    if (t === undefined || typeof t !== 'string' || !isHex(t, 64))
      this.fail(`topic ${i} missing or not 32 bytes`);
    return t;
  }

  /** Topic `i` as a word (checked: 32 bytes of hex). */
  topic(i: number): Word {
    this.checkedTopic(i);
    return -1 - i;
  }

  /** Data word `i` (the data is checked to be hex before any decoder runs). */
  dataWord(i: number): Word {
    const start = 2 + i * 64;
    if (this.log.data.length < start + 64) this.fail(`data shorter than ${i + 1} words`);
    return start;
  }

  /** The string a word lies in, and the offset of its first hex digit there. */
  private text(w: Word): string {
    return w >= 0 ? this.log.data : this.log.topics[-1 - w]!;
  }

  private static offset(w: Word): number {
    return w >= 0 ? w : 2;
  }

  /** uintN from a word, N ≤ 48 so it fits a JS number exactly. */
  uint(w: Word, bits: number, field: string): number {
    const s = this.text(w);
    const o = Reader.offset(w);
    const lead = o + 64 - bits / 4;
    if (!zerosBetween(s, o, lead)) this.fail(`${field} does not fit uint${bits}`);
    let v = 0;
    for (let i = lead; i < o + 64; i++) v = v * 16 + HEX_VALUE[s.charCodeAt(i)]!;
    return v;
  }

  /**
   * A uint32 code (regionCode, itemCode) as stored: an integer column, whose largest value,
   * 2,147,483,647, is far above any administrative division or item code. A larger one is not a
   * code, and written as one it would fail the range's COPY and stop the indexer for good: the
   * log is kept raw as malformed instead.
   */
  code(w: Word, field: string): number {
    const v = this.uint(w, 32, field);
    if (v > MAX_CODE) this.fail(`${field} ${v} is not a code (larger than ${MAX_CODE})`);
    return v;
  }

  uint64(w: Word, field: string): number {
    const s = this.text(w);
    const o = Reader.offset(w);
    if (!zerosBetween(s, o, o + 48)) this.fail(`${field} does not fit uint64`);
    // Times far beyond 2^53 s are nonsense for validUntil; clamp rather than lose precision.
    const v = BigInt(`0x${s.slice(o + 48, o + 64)}`);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  uint256(w: Word): bigint {
    const o = Reader.offset(w);
    return BigInt(`0x${this.text(w).slice(o, o + 64)}`);
  }

  address(w: Word, field: string): Address {
    const s = this.text(w);
    const o = Reader.offset(w);
    if (!zerosBetween(s, o, o + 24)) this.fail(`${field} is not an address`);
    return ownText(`0x${s.slice(o + 24, o + 64).toLowerCase()}`);
  }

  hash(w: Word): Hash {
    const o = Reader.offset(w);
    return ownText(
      `0x${this.text(w)
        .slice(o, o + 64)
        .toLowerCase()}`,
    );
  }

  /**
   * An indexed bytes32 as a hash: the topic itself, lower-cased. A node's lower-case topic comes
   * back as the very same string, flat, where `0x` + a slice would be a new string to flatten at
   * every map lookup and CSV line of the event.
   */
  topicHash(i: number): Hash {
    return this.checkedTopic(i).toLowerCase() as Hash;
  }

  /** topicHash for a value most logs repeat (RepeatedValues): read once per distinct text. */
  repeatedTopicHash(i: number): Hash {
    const t = this.log.topics[i];
    const seen = typeof t === 'string' ? TOPIC_HASHES.get(t) : undefined;
    // topicHash checks the topic: only a text that passed is remembered.
    return seen ?? TOPIC_HASHES.remember(t!, this.topicHash(i));
  }

  /** An address in topic `i` that most logs repeat (RepeatedValues): read once per distinct text. */
  repeatedTopicAddress(i: number, field: string): Address {
    const t = this.log.topics[i];
    const seen = typeof t === 'string' ? TOPIC_ADDRESSES.get(t) : undefined;
    // topic() and address() check it: only a text that passed is remembered.
    return seen ?? TOPIC_ADDRESSES.remember(t!, this.address(this.topic(i), field));
  }

  expectTopics(n: number): void {
    if (this.log.topics.length !== n) this.fail(`expected ${n} topics, got ${this.log.topics.length}`);
  }

  expectWords(n: number): void {
    if (this.log.data.length !== 2 + n * 64)
      this.fail(`expected ${n} data words (${n * 32} bytes), got ${(this.log.data.length - 2) / 2} bytes`);
  }

  dynamic<T extends readonly unknown[]>(types: readonly { type: string }[]): T {
    // An ABI encoding is whole words; viem would read a string whose padding is cut off.
    if ((this.log.data.length - 2) % 64 !== 0) this.fail('data is not a whole number of 32-byte words');
    try {
      return decodeAbiParameters(types, this.log.data) as unknown as T;
    } catch (e) {
      this.fail(`data does not decode: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

type Decoders = { [N in EventName]: (r: Reader) => EventArgs[N] };

const DECODERS: Decoders = {
  OrgRegistered(r) {
    r.expectTopics(3);
    // The string as bytes: it may hold NUL or invalid UTF-8 (safe-text.ts).
    const [, , nameBytes] = r.dynamic<[number, number, Hex]>([
      { type: 'uint32' },
      { type: 'uint8' },
      { type: 'bytes' },
    ]);
    const name = safeChainText(hexToBytes(nameBytes));
    // viem does not range-check the static head words; read them as every other event does.
    return {
      account: r.address(r.topic(1), 'account'),
      orgCode: r.topicHash(2),
      regionCode: r.code(r.dataWord(0), 'regionCode'),
      kind: r.uint(r.dataWord(1), 8, 'kind'),
      name: name.text,
      ...(name.raw ? { nameRaw: name.raw } : {}),
    };
  },
  OrgDeactivated(r) {
    r.expectTopics(2);
    r.expectWords(0);
    return { account: r.address(r.topic(1), 'account') };
  },
  DatasetRegistered(r) {
    r.expectTopics(3);
    const [, , titleBytes] = r.dynamic<[number, number, Hex]>([
      { type: 'uint16' },
      { type: 'uint8' },
      { type: 'bytes' },
    ]);
    const title = safeChainText(hexToBytes(titleBytes));
    return {
      datasetId: r.topicHash(1),
      owner: r.address(r.topic(2), 'owner'),
      category: r.uint(r.dataWord(0), 16, 'category'),
      sensitivity: r.uint(r.dataWord(1), 8, 'sensitivity'),
      title: title.text,
      ...(title.raw ? { titleRaw: title.raw } : {}),
    };
  },
  AccessGranted(r) {
    r.expectTopics(4);
    r.expectWords(4);
    return {
      grantId: r.topicHash(1),
      datasetId: r.topicHash(2),
      grantee: r.address(r.topic(3), 'grantee'),
      grantor: r.address(r.dataWord(0), 'grantor'),
      purpose: r.uint(r.dataWord(1), 16, 'purpose'),
      modes: r.uint(r.dataWord(2), 8, 'modes'),
      validUntil: r.uint64(r.dataWord(3), 'validUntil'),
    };
  },
  AccessRevoked(r) {
    r.expectTopics(3);
    r.expectWords(0);
    return { grantId: r.topicHash(1), revokedBy: r.address(r.topic(2), 'revokedBy') };
  },
  DataAccessed(r) {
    r.expectTopics(4);
    r.expectWords(4);
    return {
      grantId: r.repeatedTopicHash(1),
      datasetId: r.repeatedTopicHash(2),
      accessor: r.repeatedTopicAddress(3, 'accessor'),
      mode: r.uint(r.dataWord(0), 8, 'mode'),
      purpose: r.uint(r.dataWord(1), 16, 'purpose'),
      recordCount: r.uint(r.dataWord(2), 32, 'recordCount'),
      payloadHash: r.hash(r.dataWord(3)),
    };
  },
  InvoiceIssued(r) {
    r.expectTopics(3);
    r.expectWords(2);
    return {
      invoiceHash: r.topicHash(1),
      issuer: r.repeatedTopicAddress(2, 'issuer'),
      regionCode: r.code(r.dataWord(0), 'regionCode'),
      amountFen: r.uint256(r.dataWord(1)),
    };
  },
  InvoiceReimbursed(r) {
    r.expectTopics(3);
    r.expectWords(1);
    return {
      invoiceHash: r.topicHash(1),
      claimant: r.repeatedTopicAddress(2, 'claimant'),
      amountFen: r.uint256(r.dataWord(0)),
    };
  },
  InvoiceVoided(r) {
    r.expectTopics(3);
    r.expectWords(0);
    return { invoiceHash: r.topicHash(1), issuer: r.repeatedTopicAddress(2, 'issuer') };
  },
  CertificateIssued(r) {
    r.expectTopics(3);
    r.expectWords(2);
    return {
      certHash: r.topicHash(1),
      issuer: r.repeatedTopicAddress(2, 'issuer'),
      certType: r.uint(r.dataWord(0), 16, 'certType'),
      regionCode: r.code(r.dataWord(1), 'regionCode'),
    };
  },
  CertificateRevoked(r) {
    r.expectTopics(3);
    r.expectWords(0);
    return { certHash: r.topicHash(1), issuer: r.repeatedTopicAddress(2, 'issuer') };
  },
  CertificateVerified(r) {
    r.expectTopics(3);
    r.expectWords(0);
    return { certHash: r.topicHash(1), verifier: r.repeatedTopicAddress(2, 'verifier') };
  },
  ServiceItemListed(r) {
    r.expectTopics(3);
    r.expectWords(1);
    return {
      regionCode: r.code(r.topic(1), 'regionCode'),
      itemCode: r.code(r.topic(2), 'itemCode'),
      onlineLevel: r.uint(r.dataWord(0), 8, 'onlineLevel'),
    };
  },
  CaseCompleted(r) {
    r.expectTopics(4);
    r.expectWords(4);
    return {
      caseId: r.topicHash(1),
      org: r.repeatedTopicAddress(2, 'org'),
      regionCode: r.code(r.topic(3), 'regionCode'),
      itemCode: r.code(r.dataWord(0), 'itemCode'),
      channel: r.uint(r.dataWord(1), 8, 'channel'),
      orgsInvolved: r.uint(r.dataWord(2), 8, 'orgsInvolved'),
      durationMinutes: r.uint(r.dataWord(3), 32, 'durationMinutes'),
    };
  },
};

export interface DecodeContext {
  chainId: number;
  /** lower-case contract address → contract name, from the deployment file */
  contractsByAddress: Map<string, ContractName>;
  /** block number → timestamp (unix seconds) for every block holding a log */
  blockTimes: Map<number, number>;
}

/**
 * A log of a watched contract that does not decode as the event its topic declares (or a declared
 * event from the wrong contract). Legal on chain — any member can emit one — so it is kept, raw,
 * and reported (MALFORMED_LOG), never allowed to stop the indexer.
 */
export interface MalformedLog {
  chainId: number;
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
  blockTime: number;
  address: Address;
  topics: Hex[];
  data: Hex;
  reason: string;
}

/**
 * Decodes one raw log. What the chain may legally hold but the interface does not allow comes back
 * as a MalformedLog; what only a faulty node can answer (a removed log, data that is not hex, a
 * block we hold no header for) throws MalformedLogError naming block and log.
 */
export function decodeLog(log: RawLog, ctx: DecodeContext): ChainEvent | MalformedLog {
  const blockNumber = Number(log.blockNumber);
  const logIndex = Number(log.logIndex);
  const r: Reader = new Reader(log, blockNumber, logIndex);
  if (log.removed) r.fail('log is marked removed');
  if (typeof log.data !== 'string' || !isHex(log.data)) r.fail('data is not hex');
  if (!Array.isArray(log.topics)) r.fail('topics is not a list');
  const blockTime = ctx.blockTimes.get(blockNumber);
  if (blockTime === undefined) r.fail('no header fetched for its block');
  const address = LAST_ADDRESS.of(log.address, lower<Address>);
  const txHash = LAST_TX.of(log.transactionHash, lower<Hash>);
  try {
    const topic0 = log.topics[0]?.toLowerCase();
    const eventName = topic0 === undefined ? undefined : EVENT_BY_TOPIC.get(topic0);
    if (!eventName) r.fail(`unknown event topic ${topic0 ?? '(none)'}`);
    const contract = ctx.contractsByAddress.get(address);
    if (contract !== EVENT_CONTRACT[eventName]) {
      r.fail(
        `${eventName} emitted by ${address}, which is not the deployment's ${EVENT_CONTRACT[eventName]}`,
      );
    }
    const args = DECODERS[eventName](r);
    return {
      chainId: ctx.chainId,
      blockNumber,
      logIndex,
      txHash,
      txIndex: Number(log.transactionIndex),
      blockTime,
      contract,
      address,
      eventName,
      args,
    } as ChainEvent;
  } catch (e) {
    if (!(e instanceof MalformedLogError)) throw e;
    return {
      chainId: ctx.chainId,
      blockNumber,
      logIndex,
      txHash,
      blockTime,
      address,
      topics: log.topics.map((t) => t.toLowerCase() as Hex),
      data: log.data.toLowerCase() as Hex,
      reason: e.reason,
    };
  }
}

export function isMalformed(x: ChainEvent | MalformedLog): x is MalformedLog {
  return 'reason' in x && 'topics' in x;
}
