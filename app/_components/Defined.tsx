'use client';
import { useTranslations } from 'next-intl';
import { useId, type ReactNode } from 'react';
import type defs from '~/app/_i18n/messages/glossary.zh.json';
import styles from './views.module.css';

/** A metric of the definitions catalogue (`metricDefs` in glossary.*.json). */
export type MetricKey = Exclude<keyof (typeof defs)['metricDefs'], 'title'>;

/**
 * A figure's name with its definition one hover away — and one Tab away: the ⓘ takes the focus
 * and shows the same text (what is counted, over what, in which scope) as its tooltip, which a
 * screen reader reads as the icon's description.
 */
export function Defined({ term, children }: { term: MetricKey; children: ReactNode }) {
  const t = useTranslations('metricDefs');
  const id = useId();
  return (
    <span className={styles.defined} data-testid={`def-${term}`}>
      {children}
      <span className={styles.defIcon} tabIndex={0} aria-label={t('title')} aria-describedby={id}>
        ⓘ
      </span>
      <span role="tooltip" id={id} className={styles.defTip}>
        {t(term)}
      </span>
    </span>
  );
}
