import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '~/chain/simulate/prng';
import { KeyNumbering, RollupAccumulator, type AccessSums } from '../../workers/rollups/accumulator';
import { daysOver } from '../../workers/rollups/pending';

/** Random accesses, cases and listings over days that cross a month end (replay: ROLLUP_SEED=…). */
const seed = process.env.ROLLUP_SEED ?? randomUUID();
console.log(
  `rollup sums seed: ${seed} (replay: ROLLUP_SEED=${seed} npx vitest run test/unit/rollup-pending.test.ts)`,
);

const DAYS = ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];
const ADDRESSES = [
  '0x00000000000000000000000000000000000000a1',
  '0x00000000000000000000000000000000000000b2',
] as const;

type Add = (acc: RollupAccumulator) => void;

function randomAccess(rng: Rng): AccessSums {
  return {
    owner: rng.chance(0.2) ? null : rng.pick(ADDRESSES),
    accessor: rng.pick(ADDRESSES),
    datasetId: rng.pick(['0xd1', '0xd2', '0xd3']),
    category: rng.int(1, 2),
    sensitivity: rng.int(1, 3),
    mode: rng.int(1, 4),
    ownerRegion: rng.pick([440100, 330100]),
    accessorRegion: rng.pick([440300, 0]),
    recordCount: rng.int(1, 1000),
  };
}

function randomAdds(rng: Rng, n: number): { day: string; add: Add }[] {
  const habits = Array.from({ length: 4 }, () => randomAccess(rng));
  return Array.from({ length: n }, (_, i) => {
    const day = rng.pick(DAYS);
    const kind = rng.int(0, 5);
    if (kind === 0) {
      const c = {
        chainId: 1,
        caseId: '0x01' as const,
        org: ADDRESSES[0] as `0x${string}`,
        regionCode: rng.pick([440100, 440300]),
        itemCode: 1,
        channel: rng.int(1, 3),
        orgsInvolved: rng.int(1, 3),
        durationMinutes: rng.int(1, 90),
        blockNumber: i,
        blockTime: 0,
      };
      return {
        day,
        add: (acc) => {
          acc.addEvent(day, 'CaseCompleted', i);
          acc.addCase(day, c);
        },
      };
    }
    if (kind === 1) {
      const level = rng.int(1, 4);
      return {
        day,
        add: (acc) => {
          acc.addEvent(day, 'ServiceItemListed', i);
          acc.addItemListing(day, 440100, level);
        },
      };
    }
    // Half of them as one of a few habitual accesses (the same keys again, as on a chain).
    const access: AccessSums = {
      ...(rng.chance(0.5) ? rng.pick(habits) : randomAccess(rng)),
      recordCount: rng.int(1, 1000),
    };
    // Some under a grant issued by then, counted towards it as well.
    const grant = rng.chance(0.5) ? rng.pick(['0xg1', '0xg2']) : null;
    return {
      day,
      add: (acc) => {
        acc.addEvent(day, 'DataAccessed', i);
        acc.addAccess(day, access);
        if (grant) acc.addGrantAccess(day, grant);
      },
    };
  });
}

/** Every sum an accumulator holds, keyed by what it is a sum of (not by its internal key). */
function contents(acc: RollupAccumulator) {
  const sorted = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    flows: sorted([...acc.flows.values()]),
    flowRegions: sorted([...acc.flowRegions.values()]),
    pairMonths: sorted([...acc.pairMonths.values()]),
    accessDaily: sorted([...acc.accessDaily.values()]),
    adoption: sorted([...acc.adoption.values()]),
    items: sorted([...acc.items.values()]),
    eventsDaily: sorted([...acc.eventsDaily.values()]),
    grantAccesses: sorted(
      [...acc.grantAccesses].flatMap(([day, perGrant]) =>
        [...perGrant].map(([grantId, accesses]) => ({ day, grantId, accesses })),
      ),
    ),
  };
}

