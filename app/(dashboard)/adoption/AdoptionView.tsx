'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { EChart, type ChartClick } from '~/app/_charts/EChart';
import { type Lang } from '~/app/_charts/format';
import { buildShareLinesOption, monthlyShareSeries } from '~/app/_charts/lines';
import { buildBreadthDepthOption } from '~/app/_charts/scatter';
import {
  autoTiles,
  buildTileMapOption,
  provinceTiles,
  tileMapHeight,
  tileMapSummary,
} from '~/app/_charts/tile-map';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { FilterBar, PeriodNote } from '~/app/_components/FilterBar';
import { regionLabel } from '~/app/_lib/labels';
import { isProvinceCode } from '~/domain/regions';
import type { AdoptionParams } from '~/app/_lib/params';
import { METRICS, toQuery } from '~/app/_lib/query';
import { LeadershipSections } from './LeadershipSections';
import { QueryBlock } from '~/app/_components/States';
import { formatMetric, isShare, METRIC_TERM, metricValue, type Metric } from './metrics';
import { Defined } from '~/app/_components/Defined';
import { RankingTable } from './RankingTable';

export function AdoptionView({
  title,
  params,
  scope,
}: {
  title: string;
  params: AdoptionParams;
  scope: number | null;
}) {
  const t = useTranslations('adoption');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const router = useRouter();
  const path = usePathname();
  const { metric = 'online_share', province, ...period } = params;
  // A city's user, at their province, sees their city by the district codes the data carries: at
  // the city level it would be a map of one tile (as on /supervision).
  const districts = scope !== null && !isProvinceCode(scope) && province !== undefined;
  const regions = useQuery(
    trpc.adoption.regions.queryOptions({ ...period, province, ...(districts ? { districts } : {}) }),
  );
  const trend = useQuery(trpc.adoption.trend.queryOptions({ ...period, province, top: 8 }));
  const go = useCallback(
    (patch: Partial<AdoptionParams>) =>
      router.push(`${path}${toQuery({ ...params, ...patch })}`, { scroll: false }),
    [router, path, params],
  );

  const mapOption = useMemo(() => {
    const d = regions.data;
    if (!d) return null;
    const single = d.level === 'district' && d.cells.length < 2;
    const layout =
      d.level === 'province'
        ? provinceTiles(lang)
        : autoTiles(d.cells.map((c) => ({ code: c.regionCode, label: regionLabel(c.regionCode, lang) })));
    const values = d.cells.map((c) => ({ code: c.regionCode, value: metricValue(c, metric) }));
    const format = (v: number) => formatMetric(v, metric, lang);
    const option = buildTileMapOption({
      layout,
      values,
      format,
      metricName: t(`metrics.${metric}`),
      noDataText: t('noData'),
      kind: isShare(metric) ? 'share' : 'count',
    });
    const title = t('mapTitle', { metric: t(`metrics.${metric}`) });
    const summary = tileMapSummary(layout, values, format, lang);
    return {
      option,
      single,
      height: tileMapHeight(layout.rows),
      // The canvas in words for screen readers: each tile with data and its value.
      label: summary ? `${title}${lang === 'zh' ? '：' : ': '}${summary}` : title,
    };
  }, [regions.data, metric, lang, t]);

  const onMapClick = useCallback(
    (e: ChartClick) => {
      const code = (e.data as { code?: number } | undefined)?.code;
      if (code && regions.data?.level === 'province') go({ province: code });
    },
    [regions.data, go],
  );

  const trendOption = useMemo(() => {
    const d = trend.data;
    if (!d) return null;
    return buildShareLinesOption({
      buckets: d.buckets,
      lang,
      partialBucket: d.partialBucket,
      partialMark: t('partialMark'),
      series: monthlyShareSeries(d).map((s) => ({ name: regionLabel(s.regionCode, lang), values: s.values })),
    });
  }, [trend.data, lang, t]);

  const scatterOption = useMemo(() => {
    const d = regions.data;
    if (!d) return null;
    return buildBreadthDepthOption({
      lang,
      axisNames: { x: t('breadth'), y: t('depth') },
      points: d.cells
        .filter((c) => c.fullyOnlineShare !== null && c.onlineShare !== null)
        .map((c) => ({
          code: c.regionCode,
          label: regionLabel(c.regionCode, lang),
          breadth: c.fullyOnlineShare ?? 0,
          depth: c.onlineShare ?? 0,
          cases: c.casesTotal,
        })),
    });
  }, [regions.data, lang, t]);

  return (
    <section>
      <div className={styles.head}>
        <h1>{title}</h1>
        {regions.data && <PeriodNote period={regions.data.period} />}
      </div>
      <FilterBar values={params} scope={scope} defaultPeriod="90d">
        <label>
          {t('metric')}
          <select name="metric" value={metric} onChange={(e) => go({ metric: e.target.value as Metric })}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`metrics.${m}`)}
              </option>
            ))}
          </select>
        </label>
      </FilterBar>
      <nav className={styles.crumbs} aria-label="breadcrumb">
        <Link href={`${path}${toQuery({ ...params, province: undefined })}`}>{t('national')}</Link>
        {province && (
          <>
            {' '}
            / <strong>{regionLabel(province, lang)}</strong>
          </>
        )}
      </nav>

      <div className={styles.grid2}>
        <div className={styles.card}>
          <h2>
            <Defined term={METRIC_TERM[metric]}>{t('mapTitle', { metric: t(`metrics.${metric}`) })}</Defined>
            <span className={styles.hint}>{regions.data?.level === 'province' ? t('mapHint') : ''}</span>
          </h2>
          <QueryBlock
            query={regions}
            height={420}
            isEmpty={(d) => d.level !== 'province' && d.cells.length === 0}
          >
            {(d) =>
              mapOption?.single ? (
                <div data-testid="map-single">
                  <p>{t('mapSingle', { region: regionLabel(scope ?? 0, lang) })}</p>
                  <dl className={styles.facts}>
                    {METRICS.map((m) => {
                      const v = d.cells[0] ? metricValue(d.cells[0], m) : null;
                      return (
                        <div key={m} data-metric={m}>
                          <dt>{t(`metrics.${m}`)}</dt>
                          <dd>{v === null ? t('noData') : formatMetric(v, m, lang)}</dd>
                        </div>
                      );
                    })}
                  </dl>
                </div>
              ) : (
                mapOption && (
                  <EChart
                    option={mapOption.option}
                    height={mapOption.height}
                    label={mapOption.label}
                    onClick={onMapClick}
                    testId="tile-map"
                  />
                )
              )
            }
          </QueryBlock>
        </div>
        <div className={styles.card}>
          <h2>{t('rankingTitle')}</h2>
          <QueryBlock query={regions} height={420} isEmpty={(d) => d.cells.length === 0}>
            {(d) => (
              <RankingTable
                cells={d.cells}
                metric={metric}
                onPick={d.level === 'province' ? (code) => go({ province: code }) : undefined}
              />
            )}
          </QueryBlock>
        </div>
      </div>

      <div className={styles.grid2}>
        <div className={styles.card}>
          <h2>
            <Defined term="onlineShare">{t('trendTitle')}</Defined>
            <span className={styles.hint}>{t('trendHint')}</span>
          </h2>
          <QueryBlock query={trend} height={340} isEmpty={(d) => d.regions.length === 0}>
            {() => trendOption && <EChart option={trendOption} height={340} label={t('trendTitle')} />}
          </QueryBlock>
        </div>
        <div className={styles.card}>
          <h2>
            {t('scatterTitle')}
            <span className={styles.hint}>{t('scatterHint')}</span>
          </h2>
          <QueryBlock
            query={regions}
            height={340}
            isEmpty={(d) => !d.cells.some((c) => c.fullyOnlineShare !== null && c.onlineShare !== null)}
          >
            {() => scatterOption && <EChart option={scatterOption} height={340} label={t('scatterTitle')} />}
          </QueryBlock>
        </div>
      </div>
      <LeadershipSections province={province} />
    </section>
  );
}
