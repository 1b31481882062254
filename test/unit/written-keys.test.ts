import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '~/chain/simulate/prng';
import { WrittenKeys } from '~/workers/indexer/written-keys';

const seed = process.env.WRITTEN_KEYS_SEED ?? randomUUID();
console.log(`written keys seed: ${seed} (replay: WRITTEN_KEYS_SEED=${seed})`);

describe(`WrittenKeys (seed ${seed})`, () => {
  it('never forgets a key it was given, and says "might" of few others', () => {
    const rng = createRng(seed);
    const written = new WrittenKeys();
    const ids = Array.from({ length: 200_000 }, () => rng.hex32());
    for (const id of ids) written.add(id);
    expect(ids.every((id) => written.mightHold(id))).toBe(true);
    const others = Array.from({ length: 100_000 }, () => rng.hex32());
    const falseMight = others.filter((id) => written.mightHold(id)).length;
    // Four probes into 2^25 bits at 200,000 ids: ≈ 3 in ten million (the bound leaves room).
    expect(falseMight).toBeLessThan(100);
  });

  it('takes any text a member may emit, telling apart none it was not given', () => {
    const written = new WrittenKeys();
    expect(written.mightHold(`0x${'0'.repeat(64)}`)).toBe(false);
    written.add('not hex at all');
    expect(written.mightHold('not hex at all')).toBe(true);
    // Text that reads as no number maps to the same bits: a "might", which costs a look-up only.
    expect(written.mightHold('zz')).toBe(true);
  });
});
