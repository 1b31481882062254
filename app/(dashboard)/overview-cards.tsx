import type { ComponentProps } from 'react';
import { formatExact, formatPercent, type Lang } from '~/app/_charts/format';
import type { KpiCard } from '~/app/_components/KpiCard';
import styles from '~/app/_components/views.module.css';
import type { OverviewSummary } from '~/server/services/overview';

type Summary = OverviewSummary;
export type CardSpec = ComponentProps<typeof KpiCard>;

const SEV_CLASS = { high: styles.sevHigh, medium: styles.sevMedium, low: styles.sevLow } as const;

const share = (online: number, total: number) => (total > 0 ? online / total : 0);

/**
 * The overview's KPI cards as data, in their order on the page: each names its catalogue entry
 * (`term`), its kind (a share changes in percentage points) and where its numbers come from.
 */
export function overviewCards(
  s: Summary,
  t: (key: string, values?: Record<string, string | number>) => string,
  lang: Lang,
): CardSpec[] {
  const pts = s.spark.points;
  const k = s.kpis;
  const online = share(k.casesOnline.current, k.casesTotal.current);
  const incidents = s.openIncidents;
  return [
    {
      id: 'records',
      term: 'records',
      label: t('records'),
      value: k.records.current,
      previous: k.records.previous,
      unit: t('recordsUnit'),
      spark: pts.map((p) => p.records),
    },
    {
      id: 'accesses',
      term: 'accesses',
      label: t('accesses'),
      value: k.accesses.current,
      previous: k.accesses.previous,
      unit: t('timesUnit'),
      spark: pts.map((p) => p.accesses),
      color: '#2a9d8f',
    },
    {
      id: 'departments',
      term: 'activeDepartments',
      label: t('activeDepartments'),
      value: k.activeDepartments.current,
      previous: k.activeDepartments.previous,
      unit: t('orgUnit'),
    },
    {
      id: 'cross',
      term: 'crossFlows',
      label: t('crossFlows'),
      value: k.crossDepartmentFlows.current,
      previous: k.crossDepartmentFlows.previous,
      unit: t('linkUnit'),
    },
    {
      id: 'online-share',
      term: 'onlineShare',
      label: t('onlineShare'),
      kind: 'share',
      value: online,
      previous: share(k.casesOnline.previous, k.casesTotal.previous),
      display: k.casesTotal.current > 0 ? formatPercent(online) : '—',
      spark: pts.map((p) => share(p.online, p.cases)),
      color: '#8e5cb5',
      footer: t('casesOf', { n: formatExact(k.casesTotal.current, lang) }),
    },
    {
      id: 'joint',
      term: 'jointCases',
      label: t('jointCases'),
      value: k.jointCases.current,
      previous: k.jointCases.previous,
      unit: t('caseUnit'),
      spark: pts.map((p) => p.joint),
      color: '#e08a1e',
    },
    {
      id: 'incidents',
      term: 'openIncidents',
      label: t('openIncidents'),
      value: incidents.high + incidents.medium + incidents.low,
      goodWhenUp: false,
      footer: (
        <span className="row" style={{ gap: 4 }}>
          {(['high', 'medium', 'low'] as const).map((sev) => (
            <span key={sev} className={`${styles.sev} ${SEV_CLASS[sev]}`} title={t(sev)}>
              {t(sev)} {incidents[sev]}
            </span>
          ))}
        </span>
      ),
    },
    {
      id: 'chain',
      term: 'chainHead',
      label: t('chainHead'),
      value: s.chain?.headBlock ?? 0,
      display: s.chain ? `#${formatExact(s.chain.headBlock, lang)}` : '—',
      footer: s.chain
        ? t('lag', {
            blocks: formatExact(s.chain.lagBlocks, lang),
            seconds: s.chain.lagSeconds.toFixed(1),
          })
        : t('noIndexer'),
    },
  ];
}
