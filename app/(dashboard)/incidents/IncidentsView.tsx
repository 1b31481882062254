'use client';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { SeverityBadge, StatusBadge } from '~/app/_components/Badges';
import { STATE_CLASS } from '~/app/_components/SupervisionPanel';
import { ruleLabel, shanghaiTime, shortHash, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../_lib/trpc/react';
import { ErrorState } from '~/app/_components/States';
import { BulkBar } from './BulkBar';
import { exportHref, filterFromParams } from './filter-params';
import { Defined } from '~/app/_components/Defined';
import { IncidentCounts } from './IncidentCounts';
import { IncidentFilters } from './IncidentFilters';
import { LiveAlerts } from './LiveAlerts';
import { incidentSummary } from '~/domain/incident-summary';
import { incidentRegion } from '~/app/_lib/labels';

export function IncidentsView({
  canTriage,
  canExport,
  me,
  scope,
}: {
  canTriage: boolean;
  canExport: boolean;
  me: string;
  scope: number | null;
}) {
  const t = useTranslations('incidents');
  const ts = useTranslations('supervision');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = useMemo(() => new URLSearchParams(search.toString()), [search]);
  const filter = useMemo(() => filterFromParams(params), [params]);
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const apply = (next: URLSearchParams) => {
    setSelected(new Set());
    const q = next.toString();
    router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
  };
  const pick = (key: 'rule' | 'severity', value: string) => {
    const next = new URLSearchParams(params);
    if (next.get(key) === value) next.delete(key);
    else next.set(key, value);
    apply(next);
  };

  const list = useInfiniteQuery(
    trpc.incidents.list.infiniteQueryOptions(
      { filter, limit: 50 },
      { getNextPageParam: (last) => last.next ?? undefined, initialCursor: undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const allShown = rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <div className="stack">
      <LiveAlerts onRefresh={refresh} />
      <IncidentFilters params={params} onApply={apply} scope={scope} />
      <IncidentCounts filter={filter} onPick={pick} />
      {list.error && <ErrorState error={list.error} testId="incident-list-error" />}
      {/* A refused filter lists nothing: no count, export, bulk bar or table that would read as its result. */}
      {!list.error && (
        <>
          <div className="row">
            <span className="muted">{t('shown', { shown: rows.length, total })}</span>
            {canExport && (
              <span className="row" data-testid="export-links">
                {(['csv', 'xlsx', 'json'] as const).map((f) => (
                  <a key={f} className="badge" href={exportHref(params, f)} download>
                    {t('export', { format: f.toUpperCase() })}
                  </a>
                ))}
                {(['csv', 'xlsx', 'json'] as const).map((f) => (
                  <a
                    key={`${f}-zip`}
                    className="badge"
                    href={exportHref(params, f, true)}
                    title={t('exportSignedHint')}
                    data-testid={`export-signed-${f}`}
                    download
                  >
                    {t('exportSigned', { format: f.toUpperCase() })}
                  </a>
                ))}
                {filter.org && <span className="muted">{t('exportNoOrg')}</span>}
              </span>
            )}
          </div>
          {canTriage && (
            <BulkBar
              selected={[...selected]}
              filter={filter}
              total={total}
              me={me}
              onDone={() => setSelected(new Set())}
            />
          )}
          <div className={styles.tableWrap} id="incident-list" tabIndex={-1}>
            <table data-testid="incident-list">
              <thead>
                <tr>
                  {canTriage && (
                    <th>
                      <input
                        type="checkbox"
                        aria-label={t('selectAll')}
                        checked={allShown}
                        onChange={() => setSelected(allShown ? new Set() : new Set(rows.map((r) => r.id)))}
                      />
                    </th>
                  )}
                  <th aria-sort="descending">
                    <Defined term="incidentTimes">{t('occurredAt')}</Defined>
                  </th>
                  <th>{t('detectedAt')}</th>
                  <th>#</th>
                  <th>{t('rule')}</th>
                  <th>{t('severityLabel')}</th>
                  <th>{t('statusLabel')}</th>
                  <th>{t('region')}</th>
                  <th>{t('org')}</th>
                  <th>{t('summary')}</th>
                  <th>{t('assignee')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-id={r.id} data-rule={r.rule}>
                    {canTriage && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`#${r.id}`}
                          checked={selected.has(r.id)}
                          onChange={() => toggle(r.id)}
                        />
                      </td>
                    )}
                    <td className={styles.nowrap}>{shanghaiTime(r.occurredAt)}</td>
                    {/* Secondary: day over time (never inside either), so the summary keeps its width. */}
                    <td className="muted">
                      <DayAndTime at={r.detectedAt} />
                    </td>
                    <td className="mono">
                      <Link href={`/incidents/${r.id}`}>#{r.id}</Link>
                    </td>
                    <td className={styles.ruleCell}>
                      <Link href={`/incidents/${r.id}`}>{ruleLabel(r.rule, lang)}</Link>
                    </td>
                    <td>
                      <SeverityBadge severity={r.severity} />
                    </td>
                    <td>
                      <div className={styles.stack}>
                        <StatusBadge status={r.status} />
                        {/* Where its 督办 case stands (a list filtered by 督办 says why each row matched). */}
                        {r.supervision && (
                          <span
                            className={`badge ${STATE_CLASS[r.supervision.state] ?? ''}`}
                            data-state={r.supervision.state}
                            title={ts('title')}
                          >
                            {ts(`states.${r.supervision.state}`)}
                            {r.supervision.escalationLevel > 0 &&
                              ` · ${ts('level', { n: r.supervision.escalationLevel })}`}
                          </span>
                        )}
                      </div>
                    </td>
                    <td className={styles.nowrap}>{incidentRegion(r, lang)}</td>
                    <td className={styles.orgCell}>
                      {r.orgAddress ? (
                        <Link href={`/orgs/${r.orgAddress}`} title={r.orgAddress}>
                          {r.orgName ?? shortHash(r.orgAddress)}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className={styles.summaryCell}>{incidentSummary(r, lang)}</td>
                    <td>{r.assignee ?? ''}</td>
                  </tr>
                ))}
                {list.isSuccess && rows.length === 0 && (
                  <tr>
                    <td colSpan={11} className="muted">
                      {t('empty')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {list.hasNextPage && (
            <button
              type="button"
              onClick={() => void list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {t('more')}
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** `2026-12-02 08:24:24` that breaks only at the space (a cell's narrow column otherwise breaks at the hyphen). */
function DayAndTime({ at }: { at: string | Date }) {
  const [day, time] = shanghaiTime(at).split(' ');
  return (
    <>
      <span className={styles.nowrap}>{day}</span> <span className={styles.nowrap}>{time}</span>
    </>
  );
}
