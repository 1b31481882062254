import {
  decodeEventLog,
  encodeAbiParameters,
  encodeEventTopics,
  type AbiEvent,
  type Address,
  type Hex,
} from 'viem';
import { ARTIFACTS } from '~/chain/deploy';
import type { Rng } from '~/chain/simulate/prng';
import {
  CONTRACT_NAMES,
  EVENT_CONTRACT,
  EVENT_NAMES,
  type ContractName,
  type EventName,
} from '~/domain/events';
import { MAX_CODE, type DecodeContext } from '~/workers/events/decode';
import type { RawLog } from '~/workers/events/raw-log';

/*
 * Random logs of the five contracts' events, valid (encoded by viem from random values of each
 * ABI type) or broken in one way, for checking the hand-written decoder against viem's generic
 * one (test/unit/decode.test.ts) and timing them (bench/decode-events.ts).
 */

export const CHAIN_ID = 31337;
export const BLOCK = 1234;
export const BLOCK_TIME = 1_790_000_000;

const contractAddress = (name: ContractName): Address =>
  `0x${(CONTRACT_NAMES.indexOf(name) + 1).toString(16).padStart(40, 'c')}`;
/** The deployment and block headers every random log refers to. */
export const ctx: DecodeContext = {
  chainId: CHAIN_ID,
  contractsByAddress: new Map(CONTRACT_NAMES.map((n) => [contractAddress(n), n])),
  blockTimes: new Map([[BLOCK, BLOCK_TIME]]),
};

function abiEvent(name: EventName): { abi: readonly AbiEvent[]; event: AbiEvent } {
  const abi = ARTIFACTS[EVENT_CONTRACT[name]].abi.filter((x): x is AbiEvent => x.type === 'event');
  const event = abi.find((e) => e.name === name);
  if (!event) throw new Error(`no ABI event ${name}`);
  return { abi, event };
}

const bitsOf = (type: string): number => Number(/^uint(\d+)$/.exec(type)?.[1] ?? NaN);

/** Fields the decoder reads as codes: a valid one is at most MAX_CODE, not the uint32's maximum. */
const CODE_FIELDS = new Set(['regionCode', 'itemCode']);

/** A random value of an ABI type, edges (0, the maximum) included often. */
function randomValue(rng: Rng, type: string, field: string): unknown {
  if (type === 'address') return `0x${rng.hex32().slice(26)}`;
  if (type === 'bytes32') return rng.hex32();
  if (type === 'string') {
    const alphabet = ['a', 'Z', '7', ' ', '链', '监', '數', '—', '😀', '\u0000', 'é'];
    let s = '';
    for (let i = rng.int(0, 40); i > 0; i--) s += rng.pick(alphabet);
    return s;
  }
  const bits = bitsOf(type);
  if (!Number.isFinite(bits)) throw new Error(`no generator for ${type}`);
  const max = CODE_FIELDS.has(field) ? BigInt(MAX_CODE) : (1n << BigInt(bits)) - 1n;
  const r = rng.next();
  const v = r < 0.1 ? 0n : r < 0.2 ? max : BigInt(rng.hex32()) & max;
  return bits <= 48 ? Number(v) : v; // viem's encoder takes numbers up to 48 bits, bigints beyond
}

export interface Built {
  name: EventName;
  event: AbiEvent;
  log: RawLog;
}

/** A valid log of a random event with random field values, at block BLOCK and the given index. */
export function randomLog(rng: Rng, logIndex: number): Built {
  return randomLogOf(rng, rng.pick(EVENT_NAMES), logIndex);
}

/** A log of `name` with random field values but those given in `set` (which may make it invalid). */
export function randomLogOf(
  rng: Rng,
  name: EventName,
  logIndex: number,
  set: Record<string, unknown> = {},
): Built {
  const { event } = abiEvent(name);
  const args: Record<string, unknown> = {};
  for (const input of event.inputs) args[input.name!] = randomValue(rng, input.type, input.name!);
  Object.assign(args, set);
  const topics = encodeEventTopics({ abi: [event], eventName: event.name, args }) as Hex[];
  const dataInputs = event.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(
    dataInputs,
    dataInputs.map((i) => args[i.name!]),
  );
  return {
    name,
    event,
    log: {
      address: contractAddress(EVENT_CONTRACT[name]),
      topics,
      data,
      blockNumber: `0x${BLOCK.toString(16)}`,
      blockHash: rng.hex32(),
      transactionHash: rng.hex32(),
      transactionIndex: '0x0',
      logIndex: `0x${logIndex.toString(16)}`,
    },
  };
}

