'use client';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { EChart } from '../_charts/EChart';

/**
 * A chart of the wall display: the dashboard's EChart with ECharts' dark theme, no background of
 * its own and no animation, and a pixel ratio that follows the stage's scale so a 1920×1080
 * layout shown at 4K stays sharp.
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
  const onScreen = useMemo(
    (): EChartsOption => ({ ...option, backgroundColor: 'transparent', animation: false }),
    [option],
  );
  return (
    <EChart option={onScreen} height={height} label={label} testId={testId} theme="dark" pixelScale={scale} />
  );
}
