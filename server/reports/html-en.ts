import { ACCESS_MODES, CHANNELS, DATASET_CATEGORIES, labelOf } from '../../domain/codes';
import { regionName } from '../../domain/regions';
import { comparisonUnit } from './region';
import { INCIDENT_STATUSES } from '../../domain/rules';
import { KPI_IDS, KPI_META, type Kpi, type KpiId, type ReportFigures } from './figures-types';
import { count, escapeHtml as e, pct, relativeChange } from './format';
import { leadershipSection } from './html-leadership';
import { supervisionSection } from './html-supervision';
import { PAGE_CSS, REPORT_CSS } from './styles';

/**
 * The report in English, rendered from the same stored figures as the Chinese one (a subscriber's
 * language or `lang: 'en'` on generation). Tables only: the charts' labels are Chinese.
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function periodLabelEn(key: string): string {
  const [y, rest] = key.split('-');
  if (rest === undefined) return `${y}`;
  if (rest.startsWith('Q')) return `${rest} ${y}`;
  return `${MONTHS[Number(rest) - 1] ?? rest} ${y}`;
}

const PREVIOUS_EN = { month: 'Previous month', quarter: 'Previous quarter', year: 'Previous year' } as const;

/**
 * What the header names as the comparison period: the whole previous period once this one is
 * complete (November 2026), else the same days the figures are compared with
 * (1–2 November 2026 (previous month, same days)).
 */
export function comparedWithEn(f: Pick<ReportFigures, 'period' | 'previous' | 'partial'>): string {
  if (!f.partial) return periodLabelEn(f.previous.key);
  const { from, to } = f.previous;
  const d = (day: string) => Number(day.slice(8, 10));
  const m = (day: string) => MONTHS[Number(day.slice(5, 7)) - 1] ?? day.slice(5, 7);
  const y = (day: string) => day.slice(0, 4);
  const span =
    from === to
      ? `${d(from)} ${m(from)} ${y(from)}`
      : from.slice(0, 7) === to.slice(0, 7)
        ? `${d(from)}–${d(to)} ${m(to)} ${y(to)}`
        : y(from) === y(to)
          ? `${d(from)} ${m(from)} – ${d(to)} ${m(to)} ${y(to)}`
          : `${d(from)} ${m(from)} ${y(from)} – ${d(to)} ${m(to)} ${y(to)}`;
  return `${span} (${PREVIOUS_EN[f.period.kind].toLowerCase()}, same days)`;
}

/** The header's line under the title: period, data cut-off, comparison period, chain; exported for its tests. */
export function reportMetaEn(
  f: Pick<ReportFigures, 'period' | 'previous' | 'partial' | 'dataThrough' | 'chainId'>,
): string {
  const partial = f.dataThrough < f.period.to ? `, data through ${f.dataThrough}` : '';
  return `<p class="lj-meta">Period ${f.period.from} to ${f.period.to} (Asia/Shanghai)${e(partial)} · compared with ${e(comparedWithEn(f))} · chain ID ${f.chainId}</p>`;
}