/** viem's decoding, in the decoder's conventions (DESIGN: addresses lower-case; validUntil a number). */
export function viemDecode(b: Built): Record<string, unknown> {
  const { abi } = abiEvent(b.name);
  const decoded = decodeEventLog({ abi, topics: b.log.topics as [Hex], data: b.log.data, strict: true });
  if (decoded.eventName !== b.name) throw new Error(`viem decoded ${decoded.eventName}, not ${b.name}`);
  const args = decoded.args as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const input of b.event.inputs) {
    const v = args[input.name!];
    if (input.type === 'address') out[input.name!] = (v as string).toLowerCase();
    else if (input.type === 'uint64')
      out[input.name!] = Number((v as bigint) > 2n ** 53n - 1n ? 2n ** 53n - 1n : v);
    else out[input.name!] = v;
  }
  return out;
}

/** Where an input's 32-byte word sits: a topic, or a head word of the data. */
function wordOf(event: AbiEvent, input: AbiEvent['inputs'][number]): { topic: number } | { data: number } {
  const indexed = event.inputs.filter((i) => i.indexed);
  if (input.indexed === true) return { topic: indexed.indexOf(input) + 1 };
  return { data: event.inputs.filter((i) => !i.indexed).indexOf(input) };
}

function setWord(
  log: RawLog,
  at: { topic: number } | { data: number },
  edit: (word: string) => string,
): RawLog {
  if ('topic' in at) {
    const topics = [...log.topics];
    topics[at.topic] = `0x${edit(topics[at.topic]!.slice(2))}`;
    return { ...log, topics };
  }
  const start = 2 + at.data * 64;
  return {
    ...log,
    data: `0x${log.data.slice(2, start)}${edit(log.data.slice(start, start + 64))}${log.data.slice(start + 64)}` as Hex,
  };
}

export type Mutation = { kind: string; log: RawLog; viemRejects?: true };

/** One way to break a valid log, chosen at random among those that apply to its event. */
export function mutate(rng: Rng, b: Built): Mutation {
  const { log, event } = b;
  const options: (() => Mutation)[] = [
    () => ({ kind: 'removed', log: { ...log, removed: true } }),
    () => ({
      kind: 'unknown topic',
      log: { ...log, topics: [rng.hex32(), ...log.topics.slice(1)] },
      viemRejects: true,
    }),
    () => {
      const others = CONTRACT_NAMES.filter((n) => n !== EVENT_CONTRACT[b.name]);
      return { kind: 'wrong emitter', log: { ...log, address: contractAddress(rng.pick(others)) } };
    },
    () => ({ kind: 'topic dropped', log: { ...log, topics: log.topics.slice(0, -1) } }),
    () => ({ kind: 'topic added', log: { ...log, topics: [...log.topics, rng.hex32()] } }),
    () => ({ kind: 'non-hex data', log: { ...log, data: `${log.data}zz` as Hex } }),
    () => ({ kind: 'odd-length data', log: { ...log, data: `${log.data}0` as Hex } }),
  ];
  const words = (log.data.length - 2) / 64;
  if (words > 0) {
    options.push(() => {
      const keep = rng.int(0, words - 1);
      const data = log.data.slice(0, 2 + keep * 64) as Hex;
      return { kind: 'short data', log: { ...log, data }, viemRejects: true };
    });
    options.push(() => {
      const cut = rng.int(1, 31);
      const data = log.data.slice(0, log.data.length - cut * 2) as Hex;
      return { kind: 'ragged data', log: { ...log, data } };
    });
  }
  for (const input of event.inputs) {
    const at = wordOf(event, input);
    if (input.type === 'address')
      options.push(() => ({
        kind: `dirty address ${input.name}`,
        log: setWord(log, at, (w) => {
          const i = rng.int(0, 11) * 2; // one of the 12 bytes above the 20 of an address
          return `${w.slice(0, i)}${rng.pick(['01', '80', 'ff'])}${w.slice(i + 2)}`;
        }),
      }));
    const bits = bitsOf(input.type);
    if (bits < 256)
      options.push(() => ({
        kind: `${input.name} beyond uint${bits}`,
        log: setWord(log, at, (w) => {
          const over = (BigInt(`0x${w}`) | (1n << BigInt(rng.int(bits, 255)))).toString(16);
          return over.padStart(64, '0');
        }),
      }));
  }
  return rng.pick(options)();
}
