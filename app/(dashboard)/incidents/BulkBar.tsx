'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { IncidentStatus } from '../../../domain/rules';
import type { IncidentFilter } from '../../../server/services/incidents-filter';
import { NEEDS_COMMENT } from '../../../server/services/triage-transitions';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../_lib/trpc/react';
import { AssigneeSelect } from './AssigneeSelect';

const ACTIONS: { to: IncidentStatus; key: string }[] = [
  { to: 'acknowledged', key: 'acknowledge' },
  { to: 'escalated', key: 'escalate' },
  { to: 'resolved', key: 'resolve' },
  { to: 'dismissed', key: 'dismiss' },
];

/**
 * Bulk triage: on the ticked rows, or on every row the current filter matches (the server
 * re-evaluates the same filter, so the rows are exactly the list's, not just the loaded page).
 */
export function BulkBar({
  selected,
  filter,
  total,
  me,
  onDone,
}: {
  selected: number[];
  filter: IncidentFilter;
  total: number;
  me: string;
  onDone: () => void;
}) {
  const t = useTranslations('incidents');
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [scope, setScope] = useState<'selected' | 'filter'>('selected');
  const [comment, setComment] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const target = scope === 'selected' ? { ids: selected } : { filter };
  const done = (r: { matched: number; changed: number }) => {
    setMessage(t('bulkDone', { changed: r.changed, skipped: r.matched - r.changed }));
    setComment('');
    void qc.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
    onDone();
  };
  const fail = (e: { message: string }) => setMessage(e.message);
  const status = useMutation(trpc.incidents.bulkStatus.mutationOptions({ onSuccess: done, onError: fail }));
  const assign = useMutation(trpc.incidents.bulkAssign.mutationOptions({ onSuccess: done, onError: fail }));
  const busy = status.isPending || assign.isPending;
  const none = scope === 'selected' ? selected.length === 0 : total === 0;
  // Only users who may see every targeted case are offered (bulkAssign refuses anyone else).
  const options = useQuery({
    ...trpc.incidents.bulkAssignees.queryOptions({ target }),
    enabled: !none,
  });
  const users = none ? [] : (options.data ?? []);
  const eligible = (e: string | null) => e !== null && users.some((u) => u.email === e);
  const assignee = picked !== null && eligible(picked) ? picked : eligible(me) ? me : '';

  const run = (to: IncidentStatus) => {
    if (NEEDS_COMMENT.includes(to) && !comment.trim()) return setMessage(t('commentRequired'));
    const n = scope === 'selected' ? selected.length : total;
    if (scope === 'filter' && !window.confirm(t('bulkConfirm', { n, action: t(`actions.${to}`) }))) return;
    status.mutate({ target, to, comment: comment.trim() || undefined });
  };

  return (
    <div className={styles.bulk} role="region" aria-label={t('bulk')}>
      <label>
        <input type="radio" checked={scope === 'selected'} onChange={() => setScope('selected')} />{' '}
        {t('bulkSelected', { n: selected.length })}
      </label>
      <label>
        <input type="radio" checked={scope === 'filter'} onChange={() => setScope('filter')} />{' '}
        {t('bulkAllMatching', { n: total })}
      </label>
      <input
        aria-label={t('comment')}
        placeholder={t('commentPlaceholder')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      {ACTIONS.map((a) => (
        <button key={a.to} type="button" disabled={busy || none} onClick={() => run(a.to)}>
          {t(`actions.${a.to}`)}
        </button>
      ))}
      <AssigneeSelect users={users} ready={none || options.isSuccess} value={assignee} onChange={setPicked} />
      <button
        type="button"
        disabled={busy || none || !assignee}
        onClick={() => assign.mutate({ target, assignee })}
      >
        {t('assign')}
      </button>
      {message && <span role="status">{message}</span>}
    </div>
  );
}
