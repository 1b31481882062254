'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useLocale } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { regionName } from '../../../domain/regions';
import { useTRPC } from '../../_lib/trpc/react';
import { reportMessages } from './_messages';
import {
  defaultPeriod,
  formatShanghai,
  PERIOD_RE,
  periodLabel,
  regionOptions,
  shanghaiToday,
  type PeriodKind,
} from './options';
import styles from './reports.module.css';
import { SubscriptionsPanel } from './SubscriptionsPanel';

/** `canGenerate`: the caller holds reports:generate; without it the builder is not shown. */
export function ReportsView({ scope, canGenerate }: { scope: number | null; canGenerate: boolean }) {
  const locale = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const m = reportMessages(locale);
  const trpc = useTRPC();
  const router = useRouter();
  const regions = useMemo(() => regionOptions(scope, lang), [scope, lang]);
  const [region, setRegion] = useState<number>(regions[0]?.code ?? 0);
  const [kind, setKind] = useState<PeriodKind>('month');
  const [period, setPeriod] = useState(() => defaultPeriod('month', shanghaiToday()));
  const [reportLang, setReportLang] = useState<'zh' | 'en'>('zh');
  const list = useQuery(trpc.reports.list.queryOptions({ limit: 50 }));
  const generate = useMutation(
    trpc.reports.generate.mutationOptions({ onSuccess: ({ id }) => router.push(`/reports/${id}`) }),
  );
  const valid = PERIOD_RE[kind].test(period);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) generate.mutate({ regionCode: region, period, lang: reportLang });
  };
  const name = (code: number) => (code === 0 ? m.nation : regionName(code, lang));

  return (
    <section>
      <h1>{m.title}</h1>
      <form
        className={`panel ${styles.builder}`}
        onSubmit={onSubmit}
        data-testid="report-builder"
        hidden={!canGenerate}
      >
        <label>
          {m.region}
          <select name="region" value={region} onChange={(e) => setRegion(Number(e.target.value))}>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.periodKind}
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              const k = e.target.value as PeriodKind;
              setKind(k);
              setPeriod(defaultPeriod(k, shanghaiToday()));
            }}
          >
            <option value="month">{m.month}</option>
            <option value="quarter">{m.quarter}</option>
            <option value="year">{m.year}</option>
          </select>
        </label>
        <label>
          {m.period}
          <input
            name="period"
            value={period}
            onChange={(e) => setPeriod(e.target.value.trim())}
            placeholder={m.periodHint}
            aria-invalid={!valid}
            size={10}
          />
        </label>
        <label>
          {m.language}
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
          {generate.isPending ? m.generating : m.generate}
        </button>
        {generate.error && (
          <p className="error" role="alert">
            {generate.error.message}
          </p>
        )}
      </form>
      <p className="muted">{m.schedule}</p>

      <h2>{m.history}</h2>
      <div className="panel">
        {list.isLoading && <p className="muted">{m.loading}</p>}
        {list.data?.length === 0 && <p className="muted">{m.empty}</p>}
        {list.data && list.data.length > 0 && (
          <table className={styles.table} data-testid="report-history">
            <thead>
              <tr>
                <th>{m.region}</th>
                <th>{m.period}</th>
                <th>{m.generatedAt}</th>
                <th>{m.trigger}</th>
                <th>{m.by}</th>
                <th>{m.download}</th>
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
                  <td>{m.triggers[r.trigger] ?? r.trigger}</td>
                  <td className="muted">{r.generatedBy}</td>
                  <td className={styles.links}>
                    <a href={`/api/reports/${r.id}?format=pdf`}>{m.pdf}</a>
                    <a href={`/api/reports/${r.id}?format=html`} target="_blank" rel="noreferrer">
                      {m.html}
                    </a>
                    <a href={`/api/reports/${r.id}?format=json`}>{m.json}</a>
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
