'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(typeof json.message === 'string' ? json.message : `HTTP ${res.status}`);
  return json;
}

/** TOTP enrolment through better-auth's two-factor endpoints: password → secret → first code. */
export function TotpEnrol({ required }: { required: boolean }) {
  const t = useTranslations('admin');
  const router = useRouter();
  const [uri, setUri] = useState<string | null>(null);
  const [backup, setBackup] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const start = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await post('/two-factor/enable', { password: new FormData(e.currentTarget).get('password') });
      setUri(String(r.totpURI));
      setBackup(Array.isArray(r.backupCodes) ? r.backupCodes.map(String) : []);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const confirm = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/two-factor/verify-totp', { code: new FormData(e.currentTarget).get('code') });
      setDone(true);
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const secret = uri ? new URL(uri).searchParams.get('secret') : null;
  return (
    <div className="panel stack" style={{ maxWidth: 640 }}>
      <div>
        <h2>{required ? t('totpRequiredTitle') : t('totpRecommendedTitle')}</h2>
        <p className="muted">{required ? t('totpRequired') : t('totpRecommended')}</p>
      </div>
      {done ? (
        <p className="badge ok">{t('totpDone')}</p>
      ) : !uri ? (
        <form onSubmit={(e) => void start(e)} className="row">
          <input
            name="password"
            type="password"
            placeholder={t('totpPassword')}
            autoComplete="current-password"
            required
          />
          <button className="primary" type="submit">
            {t('totpStart')}
          </button>
        </form>
      ) : (
        <>
          <p>{t('totpScan')}</p>
          <p>
            <code data-testid="totp-secret">{secret}</code>
          </p>
          <p>
            <a href={uri} className="mono" data-testid="totp-uri">
              otpauth://…
            </a>
          </p>
          <p className="muted">{t('totpBackup')}</p>
          <p className="mono">{backup.join('  ')}</p>
          <form onSubmit={(e) => void confirm(e)} className="row">
            <input name="code" inputMode="numeric" pattern="\d{6}" maxLength={6} required />
            <button className="primary" type="submit">
              {t('totpConfirm')}
            </button>
          </form>
        </>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
