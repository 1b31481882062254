'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { regionName } from '../../../domain/regions';
import { RULES, type RuleId } from '../../../domain/rules';
import { EChart } from '../../_charts/EChart';
import { buildStackedSeriesOption } from '../../_charts/lines';
import { buildCaseTrendOption, regionTotals, ruleSeries } from '../../_charts/supervision';
import {
  autoTiles,
  buildTileMapOption,
  provinceTiles,
  tileMapHeight,
  tileMapSummary,
} from '../../_charts/tile-map';
import { regionLabel } from '~/app/_lib/labels';
import { SeverityBadge } from '~/app/_components/Badges';
import { ruleLabel, toLang } from '~/app/_lib/format';
import { lastDay } from '~/app/_components/SupervisionPanel';
import { useTRPC } from '../../_lib/trpc/react';
import type { SupervisionFigures } from '~/server/services/supervision-stats';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** One row of figures; each count drills to the incident list filtered by `base` and its state. */
function FigureCells({
  f,
  base,
  drill,
}: {
  f: SupervisionFigures;
  base: Record<string, string>;
  drill: boolean;
}) {
  const href = (deadline: string) => `/incidents?${new URLSearchParams({ ...base, deadline }).toString()}`;
  const cell = (n: number, deadline: string, testId: string) => (
    <td className="num" data-testid={testId}>
      {drill ? <Link href={href(deadline)}>{n}</Link> : n}
    </td>
  );
  return (
    <>
      {cell(f.open, 'open', 'fig-open')}
      {cell(f.overdue, 'red', 'fig-overdue')}
      {cell(f.onTime, 'closed', 'fig-ontime')}
      {cell(f.late, 'late', 'fig-late')}
      <td className="num" data-testid="fig-rate">
        {pct(f.rate)}
      </td>
      <td className="num">{f.medianHours ?? '—'}</td>
    </>
  );
}

