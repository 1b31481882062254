'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { modesOf } from '~/domain/codes';
import { formatExact, type Lang } from '~/app/_charts/format';
import { useTRPC, useTRPCClient } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import {
  categoryLabel,
  modeLabel,
  purposeLabel,
  regionLabel,
  sensitivityLabel,
  shanghaiTime,
} from '~/app/_lib/labels';
import { ErrorState, Skeleton } from '~/app/_components/States';
import { CopyButton } from '~/app/_components/CopyButton';

/**
 * One access and what proves it on chain. Opening it is audited server-side (proof.view). The
 * transaction hash can be copied or checked on /verify (whose query names it `hash`).
 */
export function ProofPanel({
  access,
  onClose,
  focus = false,
}: {
  access: { chainId?: number; blockNumber: number; logIndex: number };
  onClose: () => void;
  /** Take the keyboard focus when opened, so Tab goes on to the copy button and the /verify link. */
  focus?: boolean;
}) {
  const t = useTranslations('flows');
  const g = useTranslations('glossary');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const client = useTRPCClient();
  // Each open is one audited view (a POST: the server writes its audit row only for same-origin
  // mutations): no caching across selections, no background refetch.
  const q = useQuery({
    queryKey: [...trpc.flows.proof.mutationKey(), access],
    queryFn: () => client.flows.proof.mutate(access),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const p = q.data;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, access.blockNumber, access.logIndex]);
  return (
    <aside className={styles.card} data-testid="proof" aria-labelledby="proof-title">
      <h2 ref={heading} tabIndex={-1} id="proof-title">
        {t('proofTitle')}
        <button type="button" onClick={onClose} aria-label={t('close')}>
          ×
        </button>
      </h2>
      {q.error ? (
        <ErrorState error={q.error} />
      ) : !p ? (
        <Skeleton height={300} />
      ) : (
        <dl className={styles.proof}>
          <dt>{g('txHash')}</dt>
          <dd>
            <span className="mono" data-testid="proof-tx">
              {p.txHash}
            </span>
            <div className="row" style={{ gap: 8, marginTop: 6 }}>
              <CopyButton text={p.txHash} label={t('copyTx')} />
              <Link href={`/verify?hash=${p.txHash}`} data-testid="proof-verify">
                {t('openInVerify')} →
              </Link>
            </div>
          </dd>
          <dt>{t('block')}</dt>
          <dd className="mono">
            #{formatExact(p.blockNumber, lang)} · log {p.logIndex}
          </dd>
          <dt>{t('blockHash')}</dt>
          <dd className="mono">{p.blockHash ?? '—'}</dd>
          <dt>{t('time')}</dt>
          <dd>{shanghaiTime(p.blockTime, lang)} (Asia/Shanghai)</dd>
          <dt>{g('provider')}</dt>
          <dd>
            {p.ownerName ?? '—'} · {regionLabel(p.ownerRegion, lang)}
            <div className="mono">{p.owner ?? '—'}</div>
          </dd>
          <dt>{g('consumer')}</dt>
          <dd>
            {p.accessorName ?? '—'} · {regionLabel(p.accessorRegion, lang)}
            <div className="mono">{p.accessor}</div>
          </dd>
          <dt>{t('dataset')}</dt>
          <dd>
            {p.datasetTitle ?? '—'} · {categoryLabel(p.category, lang)} ·{' '}
            {sensitivityLabel(p.sensitivity, lang)}
            <div className="mono">{p.datasetId}</div>
          </dd>
          <dt>{t('mode')}</dt>
          <dd>{modeLabel(p.mode, lang)}</dd>
          <dt>{t('purpose')}</dt>
          <dd>{purposeLabel(p.purpose, lang)}</dd>
          <dt>{t('recordCount')}</dt>
          <dd data-testid="proof-records">{formatExact(p.recordCount, lang)}</dd>
          <dt>{g('payloadHash')}</dt>
          <dd className="mono">{p.payloadHash}</dd>
          <dt>{t('grant')}</dt>
          <dd>
            <div className="mono">{p.grantId}</div>
            {p.grant ? (
              <div className={styles.hint}>
                {t('grantDetail', {
                  purpose: purposeLabel(p.grant.purpose, lang),
                  modes: modesOf(p.grant.modes)
                    .map((m) => modeLabel(m, lang))
                    .join(' / '),
                  until: shanghaiTime(new Date(p.grant.validUntil * 1000), lang),
                })}
                {p.grant.revoked && <span className="badge off"> {t('revoked')}</span>}
              </div>
            ) : (
              <span className="badge off">{t('noGrant')}</span>
            )}
          </dd>
        </dl>
      )}
    </aside>
  );
}
