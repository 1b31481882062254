'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { INCIDENT_STATUSES, RULE_IDS } from '../../../domain/rules';
import { DEADLINE_STATES } from '~/domain/supervision';
import { ruleLabel, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { formText } from '../../_lib/form';
import { FILTER_KEYS } from './filter-params';
import { RegionSelect } from '~/app/_components/RegionSelect';

/** Escalation levels a case can reach: 0 (its own region) up to 3 (district → city → province → nation). */
const ESCALATION_LEVELS = [0, 1, 2, 3] as const;

/** The filter form; submitting writes the filters into the URL (the one source of truth). */
export function IncidentFilters({
  params,
  onApply,
  scope,
}: {
  params: URLSearchParams;
  /** The caller's region scope: the region filter offers only what lies inside it. */
  scope: number | null;
  onApply: (next: URLSearchParams) => void;
}) {
  const t = useTranslations('incidents');
  const ts = useTranslations('supervision');
  const lang = toLang(useLocale());
  const td = useTranslations('dash');
  // A start after the end is refused here, in the page's sentence, before any request.
  const [reversed, setReversed] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const from = formText(f, 'from').trim();
    const to = formText(f, 'to').trim();
    const wrong = from !== '' && to !== '' && from > to;
    setReversed(wrong);
    if (wrong) return;
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = formText(f, k).trim();
      if (v) next.set(k, v);
    }
    onApply(next);
  };
  const v = (k: string) => params.get(k) ?? '';
  // Keyed by the URL so a back/forward or a chip click re-seeds the uncontrolled inputs.
  return (
    <form
      key={params.toString()}
      className={`panel ${styles.filters}`}
      onSubmit={submit}
      aria-label={t('filters')}
    >
      <label>
        {t('from')}
        <input
          name="from"
          type="date"
          defaultValue={v('from')}
          aria-invalid={reversed || undefined}
          aria-describedby={reversed ? 'incident-filter-error' : undefined}
          onChange={() => setReversed(false)}
        />
      </label>
      <label>
        {t('to')}
        <input name="to" type="date" defaultValue={v('to')} onChange={() => setReversed(false)} />
      </label>
      <label>
        {t('rule')}
        <select name="rule" defaultValue={v('rule')}>
          <option value="">{t('all')}</option>
          {RULE_IDS.map((r) => (
            <option key={r} value={r}>
              {ruleLabel(r, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('severityLabel')}
        <select name="severity" defaultValue={v('severity')}>
          <option value="">{t('all')}</option>
          {(['high', 'medium', 'low'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('statusLabel')}
        <select name="status" defaultValue={v('status')}>
          <option value="">{t('all')}</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('region')}
        <RegionSelect scope={scope} allLabel={t('all')} defaultValue={v('region')} />
      </label>
      <label>
        {t('org')}
        <input name="org" defaultValue={v('org')} placeholder="0x…" pattern="0x[0-9a-fA-F]{40}" />
      </label>
      <fieldset className={styles.filterGroup}>
        <legend>{ts('title')}</legend>
        <label>
          {t('assignee')}
          <input name="assignee" type="email" defaultValue={v('assignee')} placeholder={t('assigneeHint')} />
        </label>
        <label>
          {ts('responsible')}
          <input name="dept" defaultValue={v('dept')} placeholder="0x…" pattern="0x[0-9a-fA-F]{40}" />
        </label>
        <label>
          {ts('state')}
          <select name="deadline" defaultValue={v('deadline')}>
            <option value="">{t('all')}</option>
            {(['open', ...DEADLINE_STATES] as const).map((s) => (
              <option key={s} value={s}>
                {ts(`states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ts('escalation')}
          <select name="escalation" defaultValue={v('escalation')}>
            <option value="">{t('all')}</option>
            {ESCALATION_LEVELS.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? ts('notEscalated') : ts('level', { n })}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      {reversed && (
        <p
          className={`error ${styles.filterError}`}
          role="alert"
          id="incident-filter-error"
          data-testid="incident-filter-error"
        >
          {td('paramIssues.fromAfterTo')}
        </p>
      )}
      <div className="row">
        <button className="primary" type="submit">
          {t('apply')}
        </button>
        <button
          type="button"
          onClick={() => {
            setReversed(false);
            onApply(new URLSearchParams());
          }}
        >
          {t('clear')}
        </button>
      </div>
    </form>
  );
}
