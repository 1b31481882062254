import type { EChartsOption } from 'echarts';

type Styled = { label?: Record<string, unknown>; itemStyle?: Record<string, unknown> };

const STAGE_BG = '#070d18';
const MUTED_TILE = '#14213a';

/**
 * The wall display's variant of a dashboard option (Sankey, tile map): light text with a dark
 * outline, readable on pale and deep fills alike, larger labels (read from across the room), tile
 * borders and "no data" tiles in the stage's dark colours. Pure: patches styles, never data.
 */
export function forWallDisplay(option: EChartsOption, labelSize = 18): EChartsOption {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  const visualMap = option.visualMap && !Array.isArray(option.visualMap) ? option.visualMap : undefined;
  return {
    ...option,
    textStyle: { fontSize: labelSize },
    ...(visualMap
      ? { visualMap: { ...visualMap, itemHeight: 260, textStyle: { color: '#c8d4e3', fontSize: labelSize } } }
      : {}),
    series: series.map((raw) => {
      const s = raw as Styled;
      const label = s.label ?? {};
      // A series whose builder fixed a label colour is the muted one ("no data").
      const muted = label.color !== undefined && label.color !== 'inherit';
      const itemStyle = s.itemStyle
        ? {
            ...s.itemStyle,
            ...(s.itemStyle.borderColor === '#fff' ? { borderColor: STAGE_BG } : {}),
            ...(muted && s.itemStyle.color ? { color: MUTED_TILE } : {}),
          }
        : undefined;
      return {
        ...raw,
        label: {
          ...label,
          fontSize: labelSize,
          lineHeight: Math.round(labelSize * 1.3),
          ...(muted
            ? { color: '#5c7393', textBorderWidth: 0 }
            : { color: '#ffffff', textBorderColor: '#06101f', textBorderWidth: 3 }),
        },
        ...(itemStyle ? { itemStyle } : {}),
      };
    }),
  };
}
