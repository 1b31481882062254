'use client';
import { issueKey, plainError, serverIssues } from '~/app/_lib/plain-error';
import { useTranslations } from 'next-intl';
import styles from './views.module.css';

/** Placeholder of a loading chart or card, the size of what will replace it. */
export function Skeleton({ height = 240 }: { height?: number }) {
  return <div className={styles.skeleton} style={{ height }} aria-busy="true" aria-label="loading" />;
}

export function Empty({ height = 200, text }: { height?: number; text?: string }) {
  const t = useTranslations('dash');
  return (
    <div className={styles.empty} style={{ height }} data-testid="empty">
      {text ?? t('empty')}
    </div>
  );
}

export function ErrorState({ error, testId }: { error: { message: string }; testId?: string }) {
  const t = useTranslations('dash');
  // A refused filter reads as the page's own sentence (nothing failed to load: the filter is
  // what to change); anything else as the server said it, after "failed to load".
  const issues = serverIssues(error.message);
  const known = issues?.map((i) => issueKey(i.param, i.message)).filter((k) => k !== 'other');
  return (
    <div className={styles.errorBox} role="alert" data-testid={testId}>
      {issues && known && known.length === issues.length
        ? [
            ...new Set(
              issues.map((i) => t(`paramIssues.${issueKey(i.param, i.message)}`, { param: i.param })),
            ),
          ].join(' ')
        : `${t('loadError')}: ${plainError(error.message)}`}
    </div>
  );
}

/** The common loading / error / empty / content switch of a query-backed block. */
export function QueryBlock<T>({
  query,
  height = 240,
  isEmpty,
  children,
}: {
  query: { data: T | undefined; error: { message: string } | null; isPending: boolean };
  height?: number;
  isEmpty?: (d: T) => boolean;
  children: (d: T) => React.ReactNode;
}) {
  if (query.error) return <ErrorState error={query.error} />;
  if (query.isPending || query.data === undefined) return <Skeleton height={height} />;
  if (isEmpty?.(query.data)) return <Empty height={height} />;
  return <>{children(query.data)}</>;
}
