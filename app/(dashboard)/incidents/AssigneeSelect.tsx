'use client';
import { useTranslations } from 'next-intl';

export interface AssigneeChoice {
  email: string;
  name: string;
  role: string;
}

/**
 * A select of the users the server offers as assignees (only those who may see the case, or
 * every case of a bulk action). Shared by the triage panel and the list's bulk bar.
 */
export function AssigneeSelect({
  users,
  ready,
  value,
  onChange,
}: {
  users: readonly AssigneeChoice[];
  /** False while the choices load: the select is disabled and says so. */
  ready: boolean;
  value: string;
  onChange: (email: string) => void;
}) {
  const t = useTranslations();
  return (
    <label>
      {t('incidents.assignee')}{' '}
      <select name="assignee" value={value} disabled={!ready} onChange={(e) => onChange(e.target.value)}>
        <option value="">{ready ? t('incidents.pickAssignee') : t('common.loading')}</option>
        {users.map((u) => (
          <option key={u.email} value={u.email}>
            {u.name === u.email ? u.email : `${u.name} · ${u.email}`} ({t(`roles.${u.role}`)})
          </option>
        ))}
      </select>
    </label>
  );
}
