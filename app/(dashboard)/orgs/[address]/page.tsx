import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { can } from '../../../../server/permissions';
import { requireCaller } from '../../../_lib/session';
import { OrgDetailView } from './OrgDetailView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('orgs') };
}

/** One member: what it shared, consumed, granted, and its incidents. */
export default async function OrgPage({ params }: { params: Promise<{ address: string }> }) {
  const caller = await requireCaller();
  const t = await getTranslations();
  const { address } = await params;
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) notFound();
  if (!can(caller.role, 'orgs:read'))
    return (
      <section>
        <h1>{t('orgs.title')}</h1>
        <p className="panel error">{t('common.forbidden')}</p>
      </section>
    );
  return <OrgDetailView address={address.toLowerCase()} showIncidents={can(caller.role, 'incidents:read')} />;
}
