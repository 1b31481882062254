'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { RULES } from '~/domain/rules';
import type { Lang } from '~/app/_charts/format';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { FilterBar, PeriodNote } from '~/app/_components/FilterBar';
import { KpiCard } from '~/app/_components/KpiCard';
import { incidentRegion, shanghaiTime } from '~/app/_lib/labels';
import type { OverviewParams } from '~/app/_lib/params';
import { Empty, ErrorState, Skeleton } from '~/app/_components/States';
import { overviewCards } from './overview-cards';
import { incidentSummary } from '~/domain/incident-summary';

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
          {overviewCards(s, t, lang).map((card) => (
            <KpiCard key={card.id} {...card} />
          ))}
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
                      <td>{incidentRegion(i, lang)}</td>
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
