'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { setLocale } from '../_i18n/actions';
import styles from './shell.module.css';

/** 中文 / English: sets the locale cookie and re-renders the current page. */
export function LocaleSwitch() {
  const locale = useLocale();
  const t = useTranslations('common');
  const router = useRouter();
  const [pending, start] = useTransition();
  const choose = (next: 'zh' | 'en') =>
    start(async () => {
      await setLocale(next);
      router.refresh();
    });
  return (
    <div className={styles.locale} role="group" aria-label={t('language')}>
      <button type="button" aria-pressed={locale === 'zh'} disabled={pending} onClick={() => choose('zh')}>
        中文
      </button>
      <button type="button" aria-pressed={locale === 'en'} disabled={pending} onClick={() => choose('en')}>
        English
      </button>
    </div>
  );
}
