'use client';
import { BarChart, HeatmapChart, LineChart, SankeyChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws: keeps the client bundle small (tree-shaken echarts/core).
echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  SankeyChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  LabelLayout,
  CanvasRenderer,
]);

export interface ChartClick {
  seriesIndex?: number;
  dataType?: string;
  data: unknown;
}

/**
 * Renders an option built by a pure builder of app/_charts; resizes with its box. Disposed on
 * unmount (the wall display mounts and unmounts panels on every rotation, for days).
 */
export function EChart({
  option,
  height = 320,
  label,
  onClick,
  testId,
  theme,
  pixelScale,
}: {
  option: EChartsOption;
  height?: number;
  /** Accessible name of the chart (it is a canvas). */
  label: string;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  /** ECharts' built-in theme ('dark' on the wall display); the light default otherwise. */
  theme?: 'dark';
  /** Multiplies the device pixel ratio: a stage scaled up by CSS stays sharp. */
  pixelScale?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, theme, {
      renderer: 'canvas',
      devicePixelRatio: pixelScale ? (window.devicePixelRatio || 1) * pixelScale : undefined,
    });
    chart.current = c;
    // 'finished' fires once animations are over: screenshots and tests wait for data-drawn.
    c.on('finished', () => el.setAttribute('data-drawn', 'true'));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme, pixelScale]);

  // Also after a new theme or scale: the chart was made again, empty.
  useEffect(() => {
    box.current?.setAttribute('data-drawn', 'false');
    chart.current?.setOption(option, { notMerge: true });
  }, [option, theme, pixelScale]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const handler = (e: unknown) => onClick(e as ChartClick);
    c.on('click', handler);
    return () => {
      c.off('click', handler);
    };
  }, [onClick]);

  return (
    <div
      ref={box}
      style={{ height, width: '100%' }}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-echart=""
    />
  );
}
