import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { currentCaller } from '../../server/runtime';
import { LocaleSwitch } from '../_components/LocaleSwitch';
import { LoginForm } from './LoginForm';
import styles from './login.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('login');
  return { title: t('title') };
}

export default async function LoginPage() {
  if (await currentCaller()) redirect('/');
  const t = await getTranslations();
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <div className={styles.brand}>
          <span className={styles.logo}>链</span>
          <div>
            <div className={styles.name}>{t('app.short')}</div>
            <div className="muted">{t('app.subtitle')}</div>
          </div>
        </div>
        <h1>{t('login.title')}</h1>
        <LoginForm />
        <p className={`muted ${styles.footer}`}>{t('login.footer')}</p>
        <div className={styles.locale}>
          <LocaleSwitch />
        </div>
      </div>
    </main>
  );
}
