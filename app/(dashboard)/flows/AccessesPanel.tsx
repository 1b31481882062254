'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { formatExact, type Lang } from '~/app/_charts/format';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { modeLabel, purposeLabel, sensitivityLabel, shanghaiTime, shortAddress } from '~/app/_lib/labels';
import type { FlowsParams } from '~/app/_lib/params';
import { Empty, ErrorState, Skeleton } from '~/app/_components/States';
import { ProofPanel } from './ProofPanel';
import { Defined } from '~/app/_components/Defined';

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

/**
 * The accesses behind the selected flow (or all in the filter), newest first, keyset-paged; it
 * stands beside the Sankey, with the proof of the opened access under it. Each row opens by
 * keyboard (its time is a button); an opened proof takes the focus, so Tab goes on to its links.
 */
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
  // Only a proof the user opened takes the focus (not one restored from the URL on load).
  const [opened, setOpened] = useState(false);
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
  // An org-to-org flow names both ends in the heading: a column repeating them would only crowd.
  const showEnds = link?.group !== 'org';
  const open = (p: AccessKey) => {
    setOpened(true);
    setSelected(p);
  };

  return (
    <div className={styles.drillSide}>
      <div className={styles.card} data-testid="accesses">
        <h2>
          <span aria-live="polite" data-testid="accesses-title">
            {link ? t('accessesOf', { link: link.label }) : t('latestAccesses')}
          </span>
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
          <div className={`${styles.tableWrap} ${styles.drillScroll}`}>
            <table>
              <thead>
                <tr>
                  <th>{t('time')}</th>
                  {showEnds && (
                    <th>
                      {g('provider')} → {g('consumer')}
                    </th>
                  )}
                  <th>
                    {t('dataset')} · {t('mode')}
                  </th>
                  <th className={styles.num}>
                    <Defined term="flowRecords">{t('recordCount')}</Defined>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const key = { blockNumber: r.blockNumber, logIndex: r.logIndex };
                  const isSel = selected?.blockNumber === r.blockNumber && selected.logIndex === r.logIndex;
                  return (
                    <tr
                      key={`${r.blockNumber}:${r.logIndex}`}
                      className={`${styles.clickable} ${isSel ? styles.selected : ''}`}
                      onClick={() => open(key)}
                      data-testid="access-row"
                      data-tx={r.txHash}
                    >
                      <td className={`mono ${styles.nowrap}`}>
                        <button
                          type="button"
                          className={styles.rowButton}
                          aria-pressed={isSel}
                          title={t('openProof')}
                          onClick={(e) => {
                            e.stopPropagation();
                            open(key);
                          }}
                        >
                          {shanghaiTime(r.blockTime, lang)}
                        </button>
                      </td>
                      {showEnds && (
                        <td>
                          {r.ownerName ?? (r.owner ? shortAddress(r.owner) : '—')}
                          <div className={styles.hint}>→ {r.accessorName ?? shortAddress(r.accessor)}</div>
                        </td>
                      )}
                      <td>
                        {r.datasetTitle ?? '—'}{' '}
                        <span className="badge">{sensitivityLabel(r.sensitivity, lang)}</span>
                        <div className={styles.hint}>
                          {modeLabel(r.mode, lang)} · {purposeLabel(r.purpose, lang)}
                        </div>
                      </td>
                      <td className={styles.num}>{formatExact(r.recordCount, lang)}</td>
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
      {selected && <ProofPanel access={selected} focus={opened} onClose={() => setSelected(null)} />}
    </div>
  );
}
