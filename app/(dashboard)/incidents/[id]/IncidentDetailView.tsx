'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { ORG_KINDS, labelOf } from '../../../../domain/codes';
import { regionName } from '../../../../domain/regions';
import { incidentRegionLabel } from '../../../../domain/rules';
import { SeverityBadge, StatusBadge } from '~/app/_components/Badges';
import { EventTable } from '~/app/_components/EventTable';
import { ruleLabel, shanghaiTime, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../../_lib/trpc/react';
import { TriagePanel } from './TriagePanel';
import { incidentSummary } from '~/domain/incident-summary';

export function IncidentDetailView({
  id,
  canTriage,
  canPackage,
  me,
}: {
  id: number;
  canTriage: boolean;
  canPackage: boolean;
  me: string;
}) {
  const t = useTranslations('incidents');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const q = useQuery(trpc.incidents.get.queryOptions({ id }));
  if (q.error)
    return (
      <section>
        <h1>
          {t('title')} #{id}
        </h1>
        <p className="panel error">{q.error.data?.code === 'NOT_FOUND' ? t('notFound') : q.error.message}</p>
        <Link href="/incidents">← {t('back')}</Link>
      </section>
    );
  if (!q.data) return <p className="muted">{t('loading')}</p>;
  const { incident: i, evidence, subjects, activity, names } = q.data;
  const evidenceKeys = new Set(evidence.map((e) => `${e.blockNumber}:${e.logIndex}`));

  return (
    <section className="stack">
      <div className="row">
        <Link href="/incidents">← {t('back')}</Link>
        {canPackage && (
          <a
            className="badge"
            href={`/api/incidents/${i.id}/package`}
            title={t('packageHint')}
            data-testid="incident-package"
            download
          >
            {t('package')}
          </a>
        )}
      </div>
      <h1>
        #{i.id} {ruleLabel(i.rule, lang)} <SeverityBadge severity={i.severity} />{' '}
        <StatusBadge status={i.status} />
      </h1>
      <div className={styles.grid2}>
        <div className="stack">
          <div className="panel">
            <dl className={styles.facts} data-testid="incident-facts">
              <dt>{t('rule')}</dt>
              <dd>
                {ruleLabel(i.rule, lang)} <span className="muted mono">{i.rule}</span>
              </dd>
              <dt>{t('summary')}</dt>
              <dd>{incidentSummary(i, lang)}</dd>
              <dt>{t('region')}</dt>
              <dd>{incidentRegionLabel(i, lang, (code) => `${regionName(code, lang)} (${code})`)}</dd>
              <dt>{t('org')}</dt>
              <dd>
                {i.orgAddress ? (
                  <Link href={`/orgs/${i.orgAddress}`}>
                    {i.orgName ?? t('unregistered')}
                    {i.orgKind !== null && ` · ${labelOf(ORG_KINDS, i.orgKind, lang)}`}{' '}
                    <span className="mono">{i.orgAddress}</span>
                  </Link>
                ) : (
                  '—'
                )}
              </dd>
              <dt>{t('occurredAt')}</dt>
              <dd>{shanghaiTime(i.occurredAt)}</dd>
              <dt>{t('detectedAt')}</dt>
              <dd>{shanghaiTime(i.detectedAt)}</dd>
              <dt>{t('assignee')}</dt>
              <dd>{i.assignee ?? '—'}</dd>
            </dl>
          </div>
          <div>
            <h2>{t('evidence', { n: evidence.length })}</h2>
            <EventTable events={evidence} names={names} testId="evidence" />
          </div>
          {subjects.map((s) => (
            <div key={`${s.kind}:${s.key}`}>
              <h2>
                {t(`subject.${s.kind}`)} <span className="mono muted">{s.key}</span>
              </h2>
              <p className="muted">{t('subjectHint')}</p>
              <EventTable
                events={s.events}
                names={names}
                highlight={evidenceKeys}
                testId={`history-${s.kind}`}
              />
              {s.truncated && <p className="muted">{t('truncated', { n: s.events.length })}</p>}
              {s.hidden > 0 && (
                <p className="muted" data-testid={`hidden-${s.kind}`}>
                  {t('hiddenOutOfScope', { n: s.hidden })}
                </p>
              )}
            </div>
          ))}
        </div>
        <TriagePanel
          id={i.id}
          status={i.status}
          assignee={i.assignee}
          activity={activity}
          canTriage={canTriage}
          me={me}
        />
      </div>
    </section>
  );
}
