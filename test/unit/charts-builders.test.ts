import { buildRankBarsOption, buildStackedBarsOption } from '../../app/_charts/bars';
import { buildShareLinesOption, monthlyShareSeries, PARTIAL_MIN_CASES } from '../../app/_charts/lines';
import { formatPointChange } from '../../app/_charts/format';
import { regionsInScope } from '../../domain/regions';
import { describe, expect, it } from 'vitest';
import { CHINA_TILES, TILE_COLS, TILE_ROWS } from '../../app/_charts/china-tile-grid';
import { formatChange, formatCount, formatEventRate, formatPercent } from '../../app/_charts/format';
import { buildHeatmapOption, heatmapAxes } from '../../app/_charts/heatmap';
import { bubbleSize } from '../../app/_charts/scatter';
import { buildSankeyOption, hasCycle, type SankeyLinkDatum } from '../../app/_charts/sankey';
import {
  autoTiles,
  buildTileMapOption,
  colorRange,
  provinceTiles,
  TILE_ROW_PX,
  tileMapHeight,
  tileMapSummary,
} from '../../app/_charts/tile-map';
import { PROVINCES } from '../../domain/regions';

type Series = { data: unknown[]; links?: SankeyLinkDatum[] };
const seriesOf = (o: unknown): Series[] => (o as { series: Series[] }).series;

