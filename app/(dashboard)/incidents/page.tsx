import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { can } from '../../../server/permissions';
import { requireCaller } from '../../_lib/session';
import { IncidentsView } from './IncidentsView';
import { SkipLink } from '~/app/_components/SkipLink';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('incidents') };
}

/** 异常事件: filters in the URL, counts, the list, bulk triage, exports and live alerts. */
export default async function IncidentsPage() {
  const caller = await requireCaller();
  const t = await getTranslations();
  if (!can(caller.role, 'incidents:read')) {
    return (
      <section>
        <h1>{t('incidents.title')}</h1>
        <p className="panel error">{t('common.forbidden')}</p>
      </section>
    );
  }
  return (
    <section className="stack">
      {/* After the page-wide skip link: past the live alerts, filters, counts and bulk bar. */}
      <SkipLink href="#incident-list">{t('incidents.skipToList')}</SkipLink>
      <h1>{t('incidents.title')}</h1>
      <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
        <IncidentsView
          canTriage={can(caller.role, 'incidents:triage')}
          canExport={can(caller.role, 'incidents:export')}
          me={caller.email}
          scope={caller.regionCode}
        />
      </Suspense>
    </section>
  );
}
