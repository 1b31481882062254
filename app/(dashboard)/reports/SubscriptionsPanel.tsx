'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { regionName } from '../../../domain/regions';
import { regionOptions, shanghaiTime } from '~/app/_lib/labels';
import { useTRPC } from '../../_lib/trpc/react';
import styles from './reports.module.css';

/**
 * E-mail delivery of the scheduled reports: one's own subscriptions (a region in scope, monthly or
 * quarterly, Chinese or English) and the delivery log, failures and retries included.
 */
export function SubscriptionsPanel({ scope }: { scope: number | null }) {
  const t = useTranslations('subscriptions');
  const lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const qc = useQueryClient();
  const regions = useMemo(() => regionOptions(scope, lang), [scope, lang]);
  const [region, setRegion] = useState<number>(regions[0]?.code ?? 0);
  const [kind, setKind] = useState<'month' | 'quarter'>('month');
  const [mailLang, setMailLang] = useState<'zh' | 'en'>(lang);
  const list = useQuery(trpc.subscriptions.list.queryOptions());
  const deliveries = useQuery(trpc.subscriptions.deliveries.queryOptions({ limit: 50 }));
  const refresh = () => qc.invalidateQueries(trpc.subscriptions.pathFilter());
  const subscribe = useMutation(trpc.subscriptions.subscribe.mutationOptions({ onSuccess: refresh }));
  const unsubscribe = useMutation(trpc.subscriptions.unsubscribe.mutationOptions({ onSuccess: refresh }));
  const name = (code: number) => (code === 0 ? (lang === 'zh' ? '全国' : 'Nation') : regionName(code, lang));

  return (
    <>
      <h2>{t('title')}</h2>
      <p className="muted">{t('hint')}</p>
      <form
        className={`panel ${styles.builder}`}
        data-testid="subscribe"
        onSubmit={(e) => {
          e.preventDefault();
          subscribe.mutate({ regionCode: region, kind, lang: mailLang });
        }}
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
          {t('kind')}
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.target.value === 'quarter' ? 'quarter' : 'month')}
          >
            <option value="month">{t('kinds.month')}</option>
            <option value="quarter">{t('kinds.quarter')}</option>
          </select>
        </label>
        <label>
          {t('lang')}
          <select
            name="lang"
            value={mailLang}
            onChange={(e) => setMailLang(e.target.value === 'en' ? 'en' : 'zh')}
          >
            <option value="zh">{t('langs.zh')}</option>
            <option value="en">{t('langs.en')}</option>
          </select>
        </label>
        <button type="submit" disabled={subscribe.isPending}>
          {t('subscribe')}
        </button>
        {subscribe.error && (
          <p className="error" role="alert">
            {subscribe.error.message}
          </p>
        )}
      </form>
      <div className="panel">
        {list.data?.length === 0 && <p className="muted">{t('none')}</p>}
        {list.data && list.data.length > 0 && (
          <table className={styles.table} data-testid="subscriptions">
            <tbody>
              {list.data.map((s) => (
                <tr key={s.id}>
                  <td>{name(s.regionCode)}</td>
                  <td>{t(`kinds.${s.kind === 'quarter' ? 'quarter' : 'month'}`)}</td>
                  <td>{t(`langs.${s.lang === 'en' ? 'en' : 'zh'}`)}</td>
                  <td>{s.email}</td>
                  <td>
                    <button type="button" onClick={() => unsubscribe.mutate({ id: s.id })}>
                      {t('unsubscribe')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <h2>{t('deliveries')}</h2>
      <div className="panel">
        {deliveries.data?.length === 0 && <p className="muted">{t('noDeliveries')}</p>}
        {deliveries.data && deliveries.data.length > 0 && (
          <table className={styles.table} data-testid="deliveries">
            <thead>
              <tr>
                <th>{t('report')}</th>
                <th>{t('email')}</th>
                <th>{t('status')}</th>
                <th>{t('attempts')}</th>
                <th>{t('sentAt')}</th>
                <th>{t('next')}</th>
                <th>{t('lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id} data-status={d.status}>
                  <td>
                    <a href={`/reports/${d.reportId}`}>
                      {name(d.regionCode)} {d.period}
                    </a>
                  </td>
                  <td>{d.email}</td>
                  <td>
                    {t(
                      `statuses.${d.status === 'sent' ? 'sent' : d.status === 'failed' ? 'failed' : 'pending'}`,
                    )}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.sentAt ? shanghaiTime(d.sentAt, lang) : '—'}</td>
                  <td>
                    {d.status === 'pending' && d.attempts > 0 ? shanghaiTime(d.nextAttemptAt, lang) : '—'}
                  </td>
                  <td className="muted">{d.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
