import { CHANNELS, labelOf, ACCESS_MODES, DATASET_CATEGORIES } from '../../domain/codes';
import { regionName } from '../../domain/regions';
import { comparisonUnit } from './region';
import { INCIDENT_STATUSES } from '../../domain/rules';
import { renderCharts, type RenderedChart } from './charts';
import { FONT } from './chart-options';
import { KPI_IDS, KPI_META, type Kpi, type KpiId, type ReportFigures } from './figures-types';
import { count, dayZh, duration, escapeHtml as e, hours, pct, relativeChange } from './format';
import { leadershipSection } from './html-leadership';
import { supervisionSection } from './html-supervision';
import { PREVIOUS_ZH } from './period';
import { REPORT_CSS, PAGE_CSS } from './styles';

const STATUS_ZH: Record<string, string> = {
  open: '待处理',
  acknowledged: '已确认',
  escalated: '已上报',
  resolved: '已办结',
  dismissed: '已排除',
};

function kpiText(id: KpiId, v: number | null): string {
  const unit = KPI_META[id].unit;
  if (unit === 'share') return pct(v);
  if (unit === 'minutes') return duration(v);
  if (unit === 'hours') return hours(v);
  return count(v);
}

/** Change against the previous period: percentage points for shares, percent for the rest. */
function changeText(id: KpiId, k: Kpi): string {
  if (k.value === null || k.previous === null) return '—';
  if (KPI_META[id].unit === 'share') {
    const d = (k.value - k.previous) * 100;
    return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(1)} 个百分点`;
  }
  const r = relativeChange(k.value, k.previous);
  if (r === null) return '—';
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r).toFixed(1)}%`;
}

function figure(c: RenderedChart | undefined): string {
  if (!c) return '';
  return `<figure class="lj-figure${c.half ? ' lj-half' : ''}" data-chart="${c.id}"><figcaption>${e(c.titleZh)}</figcaption>${c.svg}</figure>`;
}

/** A table whose first `textCols` columns are text (left-aligned) and the rest numbers. */
function table(head: string[], rows: string[][], cls = '', textCols = 1): string {
  const at = (i: number) => (i < textCols ? ' class="t"' : '');
  const th = head.map((h, i) => `<th${at(i)}>${e(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${at(i)}>${c}</td>`).join('')}</tr>`).join('');
  return `<table class="lj-table ${cls}"><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

/**
 * What the header names as the comparison period: the whole previous period once this one is
 * complete (2026年11月), else the same days the figures are compared with (2026年11月1日–2日（上月同期）).
 */
export function comparedWithZh(f: Pick<ReportFigures, 'period' | 'previous' | 'partial'>): string {
  if (!f.partial) return f.previous.labelZh;
  const { from, to } = f.previous;
  const d = (day: string) => Number(day.slice(8, 10));
  const m = (day: string) => Number(day.slice(5, 7));
  const span =
    from === to
      ? dayZh(from)
      : from.slice(0, 7) === to.slice(0, 7)
        ? `${dayZh(from)}–${d(to)}日`
        : from.slice(0, 4) === to.slice(0, 4)
          ? `${dayZh(from)}–${m(to)}月${d(to)}日`
          : `${dayZh(from)}–${dayZh(to)}`;
  return `${span}（${PREVIOUS_ZH[f.period.kind]}同期）`;
}

/** The headline table; exported for its tests. */
export function kpiTable(f: Pick<ReportFigures, 'kpis' | 'period' | 'partial'>): string {
  // A running period is compared with the same days of the previous one: 上月同期, not 上月.
  const prev = f.partial ? `${PREVIOUS_ZH[f.period.kind]}同期` : PREVIOUS_ZH[f.period.kind];
  const rows = KPI_IDS.map((id) => {
    const k = f.kpis[id];
    const rank = k.rank !== null && k.peers !== null ? `${k.rank} / ${k.peers}` : '—';
    return [
      e(KPI_META[id].zh),
      `<strong data-kpi="${id}">${e(kpiText(id, k.value))}</strong>`,
      e(kpiText(id, k.previous)),
      e(changeText(id, k)),
      e(rank),
    ];
  });
  return table(['指标', '本期', prev, '变化', '排名'], rows, 'lj-kpis');
}

