'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import type { IncidentFilter } from '../../../server/services/incidents-filter';
import { ruleLabel, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../_lib/trpc/react';
import { Defined } from '~/app/_components/Defined';

/** Counts of the filtered set by severity and by rule; a chip click narrows the filter to it. */
export function IncidentCounts({
  filter,
  onPick,
}: {
  filter: IncidentFilter;
  onPick: (key: 'rule' | 'severity', value: string) => void;
}) {
  const t = useTranslations('incidents');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const counts = useQuery(trpc.incidents.counts.queryOptions({ filter }));
  if (!counts.data) return null;
  const c = counts.data;
  return (
    <div className={`panel ${styles.counts}`} data-testid="incident-counts">
      <div>
        <h2>
          <Defined term="incidentsBySeverity">{t('bySeverity')}</Defined> · {t('total', { n: c.total })}
        </h2>
        <div className={styles.chips}>
          {c.bySeverity.map((s) => (
            <button
              key={s.severity}
              type="button"
              className={`${styles.chip} ${filter.severity === s.severity ? styles.chipActive : ''}`}
              onClick={() => onPick('severity', s.severity)}
            >
              {t.has(`severity.${s.severity}`) ? t(`severity.${s.severity}`) : s.severity}
              <strong>{s.n}</strong>
            </button>
          ))}
        </div>
      </div>
      <div>
        <h2>
          <Defined term="incidentsByRule">{t('byRule')}</Defined>
        </h2>
        <div className={styles.chips}>
          {c.byRule.map((r) => (
            <button
              key={r.rule}
              type="button"
              className={`${styles.chip} ${filter.rule === r.rule ? styles.chipActive : ''}`}
              onClick={() => onPick('rule', r.rule)}
              data-rule={r.rule}
            >
              {ruleLabel(r.rule, lang)}
              <strong>{r.n}</strong>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
