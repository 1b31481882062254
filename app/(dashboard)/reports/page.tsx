import type { Metadata } from 'next';
import { getLocale } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { Forbidden } from '~/app/_components/ParamError';
import { requireCaller } from '../../_lib/session';
import { reportMessages } from './_messages';
import { ReportsView } from './ReportsView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: reportMessages(await getLocale()).title };
}

/** /reports: build a report (region × period), and the stored history with downloads. */
export default async function ReportsPage() {
  const caller = await requireCaller();
  const m = reportMessages(await getLocale());
  if (!can(caller.role, 'reports:read')) return <Forbidden title={m.title} />;
  return <ReportsView scope={caller.regionCode} canGenerate={can(caller.role, 'reports:generate')} />;
}
