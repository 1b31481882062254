import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { can } from '../../server/permissions';
import { OverviewView } from './OverviewView';
import { Forbidden, ParamError } from '~/app/_components/ParamError';
import { overviewParams, parseParams, type RawSearchParams } from '~/app/_lib/params';
import { requireCaller } from '../_lib/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('overview') };
}

/** 总览: the period's KPIs against the previous period, and the newest high incidents. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const caller = await requireCaller();
  const title = (await getTranslations('nav'))('overview');
  if (!can(caller.role, 'overview:read')) {
    // Sign-in lands here: a department user's page is 督办, not a refusal.
    if (can(caller.role, 'supervision:read')) redirect('/supervision');
    return <Forbidden title={title} />;
  }
  const parsed = parseParams(overviewParams, await searchParams);
  if (!parsed.ok) return <ParamError title={title} path="/" issues={parsed.issues} />;
  return (
    <OverviewView
      title={title}
      params={parsed.data}
      scope={caller.regionCode}
      showIncidents={can(caller.role, 'incidents:read')}
    />
  );
}
