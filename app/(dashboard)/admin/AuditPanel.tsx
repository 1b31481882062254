'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';
import styles from '~/app/_components/forms.module.css';
import { shanghaiTime } from '~/domain/format';

interface Filter {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

export function AuditPanel() {
  const t = useTranslations('admin');
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>({});
  const audit = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      { ...filter, limit: 100 },
      { getNextPageParam: (last) => last.nextBefore ?? undefined, initialCursor: undefined },
    ),
  );

  const onFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => formText(f, k).trim() || undefined;
    const date = (k: string) => (text(k) ? new Date(`${text(k)}T00:00:00+08:00`) : undefined);
    const to = date('to');
    setFilter({
      action: text('action'),
      actor: text('actor'),
      from: date('from'),
      to: to && new Date(to.getTime() + 86_400_000 - 1),
    });
  };

  const exportHref = () => {
    const q = new URLSearchParams();
    if (filter.action) q.set('action', filter.action);
    if (filter.actor) q.set('actor', filter.actor);
    if (filter.from) q.set('from', filter.from.toISOString());
    if (filter.to) q.set('to', filter.to.toISOString());
    return `/api/admin/audit-export?${q.toString()}`;
  };

  const rows = audit.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <div className="stack">
      <form className={`panel ${styles.form}`} onSubmit={onFilter}>
        <label>
          {t('action')}
          <input name="action" placeholder="auth. / user.create" pattern="[a-z_.]*" />
        </label>
        <label>
          {t('actor')}
          <input name="actor" />
        </label>
        <label>
          {t('from')}
          <input name="from" type="date" />
        </label>
        <label>
          {t('to')}
          <input name="to" type="date" />
        </label>
        <div className="row">
          <button className="primary" type="submit">
            {t('filter')}
          </button>
          <a href={exportHref()} download>
            {t('exportCsv')}
          </a>
        </div>
      </form>
      {audit.error && <p className="error">{audit.error.message}</p>}
      <div className={styles.tableWrap}>
        <table>
          <thead>
            <tr>
              <th>{t('time')}</th>
              <th>{t('actor')}</th>
              <th>{t('action')}</th>
              <th>{t('target')}</th>
              <th>{t('ip')}</th>
              <th>{t('details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{shanghaiTime(r.at)}</td>
                <td>{r.actorLabel}</td>
                <td className="mono">{r.action}</td>
                <td className="mono">{r.target}</td>
                <td className="mono">{r.ip}</td>
                <td className={`mono ${styles.details}`}>
                  {Object.keys(r.details).length ? JSON.stringify(r.details) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {audit.hasNextPage && (
        <button onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {t('more')}
        </button>
      )}
    </div>
  );
}