function adoptionSection(f: ReportFigures, charts: Record<string, RenderedChart>): string {
  const a = f.adoption;
  const channels: [1 | 2 | 3, number][] = [
    [1, a.casesWindow],
    [2, a.casesWeb],
    [3, a.casesMobile],
  ];
  const channelRows = channels.map(([c, n]) => [
    e(labelOf(CHANNELS, c)),
    count(n),
    pct(a.casesTotal > 0 ? n / a.casesTotal : null),
  ]);
  channelRows.push([
    '<strong>合计</strong>',
    `<strong>${count(a.casesTotal)}</strong>`,
    pct(a.casesTotal > 0 ? 1 : null),
  ]);
  const facts = [
    `全程网办事项 ${count(a.itemsFullyOnline)} 项，占已上线事项 ${count(a.itemsTotal)} 项的 ${pct(a.itemsTotal > 0 ? a.itemsFullyOnline / a.itemsTotal : null)}（截至期末）`,
    `联办件 ${count(a.jointCases)} 件，占办件量 ${pct(a.casesTotal > 0 ? a.jointCases / a.casesTotal : null)}`,
    `平均办理时长 ${duration(f.kpis.avgHandlingMinutes.value)}`,
  ];
  const cmp = f.comparison;
  const cmpTable =
    cmp && cmp.rows.length
      ? table(
          [comparisonUnit(f.region).zh, '网办率', '全程网办事项占比', '办件量', '共享数据量（条）'],
          cmp.rows.map((r) => [
            r.code === f.region.code ? `<strong>${e(regionName(r.code))}</strong>` : e(regionName(r.code)),
            pct(r.onlineShare),
            pct(r.fullyOnlineItemsShare),
            count(r.casesTotal),
            count(r.sharedRecords),
          ]),
          'lj-compare',
        )
      : '';
  return `<section class="lj-section"><h2>二、政务服务应用</h2>
<ul class="lj-facts">${facts.map((x) => `<li>${e(x)}</li>`).join('')}</ul>
${figure(charts.trend)}
<h3>办件渠道</h3>${table(['渠道', '办件（件）', '占比'], channelRows, 'lj-narrow')}
${figure(charts.peers)}${cmpTable ? `<h3>${f.region.level === 'nation' ? '各省份对比' : `本省各${comparisonUnit(f.region).zh}对比`}</h3>${cmpTable}` : ''}
</section>`;
}

function sharingSection(f: ReportFigures, charts: Record<string, RenderedChart>): string {
  const s = f.sharing;
  const flows = s.topFlows.map((r, i) => [
    String(i + 1),
    e(r.ownerName),
    e(r.accessorName),
    count(r.accesses),
    count(r.records),
  ]);
  const byCategory = s.byCategory.map((r) => [
    e(labelOf(DATASET_CATEGORIES, r.category)),
    count(r.accesses),
    count(r.records),
  ]);
  const byMode = s.byMode.map((r) => [e(labelOf(ACCESS_MODES, r.mode)), count(r.accesses), count(r.records)]);
  return `<section class="lj-section"><h2>三、数据共享</h2>
<ul class="lj-facts"><li>数据访问 ${count(s.accesses)} 次，共享数据 ${count(s.records)} 条</li><li>本期新增授权 ${count(s.newGrants)} 项</li></ul>
<div class="lj-row">${figure(charts.categories)}${figure(charts.modes)}</div>
${byCategory.length ? `<h3>按数据类别</h3>${table(['数据类别', '访问（次）', '数据量（条）'], byCategory, 'lj-narrow')}` : ''}
${byMode.length ? `<h3>按访问方式</h3>${table(['访问方式', '访问（次）', '数据量（条）'], byMode, 'lj-narrow')}` : ''}
${flows.length ? `<h3>主要共享流向（按数据量）</h3>${table(['#', '数据提供方', '数据使用方', '访问（次）', '数据量（条）'], flows, '', 3)}` : '<p class="lj-muted">本期无数据共享记录。</p>'}
</section>`;
}

