import { describe, expect, it } from 'vitest';
import { CITIES, citiesOf, PROVINCES, regionGroups } from '../../domain/regions';

const codes = (scope: number | null) => regionGroups(scope).map((g) => g.regions.map((r) => r.code));

describe('region picker: only what the user may see', () => {
  it('nation-wide: all 34 provinces, each followed by its own cities, every city once', () => {
    const groups = regionGroups(null);
    expect(groups.map((g) => g.province?.code)).toEqual(PROVINCES.map((p) => p.code).sort((a, b) => a - b));
    for (const g of groups)
      expect(g.regions.map((r) => r.code)).toEqual([
        g.province!.code,
        ...citiesOf(g.province!.code)
          .map((c) => c.code)
          .sort((a, b) => a - b),
      ]);
    expect(groups.flatMap((g) => g.regions).length).toBe(PROVINCES.length + CITIES.length);
  });

  it('a Guangdong regulator: Guangdong and its cities, nothing else', () => {
    const gd = citiesOf(440000)
      .map((c) => c.code)
      .sort((a, b) => a - b);
    expect(codes(440000)).toEqual([[440000, ...gd]]);
    expect(gd).toContain(440100);
    expect(gd).toContain(440300);
  });

  it('a city user: the city alone; a district user: the district, named', () => {
    expect(codes(440100)).toEqual([[440100]]);
    const d = regionGroups(440106);
    expect(d).toHaveLength(1);
    expect(d[0]!.province).toBeNull();
    expect(d[0]!.regions.map((r) => r.code)).toEqual([440106]);
    expect(d[0]!.regions[0]!.name).not.toBe('');
  });
});
