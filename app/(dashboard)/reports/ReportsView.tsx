'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { regionName } from '../../../domain/regions';
import { plainError } from '../../_lib/plain-error';
import { useTRPC } from '../../_lib/trpc/react';
import {
  formatShanghai,
  periodChoices,
  periodLabel,
  regionOptions,
  reportErrorKey,
  shanghaiToday,
  type PeriodKind,
} from './options';
import styles from './reports.module.css';
import { SubscriptionsPanel } from './SubscriptionsPanel';

/** `canGenerate`: the caller holds reports:generate; without it the builder is not shown. */
export function ReportsView({ scope, canGenerate }: { scope: number | null; canGenerate: boolean }) {
  const locale = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const t = useTranslations('reports');
  const trpc = useTRPC();
  const router = useRouter();
  const regions = useMemo(() => regionOptions(scope, lang), [scope, lang]);
  const [region, setRegion] = useState<number>(regions[0]?.code ?? 0);
  const [kind, setKind] = useState<PeriodKind>('month');
  // Complete periods only: the picker cannot offer a running or future one (issue 21, item 11).
  const choices = useMemo(() => periodChoices(kind, shanghaiToday()), [kind]);
  const [period, setPeriod] = useState(() => periodChoices('month', shanghaiToday())[0] ?? '');
  const [reportLang, setReportLang] = useState<'zh' | 'en'>(lang);
  const list = useQuery(trpc.reports.list.queryOptions({ limit: 50 }));
  const generate = useMutation(
    trpc.reports.generate.mutationOptions({ onSuccess: ({ id }) => router.push(`/reports/${id}`) }),
  );
  const valid = choices.includes(period);
  const failure = generate.error ? reportErrorKey(generate.error.message, generate.error.data?.code) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) generate.mutate({ regionCode: region, period, lang: reportLang });
  };
  const name = (code: number) => (code === 0 ? t('nation') : regionName(code, lang));

  return (
    <section>
      <h1>{t('title')}</h1>
      <form
        className={`panel ${styles.builder}`}
        onSubmit={onSubmit}
        data-testid="report-builder"
        hidden={!canGenerate}
      >
        <label>
          {t('region')}
          <select name="region" value={region} onChange={(e) => setRegion(Number(e.target.value))}>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('periodKind')}
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              const k = e.target.value as PeriodKind;
              setKind(k);
              setPeriod(periodChoices(k, shanghaiToday())[0] ?? '');
            }}
          >
            <option value="month">{t('month')}</option>
            <option value="quarter">{t('quarter')}</option>
            <option value="year">{t('year')}</option>
          </select>
        </label>
        <label>
          {t('period')}
          <select
            name="period"
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            title={t('periodHint')}
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {periodLabel(c, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('language')}
          <select
            name="lang"
            value={reportLang}
            onChange={(e) => setReportLang(e.target.value === 'en' ? 'en' : 'zh')}
          >
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="submit" disabled={!valid || generate.isPending}>
          {generate.isPending ? t('generating') : t('generate')}
        </button>
        {generate.error && failure && (
          <p className="error" role="alert" data-testid="report-error">
            {t(`errors.${failure}`, { message: plainError(generate.error.message) })}
          </p>
        )}
      </form>
      <p className="muted">{t('schedule')}</p>

      <h2>{t('history')}</h2>
      <div className="panel">
        {list.isLoading && <p className="muted">{t('loading')}</p>}
        {list.data?.length === 0 && <p className="muted">{t('empty')}</p>}
        {list.data && list.data.length > 0 && (
          <table className={styles.table} data-testid="report-history">
            <thead>
              <tr>
                <th>{t('region')}</th>
                <th>{t('period')}</th>
                <th>{t('generatedAt')}</th>
                <th>{t('trigger')}</th>
                <th>{t('by')}</th>
                <th>{t('download')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.id} data-report-id={r.id}>
                  <td>
                    <Link href={`/reports/${r.id}`}>{name(r.regionCode)}</Link>
                  </td>
                  <td>{periodLabel(r.period, lang)}</td>
                  <td>{formatShanghai(r.generatedAt, lang)}</td>
                  <td>{t.has(`triggers.${r.trigger}`) ? t(`triggers.${r.trigger}`) : r.trigger}</td>
                  <td className="muted">{r.generatedBy === 'scheduler' ? t('system') : r.generatedBy}</td>
                  <td className={styles.links}>
                    <a href={`/api/reports/${r.id}?format=pdf`}>{t('pdf')}</a>
                    <a href={`/api/reports/${r.id}?format=html`} target="_blank" rel="noreferrer">
                      {t('html')}
                    </a>
                    <a href={`/api/reports/${r.id}?format=json`}>{t('json')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <SubscriptionsPanel scope={scope} />
    </section>
  );
}
