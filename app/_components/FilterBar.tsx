'use client';
import { useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ACCESS_MODE_BITS, DATASET_CATEGORIES, SENSITIVITY } from '~/domain/codes';
import type { Lang } from '~/app/_charts/format';
import styles from './views.module.css';
import { categoryLabel, modeLabel, sensitivityLabel } from '~/app/_lib/labels';
import { RegionSelect } from './RegionSelect';
import { PERIODS, toQuery } from '~/app/_lib/query';

export type FilterValues = Record<string, string | number | undefined>;
type Field = 'region' | 'category' | 'sensitivity' | 'mode';

/**
 * The filters of a dashboard page. Every change becomes the URL (router.push), so the page's
 * server component re-validates it and a copied link shows the same view.
 */
export function FilterBar({
  values,
  fields = [],
  scope,
  defaultPeriod = '30d',
  children,
}: {
  /** The period the server uses when none is given (labels the "default" choice). */
  defaultPeriod?: (typeof PERIODS)[number];
  values: FilterValues;
  fields?: Field[];
  scope: number | null;
  children?: React.ReactNode;
}) {
  const t = useTranslations('dash');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const router = useRouter();
  const path = usePathname();
  const [pending, start] = useTransition();
  const custom = values.from !== undefined;
  const [showCustom, setShowCustom] = useState(custom);
  const [from, setFrom] = useState(String(values.from ?? ''));
  const [to, setTo] = useState(String(values.to ?? ''));

  const go = (patch: FilterValues) =>
    start(() => router.push(`${path}${toQuery({ ...values, ...patch })}`, { scroll: false }));
  const pick = (k: string) => (e: React.ChangeEvent<HTMLSelectElement>) =>
    go({ [k]: e.target.value || undefined });

  return (
    <form
      className={styles.filters}
      aria-busy={pending}
      data-testid="filters"
      onSubmit={(e) => {
        e.preventDefault();
        go({ period: undefined, from, to });
      }}
    >
      <label>
        {t('period')}
        <select
          name="period"
          value={showCustom ? 'custom' : String(values.period ?? '')}
          onChange={(e) => {
            if (e.target.value === 'custom') setShowCustom(true);
            else {
              setShowCustom(false);
              go({ period: e.target.value || undefined, from: undefined, to: undefined });
            }
          }}
        >
          <option value="">{t('periodDefault', { p: t(`periods.${defaultPeriod}`) })}</option>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`periods.${p}`)}
            </option>
          ))}
          <option value="custom">{t('periodCustom')}</option>
        </select>
      </label>
      {showCustom && (
        <>
          <label>
            {t('from')}
            <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            {t('to')}
            <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="primary">
            {t('apply')}
          </button>
        </>
      )}
      {fields.includes('region') && (
        <label>
          {t('region')}
          <RegionSelect
            scope={scope}
            allLabel={t('allInScope')}
            value={String(values.region ?? '')}
            onChange={(v) => go({ region: v || undefined })}
          />
        </label>
      )}
      {fields.includes('category') && (
        <label>
          {t('category')}
          <select name="category" value={String(values.category ?? '')} onChange={pick('category')}>
            <option value="">{t('all')}</option>
            {Object.keys(DATASET_CATEGORIES).map((c) => (
              <option key={c} value={c}>
                {categoryLabel(Number(c), lang)}
              </option>
            ))}
          </select>
        </label>
      )}
      {fields.includes('sensitivity') && (
        <label>
          {t('sensitivity')}
          <select name="sensitivity" value={String(values.sensitivity ?? '')} onChange={pick('sensitivity')}>
            <option value="">{t('all')}</option>
            {Object.keys(SENSITIVITY).map((s) => (
              <option key={s} value={s}>
                {sensitivityLabel(Number(s), lang)}
              </option>
            ))}
          </select>
        </label>
      )}
      {fields.includes('mode') && (
        <label>
          {t('mode')}
          <select name="mode" value={String(values.mode ?? '')} onChange={pick('mode')}>
            <option value="">{t('all')}</option>
            {ACCESS_MODE_BITS.map((m) => (
              <option key={m} value={m}>
                {modeLabel(m, lang)}
              </option>
            ))}
          </select>
        </label>
      )}
      {children}
    </form>
  );
}

/** "2026-03-01 – 2026-03-30 · daily": what the server resolved the period to. */
export function PeriodNote({
  period,
}: {
  period: {
    from: string;
    to: string;
    granularity: string;
    prevFrom: string;
    prevTo: string;
    partial?: boolean;
  };
}) {
  const t = useTranslations('dash');
  return (
    <span className={styles.sub} data-testid="period-note" data-partial={period.partial ? 'true' : 'false'}>
      {period.from} – {period.to}
      {period.partial && <strong title={t('partialHint')}> {t('partial')}</strong>} ·{' '}
      {t(`granularity.${period.granularity}`)} · {t('comparedWith')} {period.prevFrom} – {period.prevTo}
    </span>
  );
}
