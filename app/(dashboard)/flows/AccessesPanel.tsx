'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { formatExact, type Lang } from '~/app/_charts/format';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { modeLabel, purposeLabel, sensitivityLabel, shanghaiTime, shortAddress } from '~/app/_lib/labels';
import type { FlowsParams } from '~/app/_lib/params';
import { Empty, ErrorState, Skeleton } from '~/app/_components/States';
import { ProofPanel } from './ProofPanel';

export interface AccessKey {
  blockNumber: number;
  logIndex: number;
}

export interface SelectedLink {
  group: 'org' | 'kind' | 'region';
  source: string;
  target: string;
  label: string;
}

/** The accesses behind the selected flow (or all in the filter), newest first, keyset-paged. */
export function AccessesPanel({
  filter,
  link,
  onClear,
  proof: selected,
  onProof: setSelected,
}: {
  filter: Omit<FlowsParams, 'group' | 'source' | 'target' | 'proof'>;
  link: SelectedLink | null;
  onClear: () => void;
  proof: AccessKey | null;
  onProof: (p: AccessKey | null) => void;
}) {
  const t = useTranslations('flows');
  const g = useTranslations('glossary');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const q = useInfiniteQuery(
    trpc.flows.accesses.infiniteQueryOptions(
      {
        ...filter,
        link: link ? { group: link.group, source: link.source, target: link.target } : undefined,
        limit: 20,
      },
      { getNextPageParam: (last) => last.next ?? undefined, initialCursor: undefined },
    ),
  );
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];

  return (
    <div
      className={styles.grid2}
      style={{ gridTemplateColumns: selected ? 'minmax(0, 3fr) minmax(340px, 2fr)' : '1fr' }}
    >
      <div className={styles.card} data-testid="accesses">
        <h2>
          <span>{link ? t('accessesOf', { link: link.label }) : t('latestAccesses')}</span>
          {link && (
            <button type="button" onClick={onClear}>
              {t('clearLink')}
            </button>
          )}
        </h2>
        {q.error ? (
          <ErrorState error={q.error} />
        ) : q.isPending ? (
          <Skeleton height={240} />
        ) : rows.length === 0 ? (
          <Empty height={120} />
        ) : (
          <div className={styles.tableWrap}>
            <table>
              <thead>
                <tr>
                  <th>{t('time')}</th>
                  <th>{g('provider')}</th>
                  <th>{g('consumer')}</th>
                  <th>{t('dataset')}</th>
                  <th>{t('mode')}</th>
                  <th className={styles.num}>{t('recordCount')}</th>
                  <th>{g('txHash')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const isSel = selected?.blockNumber === r.blockNumber && selected.logIndex === r.logIndex;
                  return (
                    <tr
                      key={`${r.blockNumber}:${r.logIndex}`}
                      className={`${styles.clickable} ${isSel ? styles.selected : ''}`}
                      onClick={() => setSelected({ blockNumber: r.blockNumber, logIndex: r.logIndex })}
                      data-testid="access-row"
                    >
                      <td className="mono">{shanghaiTime(r.blockTime, lang)}</td>
                      <td>{r.ownerName ?? (r.owner ? shortAddress(r.owner) : '—')}</td>
                      <td>{r.accessorName ?? shortAddress(r.accessor)}</td>
                      <td>
                        {r.datasetTitle ?? '—'}{' '}
                        <span className="badge">{sensitivityLabel(r.sensitivity, lang)}</span>
                      </td>
                      <td>
                        {modeLabel(r.mode, lang)}
                        <div className={styles.hint}>{purposeLabel(r.purpose, lang)}</div>
                      </td>
                      <td className={styles.num}>{formatExact(r.recordCount, lang)}</td>
                      <td className="mono" title={r.txHash}>
                        {shortAddress(r.txHash)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {q.hasNextPage && (
          <button
            type="button"
            style={{ marginTop: 10 }}
            onClick={() => void q.fetchNextPage()}
            disabled={q.isFetchingNextPage}
          >
            {t('more')}
          </button>
        )}
      </div>
      {selected && <ProofPanel access={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}
