import { labelOf, ORG_KINDS } from '../../domain/codes';
import { regionName } from '../../domain/regions';
import { TARGET_METRIC_META } from '../../domain/targets';
import type { ReportFigures } from './figures-types';
import { count, escapeHtml as e, pct } from './format';

type Lang = 'zh' | 'en';

const STATUS = {
  reached: { zh: '已达成', en: 'Reached' },
  on_course: { zh: '进度正常', en: 'On course' },
  behind: { zh: '滞后', en: 'Behind' },
} as const;

const T = {
  targets: { zh: '目标进度', en: 'Progress against targets' },
  noTargets: { zh: '本地区尚未设定目标。', en: 'No targets are set for this region.' },
  targetHead: {
    zh: ['区域', '指标', '目标值', '目标日期', '当前值', '差距', '状态', '按当前速度预计达成'],
    en: ['Region', 'Metric', 'Target', 'By', 'Current', 'Gap', 'Status', 'Projected at current pace'],
  },
  never: { zh: '按当前速度无法达成', en: 'not at the current pace' },
  asOf: { zh: '测算日', en: 'Measured on' },
  silo: { zh: '信息孤岛指数', en: 'Data-silo index' },
  siloFacts: {
    zh: (s: NonNullable<ReportFigures['leadership']>['silo']) => [
      `孤岛指数 ${s.index === null ? '—' : s.index.toFixed(1)}（0 = 开放，100 = 封闭），政府部门 ${count(s.departments)} 个`,
      `提供数据的部门 ${count(s.providers)} 个，占 ${pct(s.providerShare)}；只用不供的部门 ${count(s.consumeOnly)} 个`,
      `登记数据集 ${count(s.datasets)} 个，其中从未被其他机构使用 ${count(s.datasetsUnused)} 个；授权给出 ${count(s.grantsGiven)} 项、获得 ${count(s.grantsReceived)} 项`,
    ],
    en: (s: NonNullable<ReportFigures['leadership']>['silo']) => [
      `Silo index ${s.index === null ? '—' : s.index.toFixed(1)} (0 = open, 100 = closed) over ${count(s.departments)} government departments`,
      `${count(s.providers)} departments provide data (${pct(s.providerShare)}); ${count(s.consumeOnly)} only consume`,
      `${count(s.datasets)} datasets registered, ${count(s.datasetsUnused)} never used by another org; grants given ${count(s.grantsGiven)}, received ${count(s.grantsReceived)}`,
    ],
  },
  closed: { zh: '最封闭的部门', en: 'Most closed departments' },
  closedHead: {
    zh: ['部门', '类别', '区域', '孤岛指数'],
    en: ['Department', 'Kind', 'Region', 'Silo index'],
  },
  kinds: { zh: '按部门类别', en: 'By department kind' },
  kindsHead: {
    zh: ['类别', '部门数', '提供数据占比', '孤岛指数'],
    en: ['Kind', 'Departments', 'Providing data', 'Silo index'],
  },
  formula: {
    zh: '孤岛指数 = 100 ×（未被使用数据集占比 + 单向授权占比）÷ 2：未被使用数据集占比 = 从未被其他机构凭授权访问的数据集 ÷ 登记的数据集；单向授权占比 = 获得的授权 ÷（给出 + 获得的授权）。按生成时的链上状态计算。',
    en: 'Silo index = 100 × (unused-dataset share + one-way grant share) ÷ 2: unused-dataset share = datasets never accessed by another org under a grant ÷ datasets registered; one-way grant share = grants received ÷ (given + received). Computed on the chain state at generation.',
  },
  projection: {
    zh: '预计达成日按最近 90 天（数据不足时按已有天数）的速度外推；已达成：当前值 ≥ 目标值；进度正常：预计达成日不晚于目标日期。',
    en: 'Projected dates extrapolate the pace of the last 90 days (or of the data there is); reached: current ≥ target; on course: projected on or before the target date.',
  },
} as const;

/** A report table whose first `textCols` columns are text and the rest numbers (both languages). */
export function table(head: readonly string[], rows: string[][], textCols: number): string {
  const at = (i: number) => (i < textCols ? ' class="t"' : '');
  return `<table class="lj-table"><thead><tr>${head.map((h, i) => `<th${at(i)}>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${at(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The report's targets-and-silo section in either language; '' for reports stored before it existed. */
export function leadershipSection(f: ReportFigures, lang: Lang, heading: string): string {
  const l = f.leadership;
  if (!l) return '';
  const value = (v: number | null, unit: 'share' | 'count') => (unit === 'share' ? pct(v) : count(v));
  const targetRows = l.targets.map((t) => {
    const meta = TARGET_METRIC_META[t.metric];
    return [
      e(regionName(t.regionCode, lang)),
      e(lang === 'zh' ? meta.zh : meta.en),
      value(t.value, meta.unit),
      t.targetDate,
      value(t.current, meta.unit),
      t.gap === null || t.gap <= 0 ? '—' : value(t.gap, meta.unit),
      `<span data-status="${t.status}">${e(STATUS[t.status][lang])}</span>`,
      t.status === 'reached' ? '—' : e(t.projectedDate ?? T.never[lang]),
    ];
  });
  const s = l.silo;
  return `<section class="lj-section" data-section="leadership"><h2>${e(heading)}</h2>
<h3>${e(T.targets[lang])}</h3>
${targetRows.length ? `${table(T.targetHead[lang], targetRows, 3)}<p class="lj-muted">${e(T.asOf[lang])} ${e(l.asOf ?? '—')}。${e(T.projection[lang])}</p>` : `<p class="lj-muted">${e(T.noTargets[lang])}</p>`}
<h3>${e(T.silo[lang])}</h3>
<ul class="lj-facts">${T.siloFacts[lang](s)
    .map((x) => `<li>${e(x)}</li>`)
    .join('')}</ul>
${
  s.departmentsMostClosed.length
    ? `<h3>${e(T.closed[lang])}</h3>${table(
        T.closedHead[lang],
        s.departmentsMostClosed.map((d) => [
          e(d.name),
          e(labelOf(ORG_KINDS, d.kind, lang)),
          e(regionName(d.regionCode, lang)),
          d.index.toFixed(1),
        ]),
        3,
      )}`
    : ''
}
${
  s.kinds.length
    ? `<h3>${e(T.kinds[lang])}</h3>${table(
        T.kindsHead[lang],
        s.kinds.map((k) => [
          e(labelOf(ORG_KINDS, k.kind, lang)),
          count(k.departments),
          pct(k.providerShare),
          k.index === null ? '—' : k.index.toFixed(1),
        ]),
        1,
      )}`
    : ''
}
<p class="lj-muted">${e(T.formula[lang])}</p>
</section>`;
}
