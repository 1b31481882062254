'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import {
  ACCESS_MODES,
  DATASET_CATEGORIES,
  labelOf,
  modesText,
  ORG_KINDS,
  PURPOSES,
  SENSITIVITY,
} from '../../../../domain/codes';
import { regionName } from '../../../../domain/regions';
import { SeverityBadge, StatusBadge } from '~/app/_components/Badges';
import { ruleLabel, shanghaiTime, shortHash, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../../_lib/trpc/react';
import { incidentSummary } from '~/domain/incident-summary';

export function OrgDetailView({ address, showIncidents }: { address: string; showIncidents: boolean }) {
  const t = useTranslations('orgs');
  const g = useTranslations('glossary');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const q = useQuery(trpc.orgs.get.queryOptions({ address }));
  if (q.error)
    return (
      <section>
        <h1>{t('title')}</h1>
        <p className="panel error">{q.error.data?.code === 'NOT_FOUND' ? t('notFound') : q.error.message}</p>
        <Link href="/orgs">← {t('back')}</Link>
      </section>
    );
  if (!q.data) return <p className="muted">{t('loading')}</p>;
  const { org, shared, consumed, granted, incidents } = q.data;
  const party = (p: { address: string; name: string | null }) => (
    <Link href={`/orgs/${p.address}`}>{p.name ?? shortHash(p.address)}</Link>
  );
  return (
    <section className="stack">
      <Link href="/orgs">← {t('back')}</Link>
      <h1>
        {org.name}{' '}
        {org.active ? (
          <span className="badge ok">{t('yes')}</span>
        ) : (
          <span className="badge off">{t('deactivated')}</span>
        )}
      </h1>
      <div className="panel">
        <dl className={styles.facts}>
          <dt>{t('kind')}</dt>
          <dd>{labelOf(ORG_KINDS, org.kind, lang)}</dd>
          <dt>{t('region')}</dt>
          <dd>
            {regionName(org.regionCode, lang)} ({org.regionCode})
          </dd>
          <dt>{t('address')}</dt>
          <dd className="mono">{org.address}</dd>
          <dt>{t('registered')}</dt>
          <dd>
            {shanghaiTime(org.registeredAt)} · #{org.registeredBlock} ·{' '}
            <span className="mono">{shortHash(org.registeredTx, 10)}</span>
          </dd>
        </dl>
      </div>

      <h2>{t('shared')}</h2>
      <div className={styles.tableWrap}>
        <table data-testid="org-datasets">
          <thead>
            <tr>
              <th>{t('dataset')}</th>
              <th>{t('category')}</th>
              <th>{t('sensitivity')}</th>
              <th>{t('grants')}</th>
            </tr>
          </thead>
          <tbody>
            {shared.datasets.map((d) => (
              <tr key={d.datasetId}>
                <td title={d.datasetId}>{d.title}</td>
                <td>{labelOf(DATASET_CATEGORIES, d.category, lang)}</td>
                <td>{labelOf(SENSITIVITY, d.sensitivity, lang)}</td>
                <td>{d.grants}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Parties title={t('readers')} rows={shared.readers} party={party} lang={lang} />

      <h2>{t('consumed')}</h2>
      <Parties title={t('sources')} rows={consumed.sources} party={party} lang={lang} />
      <div className={styles.tableWrap}>
        <table data-testid="org-accesses">
          <thead>
            <tr>
              <th>{t('time')}</th>
              <th>{t('dataset')}</th>
              <th>{g('provider')}</th>
              <th>{t('mode')}</th>
              <th>{t('purpose')}</th>
              <th>{t('records')}</th>
              <th>{t('proof')}</th>
            </tr>
          </thead>
          <tbody>
            {consumed.recentAccesses.map((a) => (
              <tr key={`${a.blockNumber}:${a.logIndex}`}>
                <td>{shanghaiTime(a.blockTime)}</td>
                <td>{a.title ?? shortHash(a.datasetId)}</td>
                <td>{a.owner ? party({ address: a.owner, name: a.ownerName }) : '—'}</td>
                <td>{labelOf(ACCESS_MODES, a.mode, lang)}</td>
                <td>{labelOf(PURPOSES, a.purpose, lang)}</td>
                <td>{a.recordCount}</td>
                <td className="mono">
                  <Link href={`/verify?hash=${a.payloadHash}`}>
                    #{a.blockNumber} {shortHash(a.txHash)}
                  </Link>
                </td>
              </tr>
            ))}
            {consumed.recentAccesses.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {t('none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <h2>{t('grantedTitle')}</h2>
      <GrantTable rows={granted} lang={lang} party={party} side="grantee" />
      <h2>{t('receivedTitle')}</h2>
      <GrantTable rows={consumed.grantsReceived} lang={lang} party={party} side="grantor" />

      {showIncidents && (
        <>
          <h2>{t('incidents', { n: incidents.total })}</h2>
          <div className={styles.tableWrap}>
            <table data-testid="org-incidents">
              <tbody>
                {incidents.rows.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link href={`/incidents/${i.id}`}>
                        #{i.id} {ruleLabel(i.rule, lang)}
                      </Link>
                    </td>
                    <td>
                      <SeverityBadge severity={i.severity} />
                    </td>
                    <td>
                      <StatusBadge status={i.status} />
                    </td>
                    <td>{shanghaiTime(i.detectedAt)}</td>
                    <td>{incidentSummary(i, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

type PartyFn = (p: { address: string; name: string | null }) => React.ReactNode;

function Parties({
  title,
  rows,
  party,
  lang,
}: {
  title: string;
  rows: {
    address: string;
    name: string | null;
    regionCode: number | null;
    accesses: number;
    records: number;
  }[];
  party: PartyFn;
  lang: 'zh' | 'en';
}) {
  const t = useTranslations('orgs');
  return (
    <div className={styles.tableWrap}>
      <table>
        <thead>
          <tr>
            <th>{title}</th>
            <th>{t('region')}</th>
            <th>{t('accesses')}</th>
            <th>{t('records')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.address}>
              <td>{party(r)}</td>
              <td>{r.regionCode === null ? '—' : regionName(r.regionCode, lang)}</td>
              <td>{r.accesses}</td>
              <td>{r.records}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function GrantTable({
  rows,
  lang,
  party,
  side,
}: {
  rows: {
    grantId: string;
    title: string | null;
    grantee: string;
    granteeName: string | null;
    grantor: string;
    grantorName: string | null;
    purpose: number;
    modes: number;
    validUntil: number;
    revoked: boolean;
    accessCount: number;
  }[];
  lang: 'zh' | 'en';
  party: PartyFn;
  /** The other party of the grant: who received it (grants given), who gave it (grants received). */
  side: 'grantee' | 'grantor';
}) {
  const t = useTranslations('orgs');
  return (
    <div className={styles.tableWrap}>
      <table data-testid={side === 'grantee' ? 'grants-given' : 'grants-received'}>
        <thead>
          <tr>
            <th>{t('grant')}</th>
            <th>{t('dataset')}</th>
            <th>{t(side)}</th>
            <th>{t('purpose')}</th>
            <th>{t('modes')}</th>
            <th>{t('validUntil')}</th>
            <th>{t('accesses')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.grantId}>
              <td className="mono">
                <Link href={`/verify?hash=${g.grantId}`}>{shortHash(g.grantId)}</Link>
                {g.revoked && <span className="badge off">{t('revoked')}</span>}
              </td>
              <td>{g.title ?? '—'}</td>
              <td>
                {side === 'grantee'
                  ? party({ address: g.grantee, name: g.granteeName })
                  : party({ address: g.grantor, name: g.grantorName })}
              </td>
              <td>{labelOf(PURPOSES, g.purpose, lang)}</td>
              <td>{modesText(g.modes, lang)}</td>
              <td>{shanghaiTime(new Date(g.validUntil * 1000))}</td>
              <td>{g.accessCount}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                {t('none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
