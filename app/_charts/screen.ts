import type { EChartsOption } from 'echarts';

/**
 * The wall display's variant of a dashboard option: light text on the dark stage and larger
 * labels (read from across the room). Pure: patches the label styles of every series.
 */
export function forWallDisplay(option: EChartsOption, labelSize = 18): EChartsOption {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  return {
    ...option,
    textStyle: { fontSize: labelSize },
    series: series.map((s) => {
      const label = (s as { label?: Record<string, unknown> }).label ?? {};
      return {
        ...s,
        label: { ...label, color: '#e8eef6', fontSize: labelSize, textBorderWidth: 0 },
      };
    }),
  };
}
