import { describe, expect, it } from 'vitest';
import { forWallDisplay } from '../../app/_charts/screen';
import { buildTileMapOption, provinceTiles } from '../../app/_charts/tile-map';

describe('wall display: chart options for the dark stage', () => {
  it('tile map: outlined light labels on tiles with data, dark "no data" tiles, larger text; data untouched', () => {
    const base = buildTileMapOption({
      layout: provinceTiles('zh'),
      values: [{ code: 440000, value: 0.5 }],
      format: (v) => `${v}`,
      metricName: '网办率',
      noDataText: '—',
      kind: 'share',
    });
    const o = forWallDisplay(base, 20);
    const [withData, without] = o.series as {
      label: Record<string, unknown>;
      itemStyle: Record<string, unknown>;
      data: unknown[];
    }[];
    expect(withData!.label).toMatchObject({ color: '#ffffff', textBorderWidth: 3, fontSize: 20 });
    expect(withData!.itemStyle.borderColor).toBe('#070d18');
    expect(without!.itemStyle.color).toBe('#14213a');
    expect(without!.label.color).toBe('#5c7393');
    expect(withData!.data).toEqual((base.series as { data: unknown[] }[])[0]!.data);
  });
});
