import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { requireCaller } from '../../_lib/session';
import { SupervisionView } from './SupervisionView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('supervision'))('title') };
}

/** /supervision (督办): queues, figures by region and department, trends; every figure drills to /incidents. */
export default async function SupervisionPage() {
  const caller = await requireCaller();
  const t = await getTranslations('supervision');
  if (!can(caller.role, 'supervision:read'))
    return (
      <section>
        <h1>{t('title')}</h1>
        <p className="panel error">{t('forbidden')}</p>
      </section>
    );
  return <SupervisionView department={caller.role === 'department'} regionCode={caller.regionCode} />;
}
