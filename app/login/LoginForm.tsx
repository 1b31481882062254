'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { signInAction, type SignInState } from '../_lib/auth-actions';
import styles from './login.module.css';

export function LoginForm() {
  const t = useTranslations('login');
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { step: 'password' });

  if (state.step === 'totp') {
    return (
      <form action={action} className={styles.form}>
        <h2>{t('totpTitle')}</h2>
        <p className="muted">{t('totpHint')}</p>
        <label>
          {t('totp')}
          <input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            autoFocus
          />
        </label>
        {state.error && (
          <p className="error" role="alert">
            {t(state.error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {t('verify')}
        </button>
      </form>
    );
  }

  return (
    <form action={action} method="post" className={styles.form}>
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required autoFocus maxLength={254} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </label>
      {state.error && (
        <p className="error" role="alert">
          {t(state.error)}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
