import { keccak256, toHex, type Hash } from 'viem';
import { EVENT_NAMES, EVENT_SIGNATURES, type EventName } from '../../domain/events';

/** topic0 of every event of DESIGN §2, and the reverse map used by the decoder. */
export const EVENT_TOPICS = Object.fromEntries(
  EVENT_NAMES.map((n) => [n, keccak256(toHex(EVENT_SIGNATURES[n]))]),
) as Record<EventName, Hash>;

export const EVENT_BY_TOPIC = new Map<string, EventName>(EVENT_NAMES.map((n) => [EVENT_TOPICS[n], n]));
