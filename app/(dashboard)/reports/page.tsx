import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { Forbidden } from '~/app/_components/ParamError';
import { requireCaller } from '../../_lib/session';
import { ReportsView } from './ReportsView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reports'))('title') };
}

/** /reports: build a report (region × period), and the stored history with downloads. */
export default async function ReportsPage() {
  const caller = await requireCaller();
  const t = await getTranslations('reports');
  if (!can(caller.role, 'reports:read')) return <Forbidden title={t('title')} />;
  return <ReportsView scope={caller.regionCode} canGenerate={can(caller.role, 'reports:generate')} />;
}
