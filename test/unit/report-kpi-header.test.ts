import { describe, expect, it } from 'vitest';
import { KPI_IDS, type Kpi, type KpiId } from '../../server/reports/figures-types';
import { reportSpan } from '../../server/reports/compose';
import { kpiTable, reportMetaZh } from '../../server/reports/html';
import { kpiTableEn, reportMetaEn } from '../../server/reports/html-en';
import { parseReportPeriod, type ReportPeriod } from '../../server/reports/period';

const kpi: Kpi = { value: 10, previous: 8, rank: 1, peers: 3 };
const kpis = Object.fromEntries(KPI_IDS.map((id) => [id, kpi])) as Record<KpiId, Kpi>;
const period: ReportPeriod = {
  key: '2026-11',
  kind: 'month',
  from: '2026-11-01',
  to: '2026-11-30',
  labelZh: '2026年11月',
};
const partial = { through: '2026-11-15', days: 15, ofDays: 30 };

/** The header cells of the first table row, in order. */
function headers(html: string): string[] {
  const thead = /<thead>(.*?)<\/thead>/.exec(html)?.[1] ?? '';
  return [...thead.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1] ?? '');
}

describe('KPI table header for the previous period', () => {
  it('names the same days of last month while the month is running (zh)', () => {
    const h = headers(kpiTable({ kpis, period, partial }));
    expect(h).toEqual(['指标', '本期', '上月同期', '变化', '排名']);
    expect(h).not.toContain('上月');
  });

  it('names last month once the month is complete (zh)', () => {
    const h = headers(kpiTable({ kpis, period, partial: null }));
    expect(h).toEqual(['指标', '本期', '上月', '变化', '排名']);
    expect(h).not.toContain('上月同期');
  });

  it('names the same days of last month while the month is running (en)', () => {
    const h = headers(kpiTableEn({ kpis, period, partial }));
    expect(h).toEqual(['Metric', 'This period', 'Previous month, same days', 'Change', 'Rank']);
  });

  it('names last month once the month is complete (en)', () => {
    const h = headers(kpiTableEn({ kpis, period, partial: null }));
    expect(h).toEqual(['Metric', 'This period', 'Previous month', 'Change', 'Rank']);
  });

  it('uses the quarter for a quarterly report', () => {
    const q: ReportPeriod = { ...period, key: '2026-Q4', kind: 'quarter', to: '2026-12-31' };
    expect(headers(kpiTable({ kpis, period: q, partial }))[2]).toBe('上季度同期');
    expect(headers(kpiTableEn({ kpis, period: q, partial: null }))[2]).toBe('Previous quarter');
  });
});

describe('report header names the comparison period the figures use', () => {
  const meta = (key: string, today: string, dataThrough = today) => {
    const p = parseReportPeriod(key);
    if (!p) throw new Error(key);
    const s = reportSpan(p, today);
    const f = { period: p, previous: s.previous, partial: s.partial, dataThrough, chainId: 31337 };
    return { zh: reportMetaZh(f), en: reportMetaEn(f) };
  };

  it('a running month is compared with the same days of last month (zh and en)', () => {
    const m = meta('2026-12', '2026-12-02');
    expect(m.zh).toContain('对比期：2026年11月1日–2日（上月同期） · ');
    expect(m.zh).not.toContain('对比期：2026年11月 ');
    expect(m.en).toContain('compared with 1–2 November 2026 (previous month, same days) · ');
  });

  it('on the 1st the comparison is one day', () => {
    const m = meta('2026-12', '2026-12-01');
    expect(m.zh).toContain('对比期：2026年11月1日（上月同期）');
    expect(m.en).toContain('compared with 1 November 2026 (previous month, same days)');
  });

  it('a running quarter spanning months names both ends', () => {
    const m = meta('2026-Q4', '2026-11-15');
    expect(m.zh).toContain('对比期：2026年7月1日–8月15日（上季度同期）');
    expect(m.en).toContain('compared with 1 July – 15 August 2026 (previous quarter, same days)');
  });

  it('a complete month keeps the whole previous month', () => {
    const m = meta('2026-11', '2026-12-02', '2026-12-02');
    expect(m.zh).toContain('对比期：2026年10月 · ');
    expect(m.zh).not.toContain('同期');
    expect(m.en).toContain('compared with October 2026 · ');
    expect(m.en).not.toContain('same days');
  });
});
