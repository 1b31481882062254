'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { RULES } from '../../domain/rules';
import { TARGET_METRIC_META } from '../../domain/targets';
import { formatCount, formatPercent, type Lang } from '../_charts/format';
import { buildSankeyOption } from '../_charts/sankey';
import { forWallDisplay } from '../_charts/screen';
import { buildTileMapOption, provinceTiles } from '../_charts/tile-map';
import { incidentRegion, regionLabel, shanghaiTime } from '~/app/_lib/labels';
import { toQuery } from '~/app/_lib/query';
import { formatTargetValue, targetHref } from '~/app/_lib/targets';
import { useTRPC } from '../_lib/trpc/react';
import { ScreenChart } from './ScreenChart';
import s from './screen.module.css';
import { incidentSummary } from '~/domain/incident-summary';

export type ScreenPanel = 'flows' | 'map' | 'targets' | 'incidents';

/** The stage is drawn at 1920×1080 and scaled to the window: 4K shows it at exactly twice the size. */
const STAGE_W = 1920;
const STAGE_H = 1080;
const PERIOD = '30d' as const;

function useStageScale(): number {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const fit = () => setScale(Math.min(window.innerWidth / STAGE_W, window.innerHeight / STAGE_H));
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  return scale;
}

function useClock(): Date | null {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * 数据大屏: rotates between the panels the role may read, every `rotateMs`; every query refetches
 * every `refreshMs` (no reload, no navigation), so the screen runs for days on live data.
 */
export function ScreenView({
  panels,
  rotateMs,
  refreshMs,
}: {
  panels: ScreenPanel[];
  rotateMs: number;
  refreshMs: number;
}) {
  const t = useTranslations('screen');
  const tt = useTranslations('targets');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const scale = useStageScale();
  const now = useClock();
  const [index, setIndex] = useState(0);
  const [turns, setTurns] = useState(0);
  useEffect(() => {
    if (panels.length < 2) return;
    const id = setInterval(() => {
      setIndex((i) => (i + 1) % panels.length);
      setTurns((n) => n + 1);
    }, rotateMs);
    return () => clearInterval(id);
  }, [panels.length, rotateMs]);
  const live = { refetchInterval: refreshMs, refetchIntervalInBackground: true } as const;
  const has = (p: ScreenPanel) => panels.includes(p);

  const summary = useQuery({ ...trpc.overview.summary.queryOptions({ period: PERIOD }), ...live });
  const sankey = useQuery({
    ...trpc.flows.sankey.queryOptions({ group: 'region', period: PERIOD, top: 24 }),
    ...live,
    enabled: has('flows'),
  });
  const regions = useQuery({
    ...trpc.adoption.regions.queryOptions({ period: PERIOD }),
    ...live,
    enabled: has('map'),
  });
  const targets = useQuery({ ...trpc.targets.progress.queryOptions(), ...live, enabled: has('targets') });
  const incidents = useQuery({
    ...trpc.overview.highIncidents.queryOptions({ limit: 10 }),
    ...live,
    enabled: has('incidents'),
  });
  const updatedAt = Math.max(
    summary.dataUpdatedAt,
    sankey.dataUpdatedAt,
    regions.dataUpdatedAt,
    targets.dataUpdatedAt,
    incidents.dataUpdatedAt,
  );

  const sankeyOption = useMemo(() => {
    const d = sankey.data;
    if (!d) return null;
    return forWallDisplay(
      buildSankeyOption({ pairs: d.pairs, label: (k) => regionLabel(Number(k), lang), lang }),
      18,
    );
  }, [sankey.data, lang]);
  const mapOption = useMemo(() => {
    const d = regions.data;
    if (!d) return null;
    return forWallDisplay(
      buildTileMapOption({
        layout: provinceTiles(lang),
        values: d.cells.map((c) => ({ code: c.regionCode, value: c.onlineShare })),
        format: (v) => formatPercent(v),
        metricName: t('onlineShare'),
        noDataText: '—',
        kind: 'share',
      }),
      16,
    );
  }, [regions.data, lang, t]);

  const panel = panels[index] ?? panels[0];
  const k = summary.data?.kpis;
  return (
    <div className={s.viewport}>
      <div
        className={s.stage}
        style={{ width: STAGE_W, height: STAGE_H, transform: `scale(${scale})` }}
        data-testid="screen"
        data-panel={panel}
        data-turns={turns}
        data-updated={updatedAt}
      >
        <header className={s.header}>
          <h1>{t('title')}</h1>
          <div className={s.kpis}>
            <Link href={`/flows${toQuery({ period: PERIOD })}`}>
              <span>{t('accesses')}</span>
              <strong data-testid="screen-accesses">{k ? formatCount(k.accesses.current, lang) : '—'}</strong>
            </Link>
            <Link href={`/flows${toQuery({ period: PERIOD })}`}>
              <span>{t('records')}</span>
              <strong>{k ? formatCount(k.records.current, lang) : '—'}</strong>
            </Link>
            <Link href={`/adoption${toQuery({ period: PERIOD })}`}>
              <span>{t('cases')}</span>
              <strong>{k ? formatCount(k.casesTotal.current, lang) : '—'}</strong>
            </Link>
            <Link href={`/adoption${toQuery({ period: PERIOD, metric: 'online_share' })}`}>
              <span>{t('onlineShare')}</span>
              <strong>
                {k && k.casesTotal.current > 0
                  ? formatPercent(k.casesOnline.current / k.casesTotal.current)
                  : '—'}
              </strong>
            </Link>
            {summary.data && has('incidents') && (
              <Link href={`/incidents${toQuery({ severity: 'high', status: 'open' })}`} className={s.alert}>
                <span>{t('incidents')}</span>
                <strong data-testid="screen-open-high">{summary.data.openIncidents.high}</strong>
              </Link>
            )}
          </div>
          <div className={s.clock}>
            <strong>{now ? shanghaiTime(now, lang).split(' ').pop() : ''}</strong>
            <span>{updatedAt ? t('updated', { time: shanghaiTime(new Date(updatedAt), lang) }) : ''}</span>
          </div>
        </header>
        <nav className={s.dots} aria-hidden>
          {panels.map((p, i) => (
            <span key={p} className={i === index ? s.on : undefined}>
              {t(p)}
            </span>
          ))}
        </nav>
        <main className={s.panel} data-testid={`panel-${panel}`}>
          <h2>{panel ? t(panel) : ''}</h2>
          {panel === 'flows' && sankeyOption && (
            <Link href={`/flows${toQuery({ group: 'region', period: PERIOD })}`} className={s.chartLink}>
              <ScreenChart
                option={sankeyOption}
                height={800}
                scale={scale}
                label={t('flows')}
                testId="screen-sankey"
              />
            </Link>
          )}
          {panel === 'map' && mapOption && (
            <div className={s.split}>
              <Link
                href={`/adoption${toQuery({ period: PERIOD, metric: 'online_share' })}`}
                className={s.chartLink}
              >
                <ScreenChart
                  option={mapOption}
                  height={800}
                  scale={scale}
                  label={t('map')}
                  testId="screen-map"
                />
              </Link>
              <ol className={s.ranking}>
                {[...(regions.data?.cells ?? [])]
                  .filter((c) => c.onlineShare !== null)
                  .sort((a, b) => (b.onlineShare ?? 0) - (a.onlineShare ?? 0))
                  .slice(0, 10)
                  .map((c) => (
                    <li key={c.regionCode}>
                      <Link href={`/adoption${toQuery({ province: c.regionCode, period: PERIOD })}`}>
                        <span>{regionLabel(c.regionCode, lang)}</span>
                        <strong>{formatPercent(c.onlineShare)}</strong>
                      </Link>
                    </li>
                  ))}
              </ol>
            </div>
          )}
          {panel === 'targets' && (
            <div className={s.targets} data-testid="screen-targets">
              {(targets.data?.rows.length ?? 0) === 0 && <p className={s.none}>{t('noTargets')}</p>}
              {[...(targets.data?.rows ?? [])]
                .sort((a, b) => (a.ratio ?? 0) - (b.ratio ?? 0))
                .slice(0, 12)
                .map((r) => (
                  <Link key={r.id} href={targetHref(r)} className={s.target} data-status={r.status}>
                    <span className={s.targetName}>
                      {regionLabel(r.regionCode, lang)} · {TARGET_METRIC_META[r.metric][lang]}
                    </span>
                    <span className={s.bar}>
                      <span style={{ width: `${Math.min(100, (r.ratio ?? 0) * 100)}%` }} />
                    </span>
                    <strong>
                      {formatTargetValue(r.current, r.metric, lang)} /{' '}
                      {formatTargetValue(r.value, r.metric, lang)}
                    </strong>
                    <em>
                      {tt(`statuses.${r.status}`)}
                      {r.status === 'reached' ? '' : ` · ${r.projectedDate ?? tt('never')}`}
                    </em>
                  </Link>
                ))}
            </div>
          )}
          {panel === 'incidents' && (
            <ul className={s.incidents} data-testid="screen-incidents">
              {(incidents.data?.length ?? 0) === 0 && <p className={s.none}>{t('noIncidents')}</p>}
              {(incidents.data ?? []).map((i) => (
                <li key={i.id} data-id={i.id}>
                  <Link href={`/incidents/${i.id}`}>
                    <strong>{RULES[i.rule as keyof typeof RULES]?.[lang] ?? i.rule}</strong>
                    <span>{incidentRegion(i, lang)}</span>
                    <span className={s.summary}>{incidentSummary(i, lang)}</span>
                    <time>{shanghaiTime(i.occurredAt, lang)}</time>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </main>
      </div>
    </div>
  );
}
