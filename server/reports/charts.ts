import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import {
  categoryChart,
  incidentChart,
  modeChart,
  peerChart,
  trendChart,
  type ChartSpec,
} from './chart-options';
import type { ReportFigures } from './figures-types';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, SVGRenderer]);

/** Width of the printable A4 column (210 mm − 2 × 14 mm margins ≈ 688 CSS px). */
export const FULL_WIDTH = 680;
export const HALF_WIDTH = 330;

/**
 * Server-side ECharts → SVG string. ECharts numbers its CSS classes and clip-path ids with
 * process-wide counters, so the raw string differs between two renders of the same option; the
 * hover styles are useless on paper, so they go, and the remaining ids are renumbered per chart.
 * That makes a regenerated report byte-identical and keeps ids unique within one document.
 */
export function renderSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: spec.width,
    height: spec.height,
  });
  try {
    chart.setOption(spec.option);
    const raw = chart.renderToSVGString();
    const ids = new Map<string, string>();
    return raw
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/\s(?:class|ecmeta_[a-z_]+)="[^"]*"/g, '')
      .replace(/zr\d+-[a-z]*\d+/g, (id) => {
        let n = ids.get(id);
        if (!n) ids.set(id, (n = `${spec.id}-${ids.size}`));
        return n;
      });
  } finally {
    chart.dispose();
  }
}

export interface RenderedChart {
  id: string;
  titleZh: string;
  svg: string;
  half: boolean;
}

/** Every chart of the report, in reading order; sections without data draw none. */
export function renderCharts(f: ReportFigures): Record<string, RenderedChart> {
  const specs: [ChartSpec | null, boolean][] = [
    [trendChart(f, FULL_WIDTH), false],
    [peerChart(f, FULL_WIDTH), false],
    [f.sharing.byCategory.length ? categoryChart(f, HALF_WIDTH) : null, true],
    [f.sharing.byMode.length ? modeChart(f, HALF_WIDTH) : null, true],
    [incidentChart(f, FULL_WIDTH), false],
  ];
  const out: Record<string, RenderedChart> = {};
  for (const [spec, half] of specs) {
    if (spec) out[spec.id] = { id: spec.id, titleZh: spec.titleZh, svg: renderSvg(spec), half };
  }
  return out;
}
