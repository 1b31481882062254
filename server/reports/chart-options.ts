import type { EChartsOption } from 'echarts';
import { ACCESS_MODES, CHANNELS, DATASET_CATEGORIES, labelOf } from '../../domain/codes';
import { regionName } from '../../domain/regions';
import { comparisonUnit } from './region';
import { RULES, type RuleId } from '../../domain/rules';
import type { ReportFigures } from './figures-types';

/**
 * ECharts options of the report's charts: pure functions of the stored figures, so the page,
 * the HTML download and the PDF draw the same SVG. Colours match the dashboard's palette
 * (app/_charts/palette.ts; app/ is not importable from server/). No animation: rendered once.
 */
export const FONT = 'Noto Sans CJK SC, Noto Sans SC, sans-serif';
const INK = '#5f6b7a';
const GRID = '#e7ebf0';
const BLUE = '#2f6db5';
const CHANNEL_COLORS = ['#5b7083', '#2f6db5', '#2a9d8f'];
const MODE_COLORS: Record<number, string> = { 1: '#2f6db5', 2: '#2a9d8f', 4: '#e08a1e', 8: '#8e5cb5' };

export interface ChartSpec {
  id: string;
  titleZh: string;
  width: number;
  height: number;
  option: EChartsOption;
}

const base = { animation: false, textStyle: { fontFamily: FONT, fontSize: 11 } } as const;

/** 'YYYY-MM' → '2026年9月' on the first and January ticks, '10月' elsewhere. */
function monthTick(m: string, i: number): string {
  const month = Number(m.slice(5, 7));
  return i === 0 || month === 1 ? `${m.slice(0, 4)}年${month}月` : `${month}月`;
}

export function trendChart(f: ReportFigures, width: number): ChartSpec {
  const t = f.adoption.trend;
  const share = t.map((m) => {
    const total = m.window + m.web + m.mobile;
    return total > 0 ? Number((((m.web + m.mobile) / total) * 100).toFixed(1)) : null;
  });
  const channel = (c: 1 | 2 | 3, values: number[], i: number) => ({
    type: 'bar' as const,
    name: labelOf(CHANNELS, c),
    stack: 'cases',
    data: values,
    barMaxWidth: 26,
    itemStyle: { color: CHANNEL_COLORS[i] },
  });
  return {
    id: 'trend',
    titleZh: '办件渠道构成与网办率（按月）',
    width,
    height: 250,
    option: {
      ...base,
      legend: { top: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: INK } },
      grid: {
        left: 8,
        right: 8,
        top: 30,
        bottom: 4,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'category',
        data: t.map((m, i) => monthTick(m.month, i)),
        axisLabel: { color: INK, interval: 0, fontSize: 10 },
      },
      yAxis: [
        {
          type: 'value',
          name: '办件（件）',
          nameTextStyle: { color: INK },
          axisLabel: { color: INK },
          splitLine: { lineStyle: { color: GRID } },
        },
        {
          type: 'value',
          name: '网办率（%）',
          min: 0,
          max: 100,
          nameTextStyle: { color: INK },
          axisLabel: { color: INK },
          splitLine: { show: false },
        },
      ],
      series: [
        channel(
          1,
          t.map((m) => m.window),
          0,
        ),
        channel(
          2,
          t.map((m) => m.web),
          1,
        ),
        channel(
          3,
          t.map((m) => m.mobile),
          2,
        ),
        {
          type: 'line',
          name: '网办率',
          yAxisIndex: 1,
          data: share,
          connectNulls: false,
          symbolSize: 5,
          itemStyle: { color: '#e08a1e' },
          lineStyle: { width: 2 },
        },
      ],
    },
  };
}

export function categoryChart(f: ReportFigures, width: number): ChartSpec {
  const rows = [...f.sharing.byCategory].slice(0, 10).reverse();
  return {
    id: 'categories',
    titleZh: '共享数据量（条）按数据类别',
    width,
    height: Math.max(120, 26 * rows.length + 40),
    option: {
      ...base,
      grid: {
        left: 8,
        right: 48,
        top: 8,
        bottom: 4,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'value',
        axisLabel: { color: INK, fontSize: 10 },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: {
        type: 'category',
        data: rows.map((r) => labelOf(DATASET_CATEGORIES, r.category)),
        axisLabel: { color: INK },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.records),
          itemStyle: { color: BLUE },
          barMaxWidth: 16,
          label: { show: true, position: 'right', color: INK, fontSize: 10 },
        },
      ],
    },
  };
}

export function modeChart(f: ReportFigures, width: number): ChartSpec {
  return {
    id: 'modes',
    titleZh: '数据访问次数按访问方式',
    width,
    height: 220,
    option: {
      ...base,
      legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { color: INK } },
      series: [
        {
          type: 'pie',
          radius: ['38%', '62%'],
          center: ['50%', '44%'],
          label: { formatter: '{b}\n{d}%', color: INK, fontSize: 10 },
          data: f.sharing.byMode.map((m) => ({
            name: labelOf(ACCESS_MODES, m.mode),
            value: m.accesses,
            itemStyle: { color: MODE_COLORS[m.mode] ?? INK },
          })),
        },
      ],
    },
  };
}

export function peerChart(f: ReportFigures, width: number): ChartSpec | null {
  const c = f.comparison;
  if (!c || c.rows.length === 0) return null;
  const rows = c.rows.filter((r) => r.onlineShare !== null);
  const noun = f.region.level === 'nation' ? '各省份' : `本省各${comparisonUnit(f.region).zh}`;
  return {
    id: 'peers',
    titleZh: `${noun}网办率对比`,
    width,
    height: 230,
    option: {
      ...base,
      grid: {
        left: 8,
        right: 8,
        top: 20,
        bottom: 4,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'category',
        data: rows.map((r) => regionName(r.code)),
        axisLabel: { color: INK, interval: 0, rotate: rows.length > 8 ? 30 : 0, fontSize: 10 },
      },
      yAxis: {
        type: 'value',
        max: 100,
        axisLabel: { color: INK, formatter: '{value}%' },
        splitLine: { lineStyle: { color: GRID } },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 26,
          label: { show: true, position: 'top', color: INK, fontSize: 9, formatter: '{c}%' },
          data: rows.map((r) => ({
            value: Number(((r.onlineShare ?? 0) * 100).toFixed(1)),
            // The report's own region stands out; the rest stay quiet.
            itemStyle: { color: r.code === f.region.code ? '#e08a1e' : '#9db7d9' },
          })),
        },
      ],
    },
  };
}

export function incidentChart(f: ReportFigures, width: number): ChartSpec | null {
  const rows = [...f.oversight.byRule].reverse();
  if (rows.length === 0) return null;
  return {
    id: 'incidents',
    titleZh: '异常事件按规则',
    width,
    height: Math.max(110, 22 * rows.length + 30),
    option: {
      ...base,
      grid: {
        left: 8,
        right: 36,
        top: 8,
        bottom: 4,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: INK, fontSize: 10 },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: {
        type: 'category',
        data: rows.map((r) => RULES[r.rule as RuleId]?.zh ?? r.rule),
        axisLabel: { color: INK, fontSize: 10 },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.count),
          itemStyle: { color: '#c0392b' },
          barMaxWidth: 14,
          label: { show: true, position: 'right', color: INK, fontSize: 10 },
        },
      ],
    },
  };
}
