'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { IncidentStatus } from '../../../../domain/rules';
import { NEEDS_COMMENT, TRANSITIONS } from '../../../../server/services/triage-transitions';
import { StatusBadge } from '~/app/_components/Badges';
import { shanghaiTime } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../../_lib/trpc/react';
import { AssigneePicker } from './AssigneePicker';

interface Activity {
  id: number;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  at: Date;
}

/** Status moves allowed from here (TRANSITIONS), assignee, comment, and the triage history. */
export function TriagePanel({
  id,
  status,
  assignee,
  activity,
  canTriage,
  me,
}: {
  id: number;
  status: string;
  assignee: string | null;
  activity: Activity[];
  canTriage: boolean;
  me: string;
}) {
  const t = useTranslations('incidents');
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSuccess = () => {
    setComment('');
    setError(null);
    void qc.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  };
  const onError = (e: { message: string }) => setError(e.message);
  const setStatus = useMutation(trpc.incidents.setStatus.mutationOptions({ onSuccess, onError }));
  const assign = useMutation(trpc.incidents.assign.mutationOptions({ onSuccess, onError }));
  const addComment = useMutation(trpc.incidents.comment.mutationOptions({ onSuccess, onError }));
  const busy = setStatus.isPending || assign.isPending || addComment.isPending;
  const moves = TRANSITIONS[status as IncidentStatus] ?? [];

  const move = (to: IncidentStatus) => {
    if (NEEDS_COMMENT.includes(to) && !comment.trim()) return setError(t('commentRequired'));
    setStatus.mutate({ id, to, comment: comment.trim() || undefined });
  };

  return (
    <aside className="panel stack" data-testid="triage">
      <h2>{t('triage')}</h2>
      {canTriage ? (
        <>
          <textarea
            aria-label={t('comment')}
            placeholder={t('commentPlaceholder')}
            rows={3}
            className={styles.wide}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="row">
            {moves.map((to) => (
              <button
                key={to}
                type="button"
                className={to === 'acknowledged' || to === 'resolved' ? 'primary' : undefined}
                disabled={busy}
                onClick={() => move(to)}
              >
                {to === 'open' ? t('actions.reopen') : t(`actions.${to}`)}
              </button>
            ))}
            <button
              type="button"
              disabled={busy || !comment.trim()}
              onClick={() => addComment.mutate({ id, comment: comment.trim() })}
            >
              {t('addComment')}
            </button>
          </div>
          <AssigneePicker
            id={id}
            assignee={assignee}
            me={me}
            busy={busy}
            onAssign={(who) => assign.mutate({ id, assignee: who })}
          />
          {error && <p className="error">{error}</p>}
        </>
      ) : (
        <p className="muted">{t('readOnly')}</p>
      )}
      <h2>{t('history')}</h2>
      {activity.length === 0 && <p className="muted">{t('noHistory')}</p>}
      <ol className={styles.history} data-testid="history">
        {[...activity].reverse().map((a) => (
          <li key={a.id}>
            <div className="muted">
              {shanghaiTime(a.at)} · {a.actor}
            </div>
            {a.action === 'status' && (
              <div>
                {a.fromStatus && <StatusBadge status={a.fromStatus} />} →{' '}
                {a.toStatus && <StatusBadge status={a.toStatus} />}
                {a.comment && <div>{a.comment}</div>}
              </div>
            )}
            {a.action === 'assign' && (
              <div>{a.comment ? t('assignedTo', { who: a.comment }) : t('unassigned')}</div>
            )}
            {a.action === 'comment' && <div>💬 {a.comment}</div>}
          </li>
        ))}
      </ol>
    </aside>
  );
}
