'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { RULES } from '~/domain/rules';
import { formatExact, formatPercent, type Lang } from '~/app/_charts/format';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { FilterBar, PeriodNote } from '~/app/_components/FilterBar';
import { KpiCard } from '~/app/_components/KpiCard';
import { regionLabel, shanghaiTime } from '~/app/_lib/labels';
import type { OverviewParams } from '~/app/_lib/params';
import { Empty, ErrorState, Skeleton } from '~/app/_components/States';
import { incidentSummary } from '~/domain/incident-summary';

const share = (online: number, total: number) => (total > 0 ? online / total : 0);

export function OverviewView({
  title,
  params,
  scope,
  showIncidents,
}: {
  title: string;
  params: OverviewParams;
  scope: number | null;
  showIncidents: boolean;
}) {
  const t = useTranslations('overview');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const summary = useQuery(trpc.overview.summary.queryOptions(params));
  const incidents = useQuery(
    trpc.overview.highIncidents.queryOptions({ limit: 8 }, { enabled: showIncidents }),
  );
  const s = summary.data;
  const pts = s?.spark.points ?? [];

  return (
    <section>
      <div className={styles.head}>
        <h1>{title}</h1>
        {s && <PeriodNote period={s.period} />}
      </div>
      <FilterBar values={params} fields={['region']} scope={scope} />
      {summary.error && <ErrorState error={summary.error} />}
      {!s && !summary.error && (
        <div className={styles.kpis}>
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} height={118} />
          ))}
        </div>
      )}
      {s && (
        <div className={styles.kpis}>
          <KpiCard
            id="records"
            label={t('records')}
            definition={t('def.records')}
            value={s.kpis.records.current}
            previous={s.kpis.records.previous}
            unit={t('recordsUnit')}
            spark={pts.map((p) => p.records)}
          />
          <KpiCard
            id="accesses"
            label={t('accesses')}
            definition={t('def.accesses')}
            value={s.kpis.accesses.current}
            previous={s.kpis.accesses.previous}
            unit={t('timesUnit')}
            spark={pts.map((p) => p.accesses)}
            color="#2a9d8f"
          />
          <KpiCard
            id="departments"
            label={t('activeDepartments')}
            definition={t('def.activeDepartments')}
            value={s.kpis.activeDepartments.current}
            previous={s.kpis.activeDepartments.previous}
            unit={t('orgUnit')}
          />
          <KpiCard
            id="cross"
            label={t('crossFlows')}
            definition={t('def.crossFlows')}
            value={s.kpis.crossDepartmentFlows.current}
            previous={s.kpis.crossDepartmentFlows.previous}
            unit={t('linkUnit')}
          />
          <KpiCard
            id="online-share"
            label={t('onlineShare')}
            definition={t('def.onlineShare')}
            kind="share"
            value={share(s.kpis.casesOnline.current, s.kpis.casesTotal.current)}
            previous={share(s.kpis.casesOnline.previous, s.kpis.casesTotal.previous)}
            display={
              s.kpis.casesTotal.current > 0
                ? formatPercent(share(s.kpis.casesOnline.current, s.kpis.casesTotal.current))
                : '—'
            }
            spark={pts.map((p) => share(p.online, p.cases))}
            color="#8e5cb5"
            footer={t('casesOf', { n: formatExact(s.kpis.casesTotal.current, lang) })}
          />
          <KpiCard
            id="joint"
            label={t('jointCases')}
            definition={t('def.jointCases')}
            value={s.kpis.jointCases.current}
            previous={s.kpis.jointCases.previous}
            unit={t('caseUnit')}
            spark={pts.map((p) => p.joint)}
            color="#e08a1e"
          />
          <KpiCard
            id="incidents"
            label={t('openIncidents')}
            value={s.openIncidents.high + s.openIncidents.medium + s.openIncidents.low}
            goodWhenUp={false}
            footer={
              <span className="row" style={{ gap: 4 }}>
                <span className={`${styles.sev} ${styles.sevHigh}`} title={t('high')}>
                  {t('high')} {s.openIncidents.high}
                </span>
                <span className={`${styles.sev} ${styles.sevMedium}`} title={t('medium')}>
                  {t('medium')} {s.openIncidents.medium}
                </span>
                <span className={`${styles.sev} ${styles.sevLow}`} title={t('low')}>
                  {t('low')} {s.openIncidents.low}
                </span>
              </span>
            }
          />
          <KpiCard
            id="chain"
            label={t('chainHead')}
            value={s.chain?.headBlock ?? 0}
            display={s.chain ? `#${formatExact(s.chain.headBlock, lang)}` : '—'}
            footer={
              s.chain
                ? t('lag', {
                    blocks: formatExact(s.chain.lagBlocks, lang),
                    seconds: s.chain.lagSeconds.toFixed(1),
                  })
                : t('noIndexer')
            }
          />
        </div>
      )}
      {showIncidents && (
        <div className={styles.card}>
          <h2>
            {t('latestHigh')}
            <Link href="/incidents?severity=high" className={styles.hint}>
              {t('allIncidents')} →
            </Link>
          </h2>
          {incidents.error ? (
            <ErrorState error={incidents.error} />
          ) : !incidents.data ? (
            <Skeleton height={160} />
          ) : incidents.data.length === 0 ? (
            <Empty height={90} text={t('noHigh')} />
          ) : (
            <div className={styles.tableWrap}>
              <table data-testid="high-incidents">
                <thead>
                  <tr>
                    <th>{t('occurredAt')}</th>
                    <th>{t('rule')}</th>
                    <th>{t('region')}</th>
                    <th>{t('summary')}</th>
                    <th>{t('status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {incidents.data.map((i) => (
                    <tr key={i.id}>
                      <td className="mono">{shanghaiTime(i.occurredAt, lang)}</td>
                      <td>
                        <Link href={`/incidents/${i.id}`}>{ruleName(i.rule, lang)}</Link>
                      </td>
                      <td>{regionLabel(i.regionCode, lang)}</td>
                      <td>{incidentSummary(i, lang)}</td>
                      <td>
                        <span className="badge">{t(`statuses.${i.status}`)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function ruleName(rule: string, lang: Lang): string {
  return (RULES as Record<string, { zh: string; en: string } | undefined>)[rule]?.[lang] ?? rule;
}
