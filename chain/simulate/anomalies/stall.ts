import type { EventRef } from '../plan';
import type { World } from '../world';
import type { Injection } from './types';

/**
 * CHAIN_STALLED: the timeline puts a 20·I gap between blocks stallAt-1 and stallAt; one lawful
 * case in each of the two blocks makes both blocks stored by an indexer that keeps only blocks
 * with events. Key = number of block stallAt, evidence = its first log.
 */
export function injectStall(
  w: World,
  oneCase: (k: number, tracked: boolean) => EventRef | undefined,
): Injection {
  const s = w.tl.stallAt;
  const fire = { k: s, first: true as const };
  return {
    steps: [
      { k: s - 1, run: () => void oneCase(s - 1, true) },
      { k: s, run: () => void oneCase(s, true) },
    ],
    cases: [{ rule: 'CHAIN_STALLED', key: { kind: 'block' }, fire, evidence: [fire] }],
  };
}
