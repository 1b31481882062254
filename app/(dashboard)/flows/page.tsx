import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { FlowsView } from './FlowsView';
import { Forbidden, ParamError } from '~/app/_components/ParamError';
import { flowsParams, parseParams, type RawSearchParams } from '~/app/_lib/params';
import { requireCaller } from '../../_lib/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('flows') };
}

/** 数据共享流向: who shares data with whom, down to one access and its on-chain proof. */
export default async function FlowsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const caller = await requireCaller();
  const title = (await getTranslations('nav'))('flows');
  if (!can(caller.role, 'flows:read')) return <Forbidden title={title} />;
  const parsed = parseParams(flowsParams, await searchParams);
  if (!parsed.ok) return <ParamError title={title} path="/flows" issues={parsed.issues} />;
  return <FlowsView title={title} params={parsed.data} scope={caller.regionCode} />;
}