describe(`rollup sums carried between ranges (seed ${seed})`, () => {
  it('merged range by range, then split by day, they are the sums of each day made at once', () => {
    const rng = createRng(seed);
    for (let round = 0; round < 20; round++) {
      const adds = randomAdds(rng.fork(`adds-${round}`), rng.int(1, 300));
      // Accumulators share the process's numbering of addresses, except when it started anew
      // (after MAX_NUMBERED): some here number theirs apart, and their keys differ.
      const numbering = () => (rng.chance(0.3) ? new KeyNumbering() : undefined);
      const carried = new RollupAccumulator(numbering());
      // The same events, cut into ranges at random places and merged one after another.
      for (let at = 0; at < adds.length;) {
        const end = Math.min(adds.length, at + rng.int(1, 40));
        const range = new RollupAccumulator(numbering());
        for (const a of adds.slice(at, end)) {
          a.add(range);
          // Read part-way (its sums made from what it counted so far), a range goes on counting.
          if (rng.chance(0.2)) expect(range.size).toBeGreaterThan(0);
        }
        carried.merge(range);
        at = end;
      }
      const taken = new Set(DAYS.filter(() => rng.chance(0.5)));
      const written = carried.takeDays(taken);
      const expectWritten = new RollupAccumulator();
      const expectKept = new RollupAccumulator();
      for (const a of adds) a.add(taken.has(a.day) ? expectWritten : expectKept);
      // Either part goes on adding to the sums it holds.
      for (const a of randomAdds(rng.fork(`more-${round}`), 30)) {
        a.add(taken.has(a.day) ? written : carried);
        a.add(taken.has(a.day) ? expectWritten : expectKept);
      }
      expect(contents(written)).toEqual(contents(expectWritten));
      expect(contents(carried)).toEqual(contents(expectKept));
      expect(written.size + carried.size).toBeGreaterThan(0);
    }
  });

  it('a day taken out and then counted again counts where it is counted, not where it went', () => {
    const acc = new RollupAccumulator();
    acc.addEvent('2026-11-01', 'DataAccessed', 3);
    acc.addGrantAccess('2026-11-01', '0xg1');
    const taken = acc.takeDays(new Set(['2026-11-01']));
    acc.addEvent('2026-11-01', 'DataAccessed', 4);
    acc.addGrantAccess('2026-11-01', '0xg1');
    const counts = (a: RollupAccumulator) => ({
      events: [...a.eventsDaily.values()].map((e) => e.count),
      grants: [...a.grantAccesses.values()].map((g) => [...g.values()]),
    });
    expect(counts(taken)).toEqual({ events: [1], grants: [[1]] });
    expect(counts(acc)).toEqual({ events: [1], grants: [[1]] });
    // Merged into another, its entries go on counting there.
    const into = new RollupAccumulator();
    into.addEvent('2026-11-01', 'DataAccessed', 1);
    into.merge(acc);
    into.addEvent('2026-11-01', 'DataAccessed', 5);
    into.addGrantAccess('2026-11-01', '0xg1');
    expect(counts(into)).toEqual({ events: [3], grants: [[2]] });
  });

  it('the blocks of each day are the lowest and highest of its events', () => {
    const acc = new RollupAccumulator();
    acc.addEvent('2026-11-01', 'OrgRegistered', 7);
    acc.addEvent('2026-11-01', 'DataAccessed', 3);
    acc.addEvent('2026-11-02', 'DataAccessed', 9);
    acc.addEvent('2026-11-01', 'DataAccessed', 5);
    expect(acc.dayBlocks()).toEqual(
      new Map([
        ['2026-11-01', { first: 3, last: 7 }],
        ['2026-11-02', { first: 9, last: 9 }],
      ]),
    );
  });
});

describe('which carried days are over', () => {
  it('every day but the newest, when block times only grow', () => {
    const spans = new Map([
      ['2026-11-01', { first: 3, last: 10 }],
      ['2026-11-02', { first: 11, last: 20 }],
      ['2026-11-03', { first: 24, last: 30 }],
    ]);
    expect(daysOver(spans)).toEqual({ days: new Set(['2026-11-01', '2026-11-02']), through: 23 });
  });

  it('keeps a day whose blocks reach into those of a kept day (block times that go back)', () => {
    // 11-01 has an event at block 26, inside 11-03's blocks: written now, the rollups would hold
    // an event above the block they say they stand at.
    const spans = new Map([
      ['2026-11-01', { first: 3, last: 26 }],
      ['2026-11-02', { first: 11, last: 20 }],
      ['2026-11-03', { first: 24, last: 30 }],
    ]);
    expect(daysOver(spans)).toEqual({ days: new Set(), through: 2 });
    const later = new Map([
      ['2026-11-01', { first: 3, last: 10 }],
      ['2026-11-02', { first: 11, last: 31 }],
      ['2026-11-03', { first: 24, last: 30 }],
    ]);
    expect(daysOver(later)).toEqual({ days: new Set(['2026-11-01']), through: 10 });
  });

  it('nothing carried, nothing over', () => {
    expect(daysOver(new Map()).days.size).toBe(0);
  });
});
