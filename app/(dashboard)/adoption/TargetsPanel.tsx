'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useState } from 'react';
import { provinceOf } from '~/domain/regions';
import { PACE_DAYS, TARGET_METRIC_META, TARGET_METRICS, type TargetMetric } from '~/domain/targets';
import type { TargetProgress } from '~/server/targets/progress';
import { formatPercent, type Lang } from '~/app/_charts/format';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { regionLabel } from '~/app/_lib/labels';
import { QueryBlock } from '~/app/_components/States';
import { Defined } from '~/app/_components/Defined';
import { RegionSelect } from '~/app/_components/RegionSelect';
import { formatTargetValue, targetHref } from '~/app/_lib/targets';
import own from './leadership.module.css';

/** Each region's progress against its targets: status, projected date, rank (issue: leadership targets). */
export function TargetsPanel({ province }: { province?: number }) {
  const t = useTranslations('targets');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const q = useQuery(trpc.targets.progress.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  const canSet = me.data?.permissions.includes('targets:write') ?? false;
  return (
    <div className={styles.card} data-testid="targets">
      <h2>
        {t('title')}
        <span className={styles.hint}>{q.data?.asOf ? t('hint', { asOf: q.data.asOf }) : ''}</span>
      </h2>
      <QueryBlock query={q} height={160}>
        {(d) => {
          const rows = d.rows
            .filter((r) => province === undefined || provinceOf(r.regionCode) === province)
            .sort((a, b) => a.metric.localeCompare(b.metric) || (a.rank ?? 1e9) - (b.rank ?? 1e9));
          if (rows.length === 0) return <p className={styles.hint}>{t('empty')}</p>;
          return (
            <div className={styles.tableWrap}>
              <table data-testid="targets-table">
                <thead>
                  <tr>
                    <th>{t('metric')}</th>
                    <th>
                      <Defined term="targetProgress">{t('rank')}</Defined>
                    </th>
                    <th>{t('region')}</th>
                    <th className={styles.num}>
                      <Defined term="targetCurrent">{t('current')}</Defined>
                    </th>
                    <th className={styles.num}>{t('target')}</th>
                    <th>{t('date')}</th>
                    <th className={styles.num}>
                      <Defined term="targetProgress">{t('progress')}</Defined>
                    </th>
                    <th className={styles.num}>
                      <Defined term="targetGap">{t('gap')}</Defined>
                    </th>
                    <th>{t('status')}</th>
                    <th>
                      <Defined term="targetProjected">{t('projected')}</Defined>
                    </th>
                    {canSet && <th />}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <TargetRow key={r.id} r={r} lang={lang} canSet={canSet} />
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryBlock>
      <p className={own.definition}>{t('definition', { pace: PACE_DAYS })}</p>
      {canSet && <TargetForm scope={me.data?.regionCode ?? null} />}
    </div>
  );
}

function TargetRow({ r, lang, canSet }: { r: TargetProgress; lang: Lang; canSet: boolean }) {
  const t = useTranslations('targets');
  const trpc = useTRPC();
  const qc = useQueryClient();
  const remove = useMutation(
    trpc.targets.remove.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.targets.pathFilter()) }),
  );
  const meta = TARGET_METRIC_META[r.metric];
  return (
    <tr data-region={r.regionCode} data-metric={r.metric} data-status={r.status}>
      <td>{lang === 'zh' ? meta.zh : meta.en}</td>
      <td>{r.rank === null ? '—' : `${r.rank} / ${r.peers}`}</td>
      <td className={styles.name}>{regionLabel(r.regionCode, lang)}</td>
      <td className={styles.num}>
        <Link href={targetHref(r)} data-testid="target-current">
          {formatTargetValue(r.current, r.metric, lang)}
        </Link>
      </td>
      <td className={styles.num}>{formatTargetValue(r.value, r.metric, lang)}</td>
      <td>{r.targetDate}</td>
      <td className={styles.num}>
        <span className={own.bar} aria-hidden>
          <span style={{ width: `${Math.min(100, (r.ratio ?? 0) * 100)}%` }} />
        </span>
        {formatPercent(r.ratio, 0)}
      </td>
      <td className={styles.num}>
        {r.gap === null || r.gap <= 0 ? '—' : formatTargetValue(r.gap, r.metric, lang)}
      </td>
      <td>
        <span className={own[r.status]}>{t(`statuses.${r.status}`)}</span>
      </td>
      <td>{r.status === 'reached' ? '—' : (r.projectedDate ?? t('never'))}</td>
      {canSet && (
        <td>
          <button type="button" onClick={() => remove.mutate({ id: r.id })} disabled={remove.isPending}>
            {t('remove')}
          </button>
        </td>
      )}
    </tr>
  );
}

/**
 * The region is picked from the admin's own scope (the shared picker), shares typed as 85% or
 * 0.85; the server checks scope and ranges again.
 */
function TargetForm({ scope }: { scope: number | null }) {
  const t = useTranslations('targets');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(
    trpc.targets.set.mutationOptions({
      onSuccess: () => {
        setError(null);
        return qc.invalidateQueries(trpc.targets.pathFilter());
      },
      onError: (e) => setError(e.message),
    }),
  );
  return (
    <form
      className={own.form}
      data-testid="target-form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const field = (k: string) => {
          const v = f.get(k);
          return typeof v === 'string' ? v.trim() : '';
        };
        const metric = field('metric') as TargetMetric;
        const raw = field('value');
        let value = Number(raw.replace(/%$/, ''));
        if (TARGET_METRIC_META[metric].unit === 'share' && (raw.endsWith('%') || value > 1)) value /= 100;
        set.mutate({
          regionCode: Number(field('regionCode')),
          metric,
          value,
          targetDate: field('targetDate'),
        });
      }}
    >
      <strong>{t('setTitle')}</strong>
      <label>
        {t('region')}
        <RegionSelect scope={scope} name="regionCode" allLabel={t('pickRegion')} required />
      </label>
      <label>
        {t('metric')}
        <select name="metric">
          {TARGET_METRICS.map((m) => (
            <option key={m} value={m}>
              {lang === 'zh' ? TARGET_METRIC_META[m].zh : TARGET_METRIC_META[m].en}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('value')}
        <input name="value" required placeholder="85%" />
      </label>
      <label>
        {t('date')}
        <input name="targetDate" type="date" required />
      </label>
      <button type="submit" disabled={set.isPending}>
        {t('save')}
      </button>
      <span className={styles.hint}>{error ?? (set.isSuccess ? t('saved') : t('setHint'))}</span>
    </form>
  );
}
