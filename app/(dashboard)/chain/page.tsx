import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { ChainView } from './ChainView';
import { Forbidden, ParamError } from '~/app/_components/ParamError';
import { chainParams, parseParams, type RawSearchParams } from '~/app/_lib/params';
import { requireCaller } from '../../_lib/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('chain') };
}

/** 链上运行: the chain's head and the indexer's progress, activity, stalls. */
export default async function ChainPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const caller = await requireCaller();
  const title = (await getTranslations('nav'))('chain');
  if (!can(caller.role, 'chain:read')) return <Forbidden title={title} />;
  const parsed = parseParams(chainParams, await searchParams);
  if (!parsed.ok) return <ParamError title={title} path="/chain" issues={parsed.issues} />;
  return <ChainView title={title} params={parsed.data} scope={caller.regionCode} />;
}
