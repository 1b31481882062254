'use client';
import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { EvidenceVerifyAnswer } from '../../../server/services/evidence-verify-handler';
import { useTRPC } from '../../_lib/trpc/react';

/** The deployment's SM2 public keys and fingerprints: what a recipient compares a package with. */
export function SigningKeys() {
  const t = useTranslations('verify');
  const trpc = useTRPC();
  const q = useQuery(trpc.verify.keys.queryOptions());
  return (
    <div className="panel stack" data-testid="signing-keys">
      <h2>{t('keysTitle')}</h2>
      <p className="muted">{t('keysHint')}</p>
      {q.error && <p className="error">{q.error.message}</p>}
      {q.data?.length === 0 && <p className="muted">{t('noKeys')}</p>}
      {q.data?.map((k) => (
        <div key={k.fingerprint} className="stack" style={{ gap: 4 }}>
          <div className="row">
            <span className={`badge ${k.current ? 'ok' : ''}`}>
              {k.current ? t('keyCurrent') : t('keyRotated')}
            </span>
            <span className="mono" data-testid={k.current ? 'current-fingerprint' : undefined}>
              {k.fingerprintDisplay}
            </span>
          </div>
          <div className="mono muted" style={{ wordBreak: 'break-all', fontSize: 12 }}>
            {t('publicKey')}: {k.publicKey}
          </div>
        </div>
      ))}
    </div>
  );
}

/** Upload a package, a signed-export ZIP or a manifest; the server checks it and re-reads the chain. */
export function EvidenceVerify() {
  const t = useTranslations('verify');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<(EvidenceVerifyAnswer & { name: string }) | null>(null);

  const take = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await fetch('/api/verify/evidence', { method: 'POST', body: f });
      const body = (await res.json()) as EvidenceVerifyAnswer | { error: { message: string } };
      if ('error' in body) setError(body.error.message);
      else setResult({ ...body, name: f.name });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel stack">
      <h2>{t('evidenceTitle')}</h2>
      <p className="muted">{t('evidenceHint')}</p>
      <input
        type="file"
        accept=".zip,.jsonl,application/zip"
        aria-label={t('evidenceFile')}
        data-testid="evidence-upload"
        onChange={(e) => void take(e.target.files?.[0])}
      />
      {busy && <p className="muted">{t('evidenceChecking')}</p>}
      {error && <p className="error">{error}</p>}
      {result && (
        <div className="stack" data-testid="evidence-result">
          <div className="row">
            <span className={`badge ${result.ok ? 'ok' : 'off'}`} data-testid="evidence-verdict">
              {result.ok ? t('evidenceOk') : t('evidenceFailed', { n: result.problems.length })}
            </span>
            <span>{result.name}</span>
            <span className="muted">{t(`evidenceKind.${result.kind}`)}</span>
          </div>
          <div className="mono" style={{ fontSize: 12 }}>
            {t('signer')}: {result.signer?.fingerprint ?? '—'}{' '}
            <span className={`badge ${result.knownKey ? 'ok' : 'off'}`}>
              {result.knownKey ? t('signerKnown') : t('signerUnknown')}
            </span>
          </div>
          <div className="muted">
            {t('evidenceCounts', {
              files: result.files.length,
              events: result.rows,
              checked: result.checked,
            })}
          </div>
          {result.problems.length > 0 && (
            <table data-testid="evidence-problems">
              <thead>
                <tr>
                  <th>{t('problemCheck')}</th>
                  <th>{t('problemWhere')}</th>
                  <th>{t('problemReason')}</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{t(`check.${p.check}`)}</td>
                    <td className="mono">
                      {p.row ? t('problemRow', { n: p.row }) : ''} {p.file ?? ''}
                    </td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
