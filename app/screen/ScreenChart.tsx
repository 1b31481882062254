'use client';
import { BarChart, HeatmapChart, SankeyChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  HeatmapChart,
  SankeyChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/**
 * A chart of the wall display: ECharts' dark theme, and a pixel ratio that follows the stage's
 * scale so a 1920×1080 layout shown at 4K stays sharp. Disposed on unmount: panels mount and
 * unmount on every rotation, for days.
 */
export function ScreenChart({
  option,
  height,
  scale,
  label,
  testId,
}: {
  option: EChartsOption;
  height: number;
  scale: number;
  label: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, 'dark', {
      renderer: 'canvas',
      devicePixelRatio: (window.devicePixelRatio || 1) * scale,
    });
    chart.current = c;
    c.on('finished', () => el.setAttribute('data-drawn', 'true'));
    return () => {
      c.dispose();
      chart.current = null;
    };
  }, [scale]);
  useEffect(() => {
    chart.current?.setOption(
      { ...option, backgroundColor: 'transparent', animation: false },
      { notMerge: true },
    );
  }, [option, scale]);
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
