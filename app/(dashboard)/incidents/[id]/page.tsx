import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { can } from '../../../../server/permissions';
import { requireCaller } from '../../../_lib/session';
import { IncidentDetailView } from './IncidentDetailView';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `${(await getTranslations('nav'))('incidents')} #${id.slice(0, 12)}` };
}

/** One incident: facts, evidence events, the history of the grant / invoice / certificate, triage. */
export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requireCaller();
  const t = await getTranslations();
  const { id } = await params;
  if (!/^\d{1,9}$/.test(id)) notFound();
  if (!can(caller.role, 'incidents:read')) {
    return (
      <section>
        <h1>{t('incidents.title')}</h1>
        <p className="panel error">{t('common.forbidden')}</p>
      </section>
    );
  }
  return (
    <IncidentDetailView
      id={Number(id)}
      canTriage={can(caller.role, 'incidents:triage')}
      canPackage={can(caller.role, 'incidents:export')}
      me={caller.email}
    />
  );
}
