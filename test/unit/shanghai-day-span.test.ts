import { describe, expect, it } from 'vitest';
import { shanghaiDay, shanghaiDaySpan } from '../../domain/time';
import { dayOf } from '../../workers/projections/derive';
import { createRng } from '../../chain/simulate/prng';

/** 2026-12-05 00:00 in Asia/Shanghai (UTC+8), in unix seconds. */
const DEC_5 = Date.UTC(2026, 11, 4, 16) / 1000;

describe('shanghaiDaySpan', () => {
  it('spans the Shanghai day from its midnight to the next', () => {
    expect(shanghaiDaySpan(DEC_5 + 3_600)).toEqual({ day: '2026-12-05', start: DEC_5, end: DEC_5 + 86_400 });
    expect(shanghaiDaySpan(DEC_5)).toEqual({ day: '2026-12-05', start: DEC_5, end: DEC_5 + 86_400 });
    expect(shanghaiDaySpan(DEC_5 - 1)).toEqual({
      day: '2026-12-04',
      start: DEC_5 - 86_400,
      end: DEC_5,
    });
  });

  it("dayOf, remembering a day's span, names the same day as shanghaiDay for any order of times", () => {
    const seed = 'day-span';
    console.log(`seed ${seed}`);
    const rng = createRng(seed);
    // Times around midnights and far apart, forwards and backwards, as block times of a chain may come.
    for (let i = 0; i < 5_000; i++) {
      const t = rng.chance(0.5)
        ? DEC_5 + rng.int(-20, 20) * 86_400 + rng.int(-10, 10)
        : rng.int(0, 4_102_444_800);
      expect(dayOf(t)).toBe(shanghaiDay(t));
    }
  });
});
