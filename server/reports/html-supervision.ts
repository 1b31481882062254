import { regionName } from '../../domain/regions';
import type { ReportFigures } from './figures-types';
import { table } from './html-leadership';
import { count, escapeHtml as e, pct } from './format';
import type { SupervisionLine } from './supervision';

type Lang = 'zh' | 'en';

const T = {
  facts: {
    zh: (l: SupervisionLine) => [
      `本期交办督办件 ${count(l.handedOver)} 件：按期办结 ${count(l.closedOnTime)} 件，逾期办结 ${count(l.closedLate)} 件，在办 ${count(l.open)} 件（其中逾期 ${count(l.overdue)} 件）`,
      `按期办结率 ${pct(l.rate)}；升级督办 ${count(l.escalated)} 件`,
    ],
    en: (l: SupervisionLine) => [
      `${count(l.handedOver)} cases handed over in the period: ${count(l.closedOnTime)} closed on time, ${count(l.closedLate)} closed late, ${count(l.open)} open (${count(l.overdue)} of them overdue)`,
      `On-time closure rate ${pct(l.rate)}; ${count(l.escalated)} escalated to the level above`,
    ],
  },
  none: { zh: '本期未交办督办件。', en: 'No case was handed over in the period.' },
  byDept: { zh: '按责任单位', en: 'By responsible department' },
  head: {
    zh: ['责任单位', '地区', '交办', '按期办结', '逾期办结', '在办', '逾期', '升级', '按期办结率'],
    en: [
      'Responsible department',
      'Region',
      'Handed over',
      'On time',
      'Late',
      'Open',
      'Overdue',
      'Escalated',
      'On-time rate',
    ],
  },
  more: {
    zh: (shown: number, all: number) => `仅列出交办件数最多的 ${shown} 个单位（共 ${all} 个）。`,
    en: (shown: number, all: number) => `The ${shown} departments with most cases are listed (of ${all}).`,
  },
  asOf: {
    zh: (t: string) =>
      `口径：本期（北京时间）交办的督办件，状态截至 ${t}；按期办结率 = 按期办结 ÷（按期办结 + 逾期办结）；逾期指已过办理期限仍未办结（待审核期间期限暂停）。`,
    en: (t: string) =>
      `Scope: cases handed over in the period (Asia/Shanghai), as they stood at ${t}; on-time rate = closed on time ÷ (on time + late); overdue = past the deadline and not closed (the deadline pauses while an answer awaits review).`,
  },
} as const;

/** '2026-10-31T16:00:00.000Z' → '2026-11-01 00:00' (Asia/Shanghai), the same in both languages. */
function shanghaiMinute(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The report's 督办 section in either language; '' for reports stored before it existed. */
export function supervisionSection(f: ReportFigures, lang: Lang, heading: string): string {
  const s = f.supervision;
  if (!s) return '';
  const rows = s.byDepartment.map((d) => [
    e(d.name ?? d.org),
    e(regionName(d.regionCode, lang)),
    count(d.handedOver),
    count(d.closedOnTime),
    count(d.closedLate),
    count(d.open),
    count(d.overdue),
    count(d.escalated),
    pct(d.rate),
  ]);
  return `<section class="lj-section" data-section="supervision"><h2>${e(heading)}</h2>
${
  s.total.handedOver === 0
    ? `<p class="lj-muted">${e(T.none[lang])}</p>`
    : `<ul class="lj-facts">${T.facts[lang](s.total)
        .map((x) => `<li>${e(x)}</li>`)
        .join('')}</ul>
<h3>${e(T.byDept[lang])}</h3>${table(T.head[lang], rows, 2)}${
        s.departments > s.byDepartment.length
          ? `<p class="lj-muted">${e(T.more[lang](s.byDepartment.length, s.departments))}</p>`
          : ''
      }`
}
<p class="lj-muted">${e(T.asOf[lang](shanghaiMinute(s.asOf)))}</p>
</section>`;
}
