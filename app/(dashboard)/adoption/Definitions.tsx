'use client';
import { useTranslations } from 'next-intl';
import styles from '~/app/_components/views.module.css';
import own from './leadership.module.css';

/** What counts as online, fully online and joint: stated next to the rankings. */
export function Definitions() {
  const t = useTranslations('definitions');
  return (
    <details className={styles.card} open data-testid="definitions">
      <summary>
        <strong>{t('title')}</strong>
      </summary>
      <ul className={own.defs}>
        <li>{t('online')}</li>
        <li>{t('fullOnline')}</li>
        <li>{t('joint')}</li>
        <li>{t('sharing')}</li>
      </ul>
    </details>
  );
}
