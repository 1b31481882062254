'use client';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { ACCESS_MODES, CERTIFICATE_TYPES, PURPOSES, labelOf } from '../../../domain/codes';
import { regionName } from '../../../domain/regions';
import type { VerifyMatch, VerifyResult } from '../../../server/services/verify';
import { EventTable } from '~/app/_components/EventTable';
import { shanghaiTime, shortHash, toLang, yuan } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';

function OrgRef({ address, result }: { address: string | null; result: VerifyResult }) {
  if (!address) return <>—</>;
  return (
    <Link href={`/orgs/${address}`}>
      {result.names.orgs[address]?.name ?? ''} <span className="mono">{shortHash(address)}</span>
    </Link>
  );
}

/** What the match is and its status, in a few facts above its proof events. */
function Facts({ m, result }: { m: VerifyMatch; result: VerifyResult }) {
  const t = useTranslations('verify');
  const g = useTranslations('glossary');
  const lang = toLang(useLocale());
  const region = (c: number | null) => (c === null ? '—' : `${regionName(c, lang)} (${c})`);
  switch (m.kind) {
    case 'access':
      return (
        <dl className={styles.facts}>
          <dt>{g('consumer')}</dt>
          <dd>
            <OrgRef address={m.accessor} result={result} />
          </dd>
          <dt>{g('provider')}</dt>
          <dd>
            <OrgRef address={m.owner} result={result} />
          </dd>
          <dt>{t('dataset')}</dt>
          <dd>{result.names.datasets[m.datasetId] ?? shortHash(m.datasetId)}</dd>
          <dt>{t('modePurpose')}</dt>
          <dd>
            {labelOf(ACCESS_MODES, m.mode, lang)} · {labelOf(PURPOSES, m.purpose, lang)}
          </dd>
          <dt>{t('records')}</dt>
          <dd>{m.recordCount}</dd>
          <dt>{t('grant')}</dt>
          <dd>
            <Link href={`/verify?hash=${m.grantId}`} className="mono">
              {shortHash(m.grantId, 10)}
            </Link>
          </dd>
        </dl>
      );
    case 'invoice':
      return (
        <dl className={styles.facts}>
          <dt>{t('status')}</dt>
          <dd>
            <strong data-testid="verify-status">
              {t(`invoiceStatus.${m.status}`, { n: m.reimbursementCount })}
            </strong>
          </dd>
          <dt>{t('issuer')}</dt>
          <dd>
            <OrgRef address={m.issuer} result={result} />
          </dd>
          <dt>{t('region')}</dt>
          <dd>{region(m.regionCode)}</dd>
          <dt>{t('amount')}</dt>
          <dd>{yuan(m.amountFen)}</dd>
          <dt>{t('reimbursed')}</dt>
          <dd>
            {yuan(m.reimbursedFen)} · {t('times', { n: m.reimbursementCount })}
          </dd>
        </dl>
      );
    case 'certificate':
      return (
        <dl className={styles.facts}>
          <dt>{t('status')}</dt>
          <dd>
            <strong data-testid="verify-status">{t(`certStatus.${m.status}`)}</strong>
          </dd>
          <dt>{t('certType')}</dt>
          <dd>{m.certType === null ? '—' : labelOf(CERTIFICATE_TYPES, m.certType, lang)}</dd>
          <dt>{t('issuer')}</dt>
          <dd>
            <OrgRef address={m.issuer} result={result} />
          </dd>
          <dt>{t('region')}</dt>
          <dd>{region(m.regionCode)}</dd>
          <dt>{t('verifications')}</dt>
          <dd>{m.verificationCount}</dd>
        </dl>
      );
    case 'grant':
      return (
        <dl className={styles.facts}>
          <dt>{t('status')}</dt>
          <dd>
            <strong data-testid="verify-status">{t(`grantStatus.${m.status}`)}</strong>
          </dd>
          <dt>{t('grantor')}</dt>
          <dd>
            <OrgRef address={m.grantor} result={result} />
          </dd>
          <dt>{t('grantee')}</dt>
          <dd>
            <OrgRef address={m.grantee} result={result} />
          </dd>
          <dt>{t('validUntil')}</dt>
          <dd>{shanghaiTime(new Date(m.validUntil * 1000))}</dd>
          <dt>{t('accesses')}</dt>
          <dd>{m.accessCount}</dd>
        </dl>
      );
    case 'case':
      return (
        <dl className={styles.facts}>
          <dt>{t('org')}</dt>
          <dd>
            <OrgRef address={m.org} result={result} />
          </dd>
          <dt>{t('region')}</dt>
          <dd>{region(m.regionCode)}</dd>
        </dl>
      );
    case 'transaction':
      return <p className="muted">{t('txHint', { n: m.events.length })}</p>;
  }
}

export function VerifyResultView({ result, label }: { result: VerifyResult; label?: string }) {
  const t = useTranslations('verify');
  return (
    <div className="stack" data-testid="verify-result">
      <h2>
        {label && <span className="badge">{label}</span>} <span className="mono">{result.hash}</span>
      </h2>
      {result.matches.length === 0 && <p className="panel muted">{t('notFound')}</p>}
      {result.matches.map((m, i) => (
        <div key={i} className="panel stack">
          <h2>
            <span className="badge ok">{t(`kind.${m.kind}`)}</span> {t('onChain')}
          </h2>
          <Facts m={m} result={result} />
          <h2>{t('proof')}</h2>
          <EventTable events={m.events} names={result.names} testId={`proof-${m.kind}`} />
          {'hidden' in m && m.hidden > 0 && (
            <p className="muted" data-testid={`hidden-${m.kind}`}>
              {t('hiddenOutOfScope', { n: m.hidden })}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
