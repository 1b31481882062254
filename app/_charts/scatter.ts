import type { EChartsOption } from 'echarts';
import { formatExact, formatPercent, type Lang, escapeHtml } from './format';
import { AXIS_INK, GRID_LINE } from './palette';

export interface BreadthDepthPoint {
  code: number;
  label: string;
  /** Share of service items fully online (0–1). */
  breadth: number;
  /** Share of cases handled online (0–1). */
  depth: number;
  cases: number;
}

/** Bubble size grows with the square root of cases, so area (not radius) tracks volume. */
export function bubbleSize(cases: number, maxCases: number): number {
  if (maxCases <= 0) return 10;
  return 10 + 30 * Math.sqrt(Math.max(cases, 0) / maxCases);
}

/** 广度 (items fully online) against 深度 (cases handled online), one bubble per region. */
export function buildBreadthDepthOption(p: {
  points: readonly BreadthDepthPoint[];
  lang: Lang;
  axisNames: { x: string; y: string };
}): EChartsOption {
  const max = Math.max(0, ...p.points.map((x) => x.cases));
  const casesWord = p.lang === 'zh' ? '办件' : 'cases';
  return {
    tooltip: {
      confine: true,
      formatter: (raw: unknown) => {
        const d = (raw as { data: { pt: BreadthDepthPoint } }).data.pt;
        return `${escapeHtml(d.label)}<br/>${p.axisNames.x}: ${formatPercent(d.breadth)}<br/>${p.axisNames.y}: ${formatPercent(d.depth)}<br/>${casesWord}: ${formatExact(d.cases, p.lang)}`;
      },
    },
    grid: { left: 8, right: 64, top: 24, bottom: 28, containLabel: true },
    xAxis: {
      type: 'value',
      name: p.axisNames.x,
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      max: 1,
      axisLabel: { color: AXIS_INK, formatter: (v: number) => formatPercent(v, 0) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: {
      type: 'value',
      name: p.axisNames.y,
      min: 0,
      max: 1,
      axisLabel: { color: AXIS_INK, formatter: (v: number) => formatPercent(v, 0) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      {
        type: 'scatter',
        data: p.points.map((pt) => ({
          value: [pt.breadth, pt.depth],
          pt,
          symbolSize: bubbleSize(pt.cases, max),
        })),
        itemStyle: { color: '#2f6db5', opacity: 0.75, borderColor: '#fff' },
        label: {
          show: true,
          position: 'right',
          formatter: (x: unknown) => (x as { data: { pt: BreadthDepthPoint } }).data.pt.label,
          color: '#1d2733',
          fontSize: 11,
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#b0bac6', type: 'dashed' },
          label: { show: false },
          data: [{ xAxis: 0.5 }, { yAxis: 0.5 }],
        },
      },
    ],
  };
}
