'use client';
import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '../../../_lib/trpc/react';
import { AssigneeSelect } from '../AssigneeSelect';

/**
 * The assignee as a choice among the users who may see this incident (the server offers them and
 * refuses anyone else). Offered: the current assignee, else the caller if eligible, else nobody.
 */
export function AssigneePicker({
  id,
  assignee,
  me,
  busy,
  onAssign,
}: {
  id: number;
  assignee: string | null;
  me: string;
  busy: boolean;
  onAssign: (email: string | null) => void;
}) {
  const t = useTranslations();
  const trpc = useTRPC();
  const options = useQuery(trpc.supervision.assignees.queryOptions({ id }));
  const users = options.data ?? [];
  const eligible = (e: string | null) => e !== null && users.some((u) => u.email === e);
  const initial = eligible(assignee) ? assignee : eligible(me) ? me : '';
  const [picked, setPicked] = useState<string | null>(null);
  const who = picked ?? initial ?? '';
  // An assignee set before the picker existed (free text), or who has since lost sight of the case.
  const stale = assignee !== null && options.isSuccess && !eligible(assignee);

  return (
    <div className="stack">
      <div className="row">
        <AssigneeSelect users={users} ready={options.isSuccess} value={who} onChange={setPicked} />
        <button type="button" disabled={busy || !who || who === assignee} onClick={() => onAssign(who)}>
          {t('incidents.assign')}
        </button>
        {assignee && (
          <button type="button" disabled={busy} onClick={() => onAssign(null)}>
            {t('incidents.unassign')}
          </button>
        )}
      </div>
      {stale && <p className="muted">{t('incidents.assigneeStale', { who: assignee })}</p>}
      {options.isError && <p className="error">{options.error.message}</p>}
    </div>
  );
}