function durationEn(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

function kpiText(id: KpiId, v: number | null): string {
  const unit = KPI_META[id].unit;
  if (unit === 'share') return pct(v);
  if (unit === 'minutes') return durationEn(v);
  if (unit === 'hours') return durationEn(v === null ? null : v * 60);
  return count(v);
}

function changeText(id: KpiId, k: Kpi): string {
  if (k.value === null || k.previous === null) return '—';
  if (KPI_META[id].unit === 'share') {
    const d = (k.value - k.previous) * 100;
    return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(1)} pp`;
  }
  const r = relativeChange(k.value, k.previous);
  return r === null ? '—' : `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r).toFixed(1)}%`;
}

function table(head: string[], rows: string[][], textCols = 1): string {
  const at = (i: number) => (i < textCols ? ' class="t"' : '');
  return `<table class="lj-table"><thead><tr>${head.map((h, i) => `<th${at(i)}>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${at(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function summaryEn(f: ReportFigures): string {
  const k = f.kpis;
  const parts = [
    `In ${periodLabelEn(f.period.key)}, ${f.region.nameEn} completed ${count(k.casesTotal.value)} cases, ${pct(k.onlineShare.value)} of them online (web or mobile); ${count(k.jointCases.value)} were joint cases.`,
    `${pct(k.fullyOnlineItemsShare.value)} of listed service items are fully online.`,
    `Departments made ${count(k.accesses.value)} data accesses sharing ${count(k.sharedRecords.value)} records, under ${count(k.newGrants.value)} new grants.`,
    f.oversight.incidents === 0
      ? 'No incidents were found.'
      : `${count(f.oversight.incidents)} incidents were found and ${count(f.oversight.resolved)} resolved.`,
  ];
  return parts.join(' ');
}

const NOTES_EN = [
  'Online-service share = (web cases + mobile cases) ÷ all cases; fully-online items share = service items listed at online level "fully online" (全程网办) ÷ items listed at the period end.',
  'Joint case (联办): a case handled by two or more departments; average handling time = total handling minutes ÷ cases.',
  'Data sharing: accesses where the provider or the user belongs to the region, each counted once; new grants: grants given to the region’s orgs or on its datasets in the period.',
  'Incidents count in the period they occurred; time to resolve runs from detection to the first "resolved".',
  'Rank: among units of the same level (provinces, or the cities of one province) with cases in the period; 1 is best (for handling time, incidents and time to resolve, less is better).',
  'Days are Asia/Shanghai calendar days; every figure comes from events on the consortium chain.',
];

/** The headline table; exported for its tests. */
export function kpiTableEn(f: Pick<ReportFigures, 'kpis' | 'period' | 'partial'>): string {
  // A running period is compared with the same days of the previous one.
  const prev = f.partial ? `${PREVIOUS_EN[f.period.kind]}, same days` : PREVIOUS_EN[f.period.kind];
  return table(
    ['Metric', 'This period', prev, 'Change', 'Rank'],
    KPI_IDS.map((id) => {
      const k = f.kpis[id];
      return [
        e(KPI_META[id].en),
        `<strong data-kpi="${id}">${e(kpiText(id, k.value))}</strong>`,
        e(kpiText(id, k.previous)),
        e(changeText(id, k)),
        k.rank !== null && k.peers !== null ? `${k.rank} / ${k.peers}` : '—',
      ];
    }),
  );
}

export function renderReportBodyEn(f: ReportFigures): string {
  const kpis = kpiTableEn(f);
  const a = f.adoption;
  const channels = table(
    ['Channel', 'Cases', 'Share'],
    (
      [
        [1, a.casesWindow],
        [2, a.casesWeb],
        [3, a.casesMobile],
      ] as const
    ).map(([c, n]) => [
      e(labelOf(CHANNELS, c, 'en')),
      count(n),
      pct(a.casesTotal > 0 ? n / a.casesTotal : null),
    ]),
  );
  const cmp = f.comparison;
  const comparison =
    cmp && cmp.rows.length
      ? `<h3>${f.region.level === 'nation' ? 'Provinces compared' : `${comparisonUnit(f.region).en === 'City' ? 'Cities' : 'Districts'} of the province compared`}</h3>${table(
          [comparisonUnit(f.region).en, 'Online share', 'Fully-online items', 'Cases', 'Records shared'],
          cmp.rows.map((r) => [
            r.code === f.region.code
              ? `<strong>${e(regionName(r.code, 'en'))}</strong>`
              : e(regionName(r.code, 'en')),
            pct(r.onlineShare),
            pct(r.fullyOnlineItemsShare),
            count(r.casesTotal),
            count(r.sharedRecords),
          ]),
        )}`
      : '';
  const s = f.sharing;
  const o = f.oversight;
  const byStatus = new Map(o.byStatus.map((r) => [r.status, r.count]));
  return `<article class="lj-report" lang="en" data-region="${f.region.code}" data-period="${e(f.period.key)}">
<header class="lj-header">
<div class="lj-kicker">Lianjian · Adoption report of the government consortium chain</div>
<h1>${e(f.region.nameEn)} — ${e(periodLabelEn(f.period.key))}</h1>
${reportMetaEn(f)}
</header>
<section class="lj-section lj-summary"><h2>Summary</h2><p data-testid="report-summary">${e(summaryEn(f))}</p></section>
<section class="lj-section"><h2>1. Key figures</h2>${kpis}</section>
<section class="lj-section"><h2>2. Online government service</h2>
<ul class="lj-facts"><li>${count(a.itemsFullyOnline)} of ${count(a.itemsTotal)} listed items are fully online (${pct(a.itemsTotal > 0 ? a.itemsFullyOnline / a.itemsTotal : null)}, at the period end)</li>
<li>${count(a.jointCases)} joint cases (${pct(a.casesTotal > 0 ? a.jointCases / a.casesTotal : null)} of cases)</li></ul>
<h3>Cases by channel</h3>${channels}${comparison}</section>
<section class="lj-section"><h2>3. Data sharing</h2>
<ul class="lj-facts"><li>${count(s.accesses)} accesses, ${count(s.records)} records shared</li><li>${count(s.newGrants)} new grants</li></ul>
${
  s.byCategory.length
    ? `<h3>By data category</h3>${table(
        ['Category', 'Accesses', 'Records'],
        s.byCategory.map((r) => [
          e(labelOf(DATASET_CATEGORIES, r.category, 'en')),
          count(r.accesses),
          count(r.records),
        ]),
      )}`
    : ''
}
${
  s.byMode.length
    ? `<h3>By access mode</h3>${table(
        ['Mode', 'Accesses', 'Records'],
        s.byMode.map((r) => [e(labelOf(ACCESS_MODES, r.mode, 'en')), count(r.accesses), count(r.records)]),
      )}`
    : ''
}
${
  s.topFlows.length
    ? `<h3>Main flows (by records)</h3>${table(
        ['#', 'Provider', 'User', 'Accesses', 'Records'],
        s.topFlows.map((r, i) => [
          String(i + 1),
          e(r.ownerName),
          e(r.accessorName),
          count(r.accesses),
          count(r.records),
        ]),
        3,
      )}`
    : ''
}
</section>
<section class="lj-section"><h2>4. Oversight</h2>
<ul class="lj-facts"><li>${count(o.incidents)} incidents found, ${count(o.resolved)} resolved</li>
<li>Time to resolve: median ${durationEn(o.medianResolveHours === null ? null : o.medianResolveHours * 60)}, mean ${durationEn(o.meanResolveHours === null ? null : o.meanResolveHours * 60)}</li></ul>
${
  o.incidents > 0
    ? table(
        ['Status', 'Incidents'],
        INCIDENT_STATUSES.map((st) => [st, count(byStatus.get(st) ?? 0)]),
      )
    : ''
}
</section>
${leadershipSection(f, 'en', '5. Targets and the data-silo index')}
${supervisionSection(f, 'en', f.leadership ? '6. Supervision (督办)' : '5. Supervision (督办)')}
<section class="lj-section lj-notes"><h2>Definitions</h2><ol>${NOTES_EN.map((n) => `<li>${e(n)}</li>`).join('')}</ol></section>
</article>`;
}

export function renderReportDocumentEn(f: ReportFigures): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(`${f.region.nameEn} adoption report, ${periodLabelEn(f.period.key)}`)}</title>
<style>${PAGE_CSS}${REPORT_CSS}</style></head>
<body>${renderReportBodyEn(f)}</body></html>
`;
}