function oversightSection(f: ReportFigures, charts: Record<string, RenderedChart>): string {
  const o = f.oversight;
  const byStatus = new Map(o.byStatus.map((r) => [r.status, r.count]));
  const statusRows = INCIDENT_STATUSES.map((s) => [e(STATUS_ZH[s] ?? s), count(byStatus.get(s) ?? 0)]);
  return `<section class="lj-section"><h2>四、监管与异常处置</h2>
<ul class="lj-facts"><li>本期发现异常事件 ${count(o.incidents)} 起，已办结 ${count(o.resolved)} 起</li>
<li>处置时长：中位数 ${hours(o.medianResolveHours)}，平均 ${hours(o.meanResolveHours)}（自发现至办结）</li></ul>
${figure(charts.incidents)}
${o.incidents > 0 ? `<h3>按处置状态</h3>${table(['状态', '事件（起）'], statusRows, 'lj-narrow')}` : ''}
</section>`;
}

const NOTES = [
  '网办率 = （网页办件 + 移动端办件）÷ 办件总量；全程网办事项占比 = 期末在册事项中在线办理程度为“全程网办”的比例。',
  '联办件：两个及以上部门参与办理的办件；平均办理时长 = 办理时长合计 ÷ 办件量。',
  '数据共享：数据提供方或使用方属于本地区的访问，每次访问只计一次；新增授权：本期授予本地区机构或本地区数据集的授权。',
  '异常事件按发生时间计入本期；处置时长自系统发现起至首次标记“已办结”止。',
  '排名：同级地区（省份之间、同省城市之间）中本期有办件的地区参与排名，第 1 名为最优（办理时长、异常事件、处置时长以少为优）。',
  '统计日按北京时间（Asia/Shanghai）划分；全部数据来自联盟链链上事件。',
];

/** The header's line under the title: period, data cut-off, comparison period, chain; exported for its tests. */
export function reportMetaZh(
  f: Pick<ReportFigures, 'period' | 'previous' | 'partial' | 'dataThrough' | 'chainId'>,
): string {
  const partial = f.dataThrough < f.period.to ? `，数据截至${dayZh(f.dataThrough)}` : '';
  return `<p class="lj-meta">统计周期：${dayZh(f.period.from)}至${dayZh(f.period.to)}（北京时间）${e(partial)} · 对比期：${e(comparedWithZh(f))} · 链 ID ${f.chainId}</p>`;
}

/** The report as an HTML fragment (the page shows it) and its stylesheet, both scoped to .lj-report. */
export function renderReportBody(f: ReportFigures): string {
  const charts = renderCharts(f);
  return `<article class="lj-report" lang="zh-CN" data-region="${f.region.code}" data-period="${e(f.period.key)}">
<header class="lj-header">
<div class="lj-kicker">链监 · 政务联盟链应用成效报告</div>
<h1>${e(f.region.nameZh)}${e(f.period.labelZh)}应用成效报告</h1>
${reportMetaZh(f)}
</header>
<section class="lj-section lj-summary"><h2>摘要</h2><p data-testid="report-summary">${e(f.summaryZh)}</p></section>
<section class="lj-section"><h2>一、核心指标</h2>${kpiTable(f)}</section>
${adoptionSection(f, charts)}
${sharingSection(f, charts)}
${oversightSection(f, charts)}
${leadershipSection(f, 'zh', '五、目标进度与信息孤岛')}
${supervisionSection(f, 'zh', f.leadership ? '六、督办' : '五、督办')}
<section class="lj-section lj-notes"><h2>指标说明</h2><ol>${NOTES.map((n) => `<li>${e(n)}</li>`).join('')}</ol></section>
</article>`;
}

/** A self-contained document (inline CSS and SVG, no external resource): the HTML download and the PDF's source. */
export function renderReportDocument(f: ReportFigures): string {
  const title = `${f.region.nameZh}${f.period.labelZh}应用成效报告`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${e(title)}</title>
<style>${PAGE_CSS}${REPORT_CSS}</style></head>
<body>${renderReportBody(f)}</body></html>
`;
}

export { FONT };
