import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { can } from '../../../../server/permissions';
import { Forbidden } from '~/app/_components/ParamError';
import { requireCaller } from '../../../_lib/session';
import { ReportPage } from './ReportPage';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reports'))('title') };
}

/** /reports/[id]: one stored report, as it prints (A4), with its downloads. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requireCaller();
  const t = await getTranslations('reports');
  if (!can(caller.role, 'reports:read')) return <Forbidden title={t('title')} />;
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return <ReportPage id={id} />;
}
