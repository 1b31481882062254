'use client';
import { useQueries } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type DragEvent, type FormEvent } from 'react';
import styles from '~/app/_components/records.module.css';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';
import { normalizeHash } from '../../../domain/hash-input';
import { hashFile, type FileHashes } from './hash-file';
import { VerifyResultView } from './VerifyResult';

/** Paste a hash (kept in the URL, so a link shows the same check) or drop a file to hash it here. */
export function VerifyView() {
  const t = useTranslations('verify');
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const urlHash = search.get('hash')?.trim() ?? '';
  const [file, setFile] = useState<FileHashes | null>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const urlHashNormal = normalizeHash(urlHash);
  const hashes = file ? [file.keccak256, file.sha256] : urlHashNormal ? [urlHashNormal] : [];
  const results = useQueries({
    queries: hashes.map((h) => trpc.verify.lookup.queryOptions({ hash: h })),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const h = normalizeHash(formText(new FormData(e.currentTarget), 'hash'));
    // A refused input clears the previous answer: an old result under a new error misleads.
    setFile(null);
    if (!h) {
      setError(t('badHash'));
      router.replace(pathname, { scroll: false });
      return;
    }
    setError(null);
    router.replace(`${pathname}?hash=${h}`, { scroll: false });
  };
  const take = async (f: File | undefined) => {
    if (!f) return;
    setError(null);
    setFile(await hashFile(f));
  };
  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void take(e.dataTransfer.files[0]);
  };

  return (
    <div className="stack">
      <form className="panel row" onSubmit={submit}>
        <input
          name="hash"
          key={urlHash}
          defaultValue={urlHash}
          placeholder={t('placeholder')}
          aria-label={t('hash')}
          className="mono"
          style={{ flex: 1, minWidth: 320 }}
        />
        <button className="primary" type="submit">
          {t('lookup')}
        </button>
      </form>
      <div
        className={`${styles.drop} ${dragging ? styles.dropActive : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p>{t('dropHint')}</p>
        <input type="file" aria-label={t('file')} onChange={(e) => void take(e.target.files?.[0])} />
      </div>
      {error && <p className="error">{error}</p>}
      {file && (
        <div className="panel mono" data-testid="file-hashes">
          <div>
            {file.name} · {file.size} B
          </div>
          <div>keccak-256: {file.keccak256}</div>
          <div>SHA-256: {file.sha256}</div>
        </div>
      )}
      {results.map((r, i) => (
        <div key={hashes[i]}>
          {r.error && <p className="error">{r.error.message}</p>}
          {r.isLoading && <p className="muted">{t('searching')}</p>}
          {r.data && (
            <VerifyResultView
              result={r.data}
              label={file ? (i === 0 ? 'keccak-256' : 'SHA-256') : undefined}
            />
          )}
        </div>
      ))}
    </div>
  );
}
