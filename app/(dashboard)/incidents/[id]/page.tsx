import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { can } from '../../../../server/permissions';
import { requireCaller } from '../../../_lib/session';
import { SupervisionPanel } from '~/app/_components/SupervisionPanel';
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
  // A department user sees only the supervised case (its own org's), through the 督办 panel.
  if (caller.role === 'department') {
    return (
      <section className="stack">
        <h1>
          {t('supervision.title')} #{id}
        </h1>
        <SupervisionPanel id={Number(id)} canDirect={false} canAnswer showIncident />
      </section>
    );
  }
  if (!can(caller.role, 'incidents:read')) {
    return (
      <section>
        <h1>{t('incidents.title')}</h1>
        <p className="panel error">{t('common.forbidden')}</p>
      </section>
    );
  }
  return (
    <>
      <IncidentDetailView
        id={Number(id)}
        canTriage={can(caller.role, 'incidents:triage')}
        canPackage={can(caller.role, 'incidents:export')}
        me={caller.email}
      />
      {can(caller.role, 'supervision:read') && (
        <SupervisionPanel
          id={Number(id)}
          canDirect={can(caller.role, 'supervision:direct')}
          canAnswer={false}
          showIncident={false}
        />
      )}
    </>
  );
}