export function SupervisionView({
  department,
  regionCode,
}: {
  department: boolean;
  regionCode: number | null;
}) {
  const t = useTranslations('supervision');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const queue = useQuery(trpc.supervision.queue.queryOptions({}));
  const escalated = useQuery({
    ...trpc.supervision.queue.queryOptions({ escalatedToMe: true }),
    enabled: !department,
  });
  const stats = useQuery(trpc.supervision.stats.queryOptions({}));
  const breakdown = useQuery({ ...trpc.supervision.breakdown.queryOptions({}), enabled: !department });
  const [rule, setRule] = useState<string | null>(null);
  const drill = !department;

  const headCells = (
    <>
      <th>{t('open')}</th>
      <th>{t('overdue')}</th>
      <th>{t('onTime')}</th>
      <th>{t('closedLate')}</th>
      <th title={t('rateHint')}>{t('rate')}</th>
      <th>{t('median')}</th>
    </>
  );

  const trendOption = useMemo(() => {
    const tr = stats.data?.trend ?? [];
    return buildCaseTrendOption({
      weeks: tr.map((p) => p.week),
      handedOver: tr.map((p) => p.handedOver),
      onTime: tr.map((p) => p.onTime),
      late: tr.map((p) => p.late),
      names: { handedOver: t('handedOver'), onTime: t('onTime'), late: t('closedLate') },
      lang,
      partialWeek: stats.data?.partialWeek ?? null,
      partialMark: t('partialMark'),
      partialNote: t('partialNote'),
    });
  }, [stats.data, t, lang]);

  // The map opens at the user's own region, laid out as /adoption lays out the same level.
  // A city's user sees the city's districts where the incidents carry district codes; with one
  // code only the map would be a single tile, so the counts per rule stand in its place.
  const mapOption = useMemo(() => {
    const b = breakdown.data;
    const rows = b?.byRegion ?? [];
    const tiles = regionTotals(rows, null);
    const layout =
      (b?.level ?? 'province') === 'province'
        ? provinceTiles(lang)
        : autoTiles(tiles.map((c) => ({ code: c.code, label: regionLabel(c.code, lang) })));
    const single = b?.level === 'district' && tiles.length < 2;
    const values = regionTotals(rows, rule);
    const option = buildTileMapOption({
      layout,
      values,
      format: (v) => String(v),
      metricName: t('incidentMap'),
      noDataText: t('none'),
      kind: 'count',
    });
    // The canvas in words for screen readers (and what the browser test reads): tiles and counts.
    const summary = tileMapSummary(layout, values, String, lang);
    return {
      option,
      single,
      height: tileMapHeight(layout.rows),
      label: summary ? `${t('incidentMap')}${lang === 'zh' ? '：' : ': '}${summary}` : t('incidentMap'),
    };
  }, [breakdown.data, rule, lang, t]);
  const ruleTotals = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of breakdown.data?.byRegion ?? [])
      if (rule === null || r.rule === rule) m.set(r.rule, (m.get(r.rule) ?? 0) + r.n);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [breakdown.data, rule]);
  const incidentTrend = useMemo(() => {
    const b = breakdown.data;
    const series = ruleSeries(b?.weeks ?? [], b?.byWeek ?? []).filter(
      (s) => rule === null || s.rule === rule,
    );
    return buildStackedSeriesOption({
      buckets: b?.weeks ?? [],
      granularity: 'week',
      series: series.map((s) => ({ name: RULES[s.rule as RuleId]?.[lang] ?? s.rule, values: s.values })),
      lang,
      partial: b?.partialWeek
        ? { bucket: b.partialWeek, mark: t('partialMark'), note: t('partialNote') }
        : null,
    });
  }, [breakdown.data, rule, lang, t]);

  const queueTable = (rows: typeof queue.data, testId: string) =>
    !rows || rows.length === 0 ? (
      <p className="muted">{t('none')}</p>
    ) : (
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t('incident')}</th>
            <th>{t('region')}</th>
            <th>{t('responsible')}</th>
            <th>{t('stage')}</th>
            <th>{t('due')}</th>
            <th>{t('state')}</th>
            <th>{t('escalation')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-id={r.id}>
              <td>
                <Link href={`/incidents/${r.id}`}>
                  #{r.id} {ruleLabel(r.rule, lang)}
                </Link>{' '}
                <SeverityBadge severity={r.severity} />
              </td>
              <td>{regionName(r.regionCode, lang)}</td>
              <td>{r.responsibleName ?? r.responsibleOrg}</td>
              <td>{t(`stages.${r.stage}`)}</td>
              {/* A date on one line: the English columns broke 2026-12-09 after its second hyphen. */}
              <td data-testid="due" style={{ whiteSpace: 'nowrap' }}>
                {lastDay(r.dueAt)}
              </td>
              <td>{t(`states.${r.state}`)}</td>
              <td>{r.escalationLevel === 0 ? '—' : t('level', { n: r.escalationLevel })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return (
    <section className="stack">
      <h1>{t('title')}</h1>
      <div className="panel">
        <h2>{department ? t('mine') : t('queue')}</h2>
        {queueTable(queue.data, 'queue')}
      </div>
      {!department && (
        <div className="panel">
          <h2>
            {t('escalatedToMe')} ({regionCode === null ? t('nation') : regionName(regionCode, lang)})
          </h2>
          {queueTable(escalated.data, 'escalated-queue')}
        </div>
      )}
      {stats.data && (
        <div className="panel stack">
          <h2>{t('figures')}</h2>
          <table data-testid="figures-total">
            <thead>
              <tr>{headCells}</tr>
            </thead>
            <tbody>
              <tr>
                <FigureCells f={stats.data.total} base={{}} drill={drill} />
              </tr>
            </tbody>
          </table>
          <h3>{t('byRegion')}</h3>
          <table data-testid="figures-region">
            <thead>
              <tr>
                <th>{t('region')}</th>
                {headCells}
              </tr>
            </thead>
            <tbody>
              {stats.data.byRegion.map((r) => (
                <tr key={r.regionCode} data-region={r.regionCode}>
                  <td>{regionName(r.regionCode, lang)}</td>
                  <FigureCells f={r} base={{ region: String(r.regionCode) }} drill={drill} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('byDepartment')}</h3>
          <table data-testid="figures-department">
            <thead>
              <tr>
                <th>{t('department')}</th>
                {headCells}
              </tr>
            </thead>
            <tbody>
              {stats.data.byDepartment.map((r) => (
                <tr key={r.org} data-org={r.org}>
                  <td>{r.name ?? r.org}</td>
                  <FigureCells f={r} base={{ dept: r.org }} drill={drill} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('trend')}</h3>
          <EChart option={trendOption} label={t('trend')} height={260} testId="case-trend" />
        </div>
      )}
      {!department && breakdown.data && (
        <div className="panel stack">
          <div className="row">
            <label>
              {t('allRules')}{' '}
              <select
                value={rule ?? ''}
                onChange={(e) => setRule(e.target.value || null)}
                aria-label={t('allRules')}
              >
                <option value="">{t('allRules')}</option>
                {Object.keys(RULES).map((r) => (
                  <option key={r} value={r}>
                    {ruleLabel(r, lang)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <h3>{t('incidentMap')}</h3>
          {mapOption.single ? (
            <div data-testid="incident-map-single">
              <p>
                {t('mapSingle', {
                  region: regionName(breakdown.data.region ?? regionCode ?? 0, lang),
                })}
              </p>
              {ruleTotals.length === 0 ? (
                <p className="muted">{t('none')}</p>
              ) : (
                <table data-testid="incident-rules">
                  <thead>
                    <tr>
                      <th>{t('rule')}</th>
                      <th className="num">{t('incidentCount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ruleTotals.map(([r, n]) => (
                      <tr key={r} data-rule={r}>
                        <td>{ruleLabel(r, lang)}</td>
                        <td className="num">
                          <Link href={`/incidents?${new URLSearchParams({ rule: r }).toString()}`}>{n}</Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ) : (
            <EChart
              option={mapOption.option}
              label={mapOption.label}
              height={mapOption.height}
              testId="incident-map"
            />
          )}
          <h3>{t('incidentTrend')}</h3>
          <EChart option={incidentTrend} label={t('incidentTrend')} height={280} testId="incident-trend" />
        </div>
      )}
    </section>
  );
}
