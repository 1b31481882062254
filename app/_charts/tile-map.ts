import type { EChartsOption } from 'echarts';
import { CHINA_TILES, TILE_COLS, TILE_ROWS } from './china-tile-grid';
import { type Lang, escapeHtml } from './format';
import { NO_DATA, SEQUENTIAL } from './palette';

export interface TileValue {
  code: number;
  /** null: no data for this region in the period (drawn grey). */
  value: number | null;
}

export interface PlacedTile {
  code: number;
  label: string;
  row: number;
  col: number;
}

/** Province tiles at their fixed positions (china-tile-grid.ts). */
export function provinceTiles(lang: Lang): { tiles: PlacedTile[]; rows: number; cols: number } {
  return {
    tiles: CHINA_TILES.map((t) => ({
      code: t.code,
      label: lang === 'zh' ? t.short : t.shortEn,
      row: t.row,
      col: t.col,
    })),
    rows: TILE_ROWS,
    cols: TILE_COLS,
  };
}

/** Cities of a drilled province have no fixed grid: lay them out row by row, in code order. */
export function autoTiles(items: readonly { code: number; label: string }[]): {
  tiles: PlacedTile[];
  rows: number;
  cols: number;
} {
  // At least 4 columns, so two or three cities do not become giant tiles; the rows are only as many
  // as the cities fill, and the chart's height follows them (tileMapHeight), so a province of
  // three cities is one row of tiles, not one row above two blank ones.
  const cols = Math.max(4, Math.min(6, Math.ceil(Math.sqrt(items.length * 1.5))));
  const sorted = [...items].sort((a, b) => a.code - b.code);
  return {
    tiles: sorted.map((it, i) => ({
      code: it.code,
      label: it.label,
      row: Math.floor(i / cols),
      col: i % cols,
    })),
    rows: Math.max(1, Math.ceil(sorted.length / cols)),
    cols,
  };
}

/** Height of one row of tiles, px: two 16 px label lines (name, value) and the tile's borders. */
export const TILE_ROW_PX = 45;
/** Space below the tiles for the colour legend (the grid's bottom) and above them (its top). */
const TILE_MAP_CHROME_PX = 64;

/**
 * The chart's height for a layout of `rows` rows: rows of a fixed height plus the legend. The
 * national grid (8 rows) is 424 px, as before; a province of three cities (one row) 109 px, where
 * a fixed 420 px left two thirds of the card blank.
 */
export function tileMapHeight(rows: number): number {
  return Math.max(1, rows) * TILE_ROW_PX + TILE_MAP_CHROME_PX;
}

/**
 * The map in words, for screen readers (the chart is a canvas): each tile with data and its
 * value, in layout order, e.g. "广州市 3；深圳市 1".
 */
export function tileMapSummary(
  layout: { tiles: readonly PlacedTile[] },
  values: readonly TileValue[],
  format: (v: number) => string,
  lang: Lang,
): string {
  const byCode = new Map(values.map((v) => [v.code, v.value]));
  return layout.tiles
    .filter((t) => byCode.get(t.code) !== null && byCode.get(t.code) !== undefined)
    .map((t) => `${t.label} ${format(byCode.get(t.code) ?? 0)}`)
    .join(lang === 'zh' ? '；' : '; ');
}

/**
 * The colour scale's ends. A share is drawn on whole 10-percentage-point steps that contain the
 * values, inside 0–100 % (one Guangdong tile at 33.7 % used to get a legend of 33.7–133.7 %, and
 * two cities 1 point apart were coloured white and navy); a count from 0 to a round number above
 * the largest value. So equal colours mean close values, whatever the number of tiles.
 */
export function colorRange(values: readonly number[], kind: 'share' | 'count'): [number, number] {
  if (kind === 'share') {
    if (values.length === 0) return [0, 1];
    const step = 0.1;
    let lo = Math.floor(Math.min(...values) / step + 1e-9) * step;
    let hi = Math.ceil(Math.max(...values) / step - 1e-9) * step;
    if (hi <= lo) hi = lo + step;
    if (hi > 1) {
      hi = 1;
      lo = Math.min(lo, 1 - step);
    }
    return [round6(Math.max(0, lo)), round6(hi)];
  }
  const max = Math.max(0, ...values);
  if (max === 0) return [0, 1];
  const mag = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 2.5, 5, 10].find((m) => m * mag >= max) ?? 10;
  return [0, nice * mag];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A tile map: a heatmap on a rows × cols category grid; each tile shows its short name and the
 * formatted value. Tiles without data form a second, grey series outside the visual map.
 */
export function buildTileMapOption(p: {
  layout: { tiles: PlacedTile[]; rows: number; cols: number };
  values: readonly TileValue[];
  format: (v: number) => string;
  metricName: string;
  noDataText: string;
  /** How the colour scale is spanned (colorRange). */
  kind: 'share' | 'count';
}): EChartsOption {
  const byCode = new Map(p.values.map((v) => [v.code, v.value]));
  const withData = p.layout.tiles.filter(
    (t) => byCode.get(t.code) !== null && byCode.get(t.code) !== undefined,
  );
  const without = p.layout.tiles.filter((t) => !withData.includes(t));
  const vals = withData.map((t) => byCode.get(t.code) ?? 0);
  const [min, max] = colorRange(vals, p.kind);
  // y: row 0 at the top, so rows count down the category axis.
  const y = (row: number) => p.layout.rows - 1 - row;
  const datum = (t: PlacedTile, v: number | null) => ({
    value: [t.col, y(t.row), v ?? 0],
    name: t.label,
    code: t.code,
    raw: v,
  });
  const label = (withValue: boolean) => ({
    show: true,
    fontSize: 12,
    lineHeight: 16,
    formatter: (x: unknown) => {
      const d = (x as { data: { name: string; raw: number | null } }).data;
      return withValue && d.raw !== null ? `${d.name}\n${p.format(d.raw)}` : d.name;
    },
  });
  return {
    tooltip: {
      confine: true,
      formatter: (x: unknown) => {
        const d = (x as { data: { name: string; raw: number | null } }).data;
        return `${escapeHtml(d.name)}<br/>${escapeHtml(p.metricName)}: ${d.raw === null ? p.noDataText : p.format(d.raw)}`;
      },
    },
    grid: { left: 4, right: 4, top: 4, bottom: TILE_MAP_CHROME_PX - 4 },
    xAxis: { type: 'category', data: Array.from({ length: p.layout.cols }, (_, i) => i), show: false },
    yAxis: { type: 'category', data: Array.from({ length: p.layout.rows }, (_, i) => i), show: false },
    visualMap: {
      seriesIndex: 0,
      min,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      inRange: { color: SEQUENTIAL },
      formatter: (v: unknown) => p.format(Number(v)),
    },
    series: [
      {
        type: 'heatmap',
        data: withData.map((t) => datum(t, byCode.get(t.code) ?? null)),
        label: label(true),
        itemStyle: { borderColor: '#fff', borderWidth: 3, borderRadius: 4 },
        emphasis: { itemStyle: { borderColor: '#1d2733', borderWidth: 2 } },
      },
      {
        type: 'heatmap',
        data: without.map((t) => datum(t, null)),
        label: { ...label(false), color: '#8a96a3' },
        itemStyle: { color: NO_DATA, borderColor: '#fff', borderWidth: 3, borderRadius: 4 },
      },
    ],
  };
}