describe('charts: chain text in HTML tooltips is escaped', () => {
  const evil = '<img src=x onerror="alert(1)">';
  it('sankey tooltips escape org names of edges and nodes', () => {
    const o = buildSankeyOption({
      pairs: [{ source: 'a', target: 'b', records: 1, accesses: 1 }],
      label: () => evil,
      lang: 'zh',
    });
    const fmt = (o as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter;
    const s = seriesOf(o)[0]!;
    const link = s.links![0]!;
    const edge = fmt({ dataType: 'edge', data: link });
    const node = fmt({ dataType: 'node', name: (s.data[0] as { name: string }).name, value: 1 });
    for (const html of [edge, node]) {
      expect(html).not.toContain('<img');
      expect(html).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    }
  });
});

describe('charts: sankey', () => {
  const pairs = [
    { source: 'a', target: 'b', records: 10, accesses: 1 },
    { source: 'b', target: 'a', records: 5, accesses: 1 }, // reverse flow: a cycle without prefixes
    { source: 'a', target: 'a', records: 3, accesses: 1 }, // self-flow
    { source: 'c', target: 'b', records: 0, accesses: 2 },
  ];
  it('never produces a cycle, even when A → B and B → A', () => {
    expect(hasCycle(pairs)).toBe(true);
    const o = buildSankeyOption({ pairs, label: (k) => k.toUpperCase(), lang: 'zh' });
    const links = seriesOf(o)[0]!.links!;
    expect(hasCycle(links)).toBe(false);
    expect(links.every((l) => l.source.startsWith('提供:') && l.target.startsWith('使用:'))).toBe(true);
  });

  it('every link end is a node, node names are unique, keys ride along for drill-down', () => {
    const o = buildSankeyOption({ pairs, label: () => 'same name', lang: 'en' });
    const s = seriesOf(o)[0]!;
    const names = (s.data as { name: string }[]).map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    for (const l of s.links!) {
      expect(names).toContain(l.source);
      expect(names).toContain(l.target);
    }
    expect(s.links!.map((l) => [l.sourceKey, l.targetKey])).toEqual(pairs.map((p) => [p.source, p.target]));
    // A flow of zero records keeps a visible sliver.
    expect(s.links![3]!.value).toBeGreaterThan(0);
  });
});

describe('charts: heatmap', () => {
  const cells = [
    { source: '1', target: '5', records: 100, accesses: 2 },
    { source: '5', target: '1', records: 40, accesses: 1 },
    { source: '1', target: '1', records: 7, accesses: 1 },
  ];
  it('rows and columns list the same keys in the same order, largest total first', () => {
    // Totals: '1' = 100 + 40 + 7 + 7 (both sides of the 1→1 cell) = 154, '5' = 140.
    expect(heatmapAxes(cells)).toEqual({ x: ['1', '5'], y: ['1', '5'] });
    // A key on one side only still gets its row and column.
    const oneSided = [...cells, { source: '9', target: '1', records: 500, accesses: 1 }];
    expect(heatmapAxes(oneSided)).toEqual({ x: ['1', '9', '5'], y: ['1', '9', '5'] });
  });
  it('cells land on their axis positions with their values; the first key is the top row', () => {
    const o = buildHeatmapOption({ cells, label: (k) => `k${k}`, lang: 'zh', axisNames: { x: 'p', y: 'c' } });
    const x = (o as { xAxis: { data: string[] } }).xAxis.data;
    const y = (o as { yAxis: { data: string[] } }).yAxis.data;
    expect(x).toEqual(['k1', 'k5']);
    // ECharts draws y from the bottom: reversed, so 'k1' is the top row as it is the left column.
    expect([...y].reverse()).toEqual(x);
    const data = seriesOf(o)[0]!.data as number[][];
    // 1→5: column '1' (0), row '5' (index 0 counted from the bottom: the lower row); 5→1 the mirror.
    expect(data[0]).toEqual([0, 0, 100, 2]);
    expect(data[1]).toEqual([1, 1, 40, 1]);
    // Coloured by records (dimension 2), not by the trailing accesses dimension.
    expect((o as { visualMap: { max: number; dimension: number } }).visualMap).toMatchObject({
      max: 100,
      dimension: 2,
    });
  });
});

describe('charts: china tile grid', () => {
  it('covers all 34 province codes exactly once', () => {
    expect(CHINA_TILES).toHaveLength(34);
    expect(CHINA_TILES.map((t) => t.code).sort()).toEqual(PROVINCES.map((p) => p.code).sort());
  });
  it('gives every province its own cell inside the grid', () => {
    const cells = CHINA_TILES.map((t) => `${t.row},${t.col}`);
    expect(new Set(cells).size).toBe(34);
    for (const t of CHINA_TILES) {
      expect(t.row).toBeGreaterThanOrEqual(0);
      expect(t.row).toBeLessThan(TILE_ROWS);
      expect(t.col).toBeGreaterThanOrEqual(0);
      expect(t.col).toBeLessThan(TILE_COLS);
    }
  });
  it('keeps rough geography: Heilongjiang north of Hainan, Xinjiang west of Shanghai', () => {
    const at = (c: number) => CHINA_TILES.find((t) => t.code === c)!;
    expect(at(230000).row).toBeLessThan(at(460000).row);
    expect(at(650000).col).toBeLessThan(at(310000).col);
  });
  it('tile map: provinces without data are grey, others coloured by value', () => {
    const o = buildTileMapOption({
      layout: provinceTiles('zh'),
      values: [
        { code: 440000, value: 0.8 },
        { code: 330000, value: 0.4 },
        { code: 110000, value: null },
      ],
      format: (v) => formatPercent(v),
      metricName: '网办率',
      noDataText: '暂无数据',
      kind: 'share',
    });
    const [coloured, grey] = seriesOf(o);
    expect(coloured!.data).toHaveLength(2);
    expect(grey!.data).toHaveLength(32);
    expect((o as { visualMap: { min: number; max: number } }).visualMap).toMatchObject({
      min: 0.4,
      max: 0.8,
    });
    const one = buildTileMapOption({
      layout: provinceTiles('zh'),
      values: [{ code: 440000, value: 0.337 }],
      format: (v) => formatPercent(v),
      metricName: '网办率',
      noDataText: '暂无数据',
      kind: 'share',
    });
    expect((one as { visualMap: { min: number; max: number } }).visualMap).toMatchObject({
      min: 0.3,
      max: 0.4,
    });
  });
  it('tile map: one region’s share gets a legend inside 0–100 %, not value … value + 100 %', () => {
    // The Guangdong regulator's map: one tile at 33.7 % (the legend read 33.7 %–133.7 %).
    expect(colorRange([0.337], 'share')).toEqual([0.3, 0.4]);
    // Two cities one point apart are not white and navy: both sit mid-scale.
    expect(colorRange([0.343, 0.353], 'share')).toEqual([0.3, 0.4]);
    expect(colorRange([1], 'share')).toEqual([0.9, 1]);
    expect(colorRange([0], 'share')).toEqual([0, 0.1]);
    expect(colorRange([0.05, 0.97], 'share')).toEqual([0, 1]);
    expect(colorRange([0.3], 'share')).toEqual([0.3, 0.4]);
    expect(colorRange([], 'share')).toEqual([0, 1]);
    for (const vs of [[0.337], [0.343, 0.353], [0.999, 0.001], [0.5]]) {
      const [lo, hi] = colorRange(vs, 'share');
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      for (const v of vs) expect(v >= lo && v <= hi).toBe(true);
    }
  });
  it('tile map: counts from 0 to a round number above the largest', () => {
    expect(colorRange([1234], 'count')).toEqual([0, 2000]);
    expect(colorRange([40, 7], 'count')).toEqual([0, 50]);
    expect(colorRange([0], 'count')).toEqual([0, 1]);
    expect(colorRange([100], 'count')).toEqual([0, 100]);
  });
  it('auto tiles lay cities out without overlap', () => {
    const l = autoTiles([440300, 440100, 440600].map((code) => ({ code, label: String(code) })));
    expect(l.tiles.map((t) => t.code)).toEqual([440100, 440300, 440600]);
    expect(new Set(l.tiles.map((t) => `${t.row},${t.col}`)).size).toBe(3);
  });
  it('tile map height follows the rows: three cities are one row, not one row over two blank ones', () => {
    const three = autoTiles([440300, 440100, 440600].map((code) => ({ code, label: String(code) })));
    expect(three.rows).toBe(1);
    expect(tileMapHeight(three.rows)).toBe(109);
    const nine = autoTiles(Array.from({ length: 9 }, (_, i) => ({ code: 460100 + i * 100, label: '' })));
    expect([nine.rows, nine.cols]).toEqual([3, 4]);
    expect(tileMapHeight(nine.rows)).toBe(199);
    // The national grid keeps the height it had (8 rows, 420 px before).
    expect(tileMapHeight(provinceTiles('zh').rows)).toBe(424);
    // Every row is the same height, whatever the number of rows.
    expect(tileMapHeight(3) - tileMapHeight(2)).toBe(TILE_ROW_PX);
  });
  it('tile map in words: the tiles with data and their values, in the layout order', () => {
    const values = [
      { code: 440000, value: 4 },
      { code: 330000, value: 2 },
      { code: 110000, value: null },
    ];
    expect(tileMapSummary(provinceTiles('zh'), values, String, 'zh')).toBe('浙江 2；广东 4');
    expect(tileMapSummary(provinceTiles('en'), values, String, 'en')).toBe('ZJ 2; GD 4');
    expect(tileMapSummary(provinceTiles('zh'), [], String, 'zh')).toBe('');
  });
});

describe('charts: formats', () => {
  it('counts in 万 / 亿 for Chinese, separators for English', () => {
    expect(formatCount(1234, 'zh')).toBe('1,234');
    expect(formatCount(123_456, 'zh')).toBe('12.3万');
    expect(formatCount(250_000_000, 'zh')).toBe('2.5亿');
    expect(formatCount(123_456, 'en')).toBe('123,456');
    expect(formatCount(2_500_000, 'en')).toBe('2.5M');
  });
  it('change against the previous period', () => {
    expect(formatChange(150, 100)).toEqual({ text: '+50.0%', dir: 'up' });
    expect(formatChange(50, 100)).toEqual({ text: '-50.0%', dir: 'down' });
    expect(formatChange(5, 0)).toEqual({ text: 'new', dir: 'up' });
    expect(formatChange(0, 0).dir).toBe('flat');
    expect(formatPercent(null)).toBe('—');
  });
  it('bubble area grows with cases', () => {
    expect(bubbleSize(0, 100)).toBe(10);
    expect(bubbleSize(100, 100)).toBe(40);
  });
});

describe('filters offer only what the user may see', () => {
  it('a Guangdong user is offered Guangdong and its cities; a city user only the city', () => {
    const gd = regionsInScope(440000);
    expect(gd[0]?.code).toBe(440000);
    expect(gd.every((r) => Math.floor(r.code / 10000) === 44)).toBe(true);
    expect(gd.map((r) => r.code)).toContain(440100);
    expect(regionsInScope(440100).map((r) => r.code)).toEqual([440100]);
    expect(regionsInScope(null).filter((r) => r.level === 'province')).toHaveLength(34);
  });
});

describe('rates change in percentage points', () => {
  it('31 % → 54 % is +23.0 个百分点, not +74.2 %', () => {
    expect(formatPointChange(0.54, 0.31)).toEqual({ text: '+23.0 个百分点', dir: 'up' });
    expect(formatPointChange(0.31, 0.54, 'en')).toEqual({ text: '-23.0 pp', dir: 'down' });
    expect(formatPointChange(0.3, 0.3004)).toEqual({ text: '0.0 个百分点', dir: 'flat' });
  });
});

describe('bars: a second name in the tooltip', () => {
  it('shows the English event name beside the Chinese label, escaped', () => {
    const o = buildRankBarsOption({
      lang: 'zh',
      items: [{ label: '数据访问', value: 4587, hint: '事件名 DataAccessed' }],
    });
    const tooltip = o.tooltip as { formatter: (p: unknown) => string };
    expect(
      tooltip.formatter([
        { axisValueLabel: '数据访问', name: '数据访问', seriesName: 'series0', value: 4587 },
      ]),
    ).toBe(
      '数据访问<br/>数据访问 <span style="color:#8a94a3">事件名 DataAccessed</span>&nbsp;&nbsp;<b>4,587</b>',
    );
    // Without hints the default tooltip stays.
    expect(
      buildRankBarsOption({ lang: 'en', items: [{ label: 'x', value: 1 }] }).tooltip as object,
    ).not.toHaveProperty('formatter');
  });
});

describe('adoption trend: the partial month never reads as a whole one', () => {
  // Guangdong's cities on 1 December 2026 (the month has one day of data): Guangzhou 120 cases,
  // Shenzhen 2 (both online), Zhuhai 1 (counter) — 100 % and 0 % would read as a jump and a collapse.
  const trend = {
    buckets: ['2026-10-01', '2026-11-01', '2026-12-01'],
    regions: [440100, 440300, 440400],
    partialBucket: '2026-12-01',
    points: [
      { bucket: '2026-10-01', regionCode: 440100, cases: 1000, online: 300 },
      { bucket: '2026-11-01', regionCode: 440100, cases: 1000, online: 320 },
      { bucket: '2026-12-01', regionCode: 440100, cases: 120, online: 42 },
      { bucket: '2026-10-01', regionCode: 440300, cases: 800, online: 280 },
      { bucket: '2026-11-01', regionCode: 440300, cases: 500, online: 175 },
      { bucket: '2026-12-01', regionCode: 440300, cases: 2, online: 2 },
      { bucket: '2026-11-01', regionCode: 440400, cases: 40, online: 10 },
      { bucket: '2026-12-01', regionCode: 440400, cases: 1, online: 0 },
    ],
  };

  it('the month-to-date share is drawn only on enough cases; whole months always', () => {
    expect(PARTIAL_MIN_CASES).toBe(30);
    expect(monthlyShareSeries(trend)).toEqual([
      { regionCode: 440100, values: [0.3, 0.32, 0.35] },
      { regionCode: 440300, values: [0.35, 0.35, NaN] },
      { regionCode: 440400, values: [NaN, 0.25, NaN] },
    ]);
    // A complete last month (the period ended with it) is drawn whatever its count.
    expect(monthlyShareSeries({ ...trend, partialBucket: null })[2]!.values).toEqual([NaN, 0.25, 0]);
  });

  it('the chart draws whole months solid and the partial one as a hollow point on a dashed tail', () => {
    const o = buildShareLinesOption({
      buckets: trend.buckets,
      lang: 'zh',
      partialBucket: trend.partialBucket,
      partialMark: '（未完）',
      series: monthlyShareSeries(trend).map((s) => ({ name: String(s.regionCode), values: s.values })),
    });
    const series = seriesOf(o);
    expect(series.map((s) => s.data)).toEqual([
      [0.3, 0.32, null],
      [null, 0.32, 0.35],
      [0.35, 0.35, null],
      [null, 0.35, null],
      [null, 0.25, null],
      [null, 0.25, null],
    ]);
    expect((o as { xAxis: { data: string[] } }).xAxis.data).toEqual([
      '2026-10',
      '2026-11',
      '2026-12（未完）',
    ]);
  });
});

describe('stacked bars: the bucket still running is drawn as to date', () => {
  type Bar = { data: (number | { value: number; itemStyle: Record<string, unknown> })[] };
  const opts = (partialBucket: string | null) =>
    buildStackedBarsOption({
      buckets: ['2026-11-30', '2026-12-01', '2026-12-02'],
      granularity: 'day',
      lang: 'zh',
      series: [
        { name: '数据共享', hint: '合约名 DataSharing', color: '#2f6db5', values: [5, 6, 1] },
        { name: '政务服务', color: '#e08a2e', values: [2, 3, 0] },
      ],
      partialBucket,
      partialMark: '（未完）',
      partialNote: '今日尚未结束，为截至目前的数字',
    });

  it('marks today in the axis label, pales its bars with a dashed outline, says so in the tooltip', () => {
    const o = opts('2026-12-02');
    expect((o.xAxis as { data: string[] }).data).toEqual(['11-30', '12-01', '12-02（未完）']);
    const bars = o.series as Bar[];
    expect(bars[0]!.data.slice(0, 2)).toEqual([5, 6]);
    expect(bars[0]!.data[2]).toEqual({
      value: 1,
      itemStyle: { opacity: 0.35, borderColor: '#2f6db5', borderType: 'dashed', borderWidth: 1.5 },
    });
    expect(bars[1]!.data[2]).toMatchObject({ value: 0, itemStyle: { borderColor: '#e08a2e' } });
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const rows = (i: number, label: string) => [
      { axisValueLabel: label, seriesName: '数据共享', marker: '', value: [5, 6, 1][i], dataIndex: i },
      { axisValueLabel: label, seriesName: '政务服务', marker: '', value: [2, 3, 0][i], dataIndex: i },
    ];
    expect(fmt(rows(2, '12-02（未完）'))).toContain('12-02（未完）');
    expect(fmt(rows(2, '12-02（未完）'))).toContain('今日尚未结束，为截至目前的数字');
    expect(fmt(rows(1, '12-01'))).not.toContain('尚未结束');
  });

  it('draws a complete period plainly', () => {
    const o = opts(null);
    expect((o.xAxis as { data: string[] }).data).toEqual(['11-30', '12-01', '12-02']);
    expect((o.series as Bar[])[0]!.data).toEqual([5, 6, 1]);
  });
});

describe('indexing rate', () => {
  it('reads per second from 1 a second up, one decimal at most', () => {
    expect(formatEventRate(12.345)).toEqual({ display: '12.3', per: 'second' });
    expect(formatEventRate(1)).toEqual({ display: '1', per: 'second' });
    expect(formatEventRate(1520.5, 'en')).toEqual({ display: '1,520.5', per: 'second' });
  });

  it("reads per minute below 1 a second, so the demo's slow pace does not show as 0.0", () => {
    // 2 events in the last 60 s is 0.03 a second, which read 0.0 事件/秒.
    expect(formatEventRate(6 / 60)).toEqual({ display: '6', per: 'minute' });
    expect(formatEventRate(2 / 60)).toEqual({ display: '2', per: 'minute' });
    expect(formatEventRate(59 / 60)).toEqual({ display: '59', per: 'minute' });
    expect(formatEventRate(0)).toEqual({ display: '0', per: 'minute' });
  });
});
