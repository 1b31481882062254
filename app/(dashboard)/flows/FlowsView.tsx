'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { EChart, type ChartClick } from '~/app/_charts/EChart';
import { formatExact, type Lang } from '~/app/_charts/format';
import { buildHeatmapOption } from '~/app/_charts/heatmap';
import { buildStackedSeriesOption, modeColor } from '~/app/_charts/lines';
import { buildSankeyOption, sankeyFlows, type SankeyLinkDatum } from '~/app/_charts/sankey';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { FilterBar, PeriodNote } from '~/app/_components/FilterBar';
import { kindLabel, modeLabel, regionLabel, shortAddress } from '~/app/_lib/labels';
import type { FlowsParams } from '~/app/_lib/params';
import { GROUPS, toQuery } from '~/app/_lib/query';
import { QueryBlock } from '~/app/_components/States';
import { AccessesPanel, type SelectedLink } from './AccessesPanel';
import { FlowList } from './FlowList';
import { Defined } from '~/app/_components/Defined';

export function FlowsView({
  title,
  params,
  scope,
}: {
  title: string;
  params: FlowsParams;
  scope: number | null;
}) {
  const t = useTranslations('flows');
  const g = useTranslations('glossary');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const router = useRouter();
  const path = usePathname();
  const { group = 'org', source, target, proof, ...filter } = params;
  const [metric, setMetric] = useState<'accesses' | 'records'>('accesses');

  const sankey = useQuery(trpc.flows.sankey.queryOptions({ ...filter, group, top: 30 }));
  const axis = group === 'region' ? 'region' : 'kind';
  const matrix = useQuery(trpc.flows.matrix.queryOptions({ ...filter, axis }));
  const series = useQuery(trpc.flows.series.queryOptions(filter));

  const labelFor = useCallback(
    (g: 'org' | 'kind' | 'region', names: Record<string, string>) => (key: string) =>
      g === 'org'
        ? (names[key] ?? shortAddress(key))
        : g === 'kind'
          ? kindLabel(Number(key), lang)
          : regionLabel(Number(key), lang),
    [lang],
  );

  // The selected flow and the open proof live in the URL, so a copied link shows the same access.
  const link: SelectedLink | null = useMemo(() => {
    if (source === undefined || target === undefined) return null;
    const label = labelFor(group, sankey.data?.names ?? {});
    return { group, source, target, label: `${label(source)} → ${label(target)}` };
  }, [source, target, group, sankey.data, labelFor]);
  const go = useCallback(
    (next: Partial<Record<'source' | 'target' | 'proof', string | undefined>>) => {
      const current = {
        ...params,
        group: group === 'org' ? undefined : group,
        proof: proof ? `${proof.blockNumber}-${proof.logIndex}` : undefined,
      };
      router.push(`${path}${toQuery({ ...current, ...next })}`, { scroll: false });
    },
    [params, group, proof, router, path],
  );
  const setLink = useCallback(
    (l: { source: string; target: string } | null) =>
      go({ source: l?.source, target: l?.target, proof: undefined }),
    [go],
  );

  const selected = useMemo(
    () => (source !== undefined && target !== undefined ? { source, target } : null),
    [source, target],
  );
  const sankeyOption = useMemo(
    () =>
      sankey.data
        ? buildSankeyOption({
            pairs: sankey.data.pairs,
            label: labelFor(group, sankey.data.names),
            lang,
            selected,
          })
        : null,
    [sankey.data, group, lang, labelFor, selected],
  );
  const flows = useMemo(
    () => (sankey.data ? sankeyFlows(sankey.data.pairs, labelFor(group, sankey.data.names)) : []),
    [sankey.data, group, labelFor],
  );
  const matrixOption = useMemo(
    () =>
      matrix.data
        ? buildHeatmapOption({
            cells: matrix.data.pairs,
            label: labelFor(axis, {}),
            lang,
            axisNames: { x: g('provider'), y: g('consumer') },
          })
        : null,
    [matrix.data, axis, lang, labelFor, t],
  );
  const seriesOption = useMemo(
    () =>
      series.data
        ? buildStackedSeriesOption({
            buckets: series.data.points.map((p) => p.bucket),
            granularity: series.data.granularity,
            lang,
            series: series.data.modes.map((m, i) => ({
              name: modeLabel(m, lang),
              color: modeColor(m),
              values: series.data.points.map(
                (p) => (metric === 'accesses' ? p.accesses[i] : p.records[i]) ?? 0,
              ),
            })),
          })
        : null,
    [series.data, lang, metric],
  );

  const onSankeyClick = useCallback(
    (e: ChartClick) => {
      if (e.dataType !== 'edge' || !sankey.data) return;
      const d = e.data as SankeyLinkDatum;
      setLink({ source: d.sourceKey, target: d.targetKey });
    },
    [sankey.data, setLink],
  );

  // A flow's ends belong to its grouping: a new grouping starts with nothing selected.
  const setGroup = (g: string) =>
    router.push(`${path}${toQuery({ ...filter, group: g === 'org' ? undefined : g })}`, { scroll: false });

  return (
    <section>
      <div className={styles.head}>
        <h1>{title}</h1>
        {sankey.data && <PeriodNote period={sankey.data.period} />}
      </div>
      {/* A new filter shows other flows: the selected one and its proof are dropped. */}
      <FilterBar
        values={{ ...filter, group: group === 'org' ? undefined : group }}
        fields={['region', 'category', 'sensitivity', 'mode']}
        scope={scope}
      />

      {/* The drill: the chart (and its flows as a list) with the selected flow's accesses beside it;
          on a narrow screen the accesses come straight under the chart. */}
      <div className={styles.drill}>
        <div className={styles.card}>
          <h2>
            <span>
              <Defined term="flows">{t('sankeyTitle')}</Defined>{' '}
              {sankey.data && (
                <span
                  className={styles.hint}
                  data-testid="sankey-total"
                  data-records={sankey.data.total.records}
                  data-accesses={sankey.data.total.accesses}
                >
                  {t('sankeyHint', {
                    shown: sankey.data.pairs.length,
                    total: sankey.data.total.pairs,
                    records: formatExact(sankey.data.total.records, lang),
                    accesses: formatExact(sankey.data.total.accesses, lang),
                  })}
                </span>
              )}
            </span>
            <span className={styles.tabs} role="group" aria-label={t('groupBy')}>
              {GROUPS.map((g) => (
                <button key={g} type="button" aria-pressed={group === g} onClick={() => setGroup(g)}>
                  {t(`groups.${g}`)}
                </button>
              ))}
            </span>
          </h2>
          <QueryBlock query={sankey} height={420} isEmpty={(d) => d.pairs.length === 0}>
            {() =>
              sankeyOption && (
                <EChart
                  option={sankeyOption}
                  height={Math.max(360, Math.min(720, 26 * (sankey.data?.pairs.length ?? 10)))}
                  label={t('sankeyTitle')}
                  onClick={onSankeyClick}
                  testId="sankey"
                />
              )
            }
          </QueryBlock>
          <p className={styles.hint} style={{ margin: '6px 0 0' }}>
            {t('clickHint')}
          </p>
          {flows.length > 0 && <FlowList flows={flows} selected={selected} onSelect={setLink} lang={lang} />}
        </div>
        <AccessesPanel
          filter={filter}
          link={link}
          onClear={() => setLink(null)}
          proof={proof ?? null}
          onProof={(p) => go({ proof: p ? `${p.blockNumber}-${p.logIndex}` : undefined })}
        />
      </div>

      <div className={styles.grid2}>
        <div className={styles.card}>
          <h2>
            <Defined term="matrix">{axis === 'region' ? t('matrixRegion') : t('matrixKind')}</Defined>
          </h2>
          <QueryBlock query={matrix} height={380} isEmpty={(d) => d.pairs.length === 0}>
            {() =>
              matrixOption && (
                <EChart
                  option={matrixOption}
                  height={Math.max(380, 28 * (matrix.data?.pairs.length ?? 0) ** 0.5 * 4)}
                  label={t('matrixKind')}
                />
              )
            }
          </QueryBlock>
        </div>
        <div className={styles.card}>
          <h2>
            <Defined term="series">{t('seriesTitle')}</Defined>
            <span className={styles.tabs} role="group">
              {(['accesses', 'records'] as const).map((m) => (
                <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
                  {t(m)}
                </button>
              ))}
            </span>
          </h2>
          <QueryBlock
            query={series}
            height={380}
            isEmpty={(d) => d.points.every((p) => p.accesses.every((x) => x === 0))}
          >
            {() => seriesOption && <EChart option={seriesOption} height={380} label={t('seriesTitle')} />}
          </QueryBlock>
        </div>
      </div>
    </section>
  );
}
