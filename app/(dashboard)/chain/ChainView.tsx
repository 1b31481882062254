'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useMemo } from 'react';
import { buildRankBarsOption, buildStackedBarsOption } from '~/app/_charts/bars';
import { EChart } from '~/app/_charts/EChart';
import { formatDuration, formatEventRate, formatExact, type Lang } from '~/app/_charts/format';
import { SERIES_COLORS } from '~/app/_charts/palette';
import { useTRPC } from '~/app/_lib/trpc/react';
import { contractLabel, eventLabel } from '~/domain/event-labels';
import { StatusBadge } from '~/app/_components/Badges';
import styles from '~/app/_components/views.module.css';
import { FilterBar, PeriodNote } from '~/app/_components/FilterBar';
import { KpiCard } from '~/app/_components/KpiCard';
import { Defined } from '~/app/_components/Defined';
import { shanghaiTime } from '~/app/_lib/labels';
import type { ChainParams } from '~/app/_lib/params';
import { Empty, ErrorState, QueryBlock, Skeleton } from '~/app/_components/States';
import { incidentSummary } from '~/domain/incident-summary';

export function ChainView({
  title,
  params,
  scope,
}: {
  title: string;
  params: ChainParams;
  scope: number | null;
}) {
  const t = useTranslations('chain');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  // Health moves while the page is open: refresh it every 15 s.
  const status = useQuery({ ...trpc.chain.status.queryOptions({}), refetchInterval: 15_000 });
  const activity = useQuery(trpc.chain.activity.queryOptions(params));
  const stalls = useQuery(trpc.chain.stalls.queryOptions({ limit: 20 }));
  const h = status.data?.health ?? null;
  // undefined: reads use the primary; null: a replica is configured but could not be read.
  const replica = status.data?.replica;

  const perDay = useMemo(() => {
    const d = activity.data;
    if (!d) return null;
    return buildStackedBarsOption({
      buckets: d.points.map((p) => p.bucket),
      granularity: d.granularity,
      lang,
      partialBucket: d.partialBucket,
      partialMark: t('partialMark'),
      partialNote: t('partialNote'),
      series: d.contracts.map((c, i) => ({
        name: contractLabel(c, lang),
        // The Solidity name beside the Chinese one in the tooltip: what the chain and exports say.
        hint: lang === 'zh' ? `${t('contractName')} ${c}` : undefined,
        color: SERIES_COLORS[i],
        values: d.points.map((p) => p.counts[i] ?? 0),
      })),
    });
  }, [activity.data, lang, t]);
  const perEvent = useMemo(
    () =>
      activity.data
        ? buildRankBarsOption({
            lang,
            items: activity.data.byEvent.map((e) => ({
              label: eventLabel(e.eventName, lang),
              hint: lang === 'zh' ? `${t('eventName')} ${e.eventName}` : undefined,
              value: e.count,
            })),
          })
        : null,
    [activity.data, lang, t],
  );

  return (
    <section>
      <div className={styles.head}>
        <h1>{title}</h1>
        {activity.data && <PeriodNote period={activity.data.period} />}
      </div>
      {scope !== null && (
        <p className="muted" data-testid="chain-wide">
          {t('chainWide')}
        </p>
      )}
      {status.data?.aheadSeconds != null && (
        <p className="panel error" role="alert" data-testid="chain-ahead">
          {t('ahead', { d: formatDuration(status.data.aheadSeconds, lang) })}
        </p>
      )}
      {status.error && <ErrorState error={status.error} />}
      {!status.data && !status.error && <Skeleton height={118} />}
      {status.data && !h && <Empty height={100} text={t('noIndexer')} />}
      {status.data?.stall && status.data.stall.status !== 'ok' && (
        // The same verdict as /api/health: the cursor stands still behind the head.
        <div className={styles.errorBox} role="alert" data-testid="chain-stall">
          {t(status.data.stall.status === 'down' ? 'stallDown' : 'stallDegraded', {
            d: formatDuration(status.data.stall.seconds, lang),
            block: formatExact(status.data.stall.waitingForBlock ?? 0, lang),
          })}
          {status.data.stall.reason ? ` (${status.data.stall.reason})` : ''}
        </div>
      )}
      {h && (
        <div className={styles.stats} data-testid="chain-stats">
          <KpiCard
            id="head"
            term="chainHead"
            label={t('head')}
            value={h.headBlock}
            display={`#${formatExact(h.headBlock, lang)}`}
            footer={h.headTime ? shanghaiTime(h.headTime, lang) : ''}
          />
          <KpiCard
            id="indexed"
            term="chainIndexed"
            label={t('indexed')}
            value={h.indexedBlock}
            display={`#${formatExact(h.indexedBlock, lang)}`}
            footer={h.indexedTime ? shanghaiTime(h.indexedTime, lang) : ''}
          />
          <KpiCard
            id="lag"
            term="chainLag"
            label={t('lag')}
            value={h.lagBlocks}
            display={formatExact(h.lagBlocks, lang)}
            unit={t('blocks')}
            footer={t('lagBehind', { d: formatDuration(h.lagSeconds, lang) })}
          />
          {replica !== undefined && (
            <KpiCard
              id="replica"
              term="chainReplicaLag"
              label={t('replicaLag')}
              value={replica?.lagSeconds ?? 0}
              display={replica ? formatDuration(replica.lagSeconds, lang) : '—'}
              footer={
                replica ? t('replicaBytes', { kb: Math.round(replica.lagBytes / 1024) }) : t('replicaDown')
              }
            />
          )}
          <KpiCard
            id="interval"
            term="chainInterval"
            label={t('interval')}
            value={h.blockIntervalSeconds ?? 0}
            display={h.blockIntervalSeconds === null ? '—' : formatDuration(h.blockIntervalSeconds, lang)}
          />
          <KpiCard
            id="eps"
            term="chainEps"
            label={t('eps')}
            value={h.eventsPerSecond}
            display={formatEventRate(h.eventsPerSecond, lang).display}
            unit={t(formatEventRate(h.eventsPerSecond, lang).per === 'second' ? 'perSecond' : 'perMinute')}
          />
          <KpiCard
            id="jobs"
            term="chainJobs"
            label={t('jobs')}
            value={h.failedJobs}
            display={`${formatExact(h.failedJobs, lang)} / ${formatExact(h.retriedJobs, lang)}`}
            footer={t('jobsHint')}
          />
          <KpiCard
            id="reorgs"
            term="chainReorgs"
            label={t('reorgs')}
            value={h.reorgs}
            display={formatExact(h.reorgs, lang)}
          />
          <KpiCard
            id="rpc"
            term="chainRpc"
            label={t('rpc')}
            value={0}
            display={h.rpcLastError ? t('rpcError') : t('rpcOk')}
            footer={h.rpcLastOkAt ? `${t('lastOk')} ${shanghaiTime(h.rpcLastOkAt, lang)}` : ''}
          />
        </div>
      )}
      <FilterBar values={params} scope={scope} />
      <div className={styles.grid2}>
        <div className={styles.card}>
          <h2>
            <Defined term="chainPerDay">{t('perDay')}</Defined>
          </h2>
          <QueryBlock query={activity} height={340} isEmpty={(d) => d.byEvent.length === 0}>
            {() => perDay && <EChart option={perDay} height={340} label={t('perDay')} />}
          </QueryBlock>
        </div>
        <div className={styles.card}>
          <h2>
            <Defined term="chainPerEvent">{t('perEvent')}</Defined>
          </h2>
          <QueryBlock query={activity} height={340} isEmpty={(d) => d.byEvent.length === 0}>
            {() =>
              perEvent && <EChart option={perEvent} height={340} label={t('perEvent')} testId="per-event" />
            }
          </QueryBlock>
        </div>
      </div>
      <div className={styles.card}>
        <h2>
          <Defined term="chainStalls">{t('stalls')}</Defined>
        </h2>
        <QueryBlock query={stalls} height={100} isEmpty={(d) => d.length === 0}>
          {(rows) => (
            <div className={styles.tableWrap}>
              <table data-testid="stalls">
                <thead>
                  <tr>
                    <th>{t('occurredAt')}</th>
                    <th>{t('block')}</th>
                    <th>{t('summary')}</th>
                    <th>{t('status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td className="mono">{shanghaiTime(r.occurredAt, lang)}</td>
                      <td className="mono">#{formatExact(r.evidenceBlock, lang)}</td>
                      <td>
                        <Link href={`/incidents/${r.id}`}>{incidentSummary(r, lang)}</Link>
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryBlock>
      </div>
    </section>
  );
}
