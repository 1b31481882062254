import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { provinceOf } from '../../../domain/regions';
import { can } from '../../../server/permissions';
import { AdoptionView } from './AdoptionView';
import { Forbidden, ParamError } from '~/app/_components/ParamError';
import { adoptionParams, parseParams, type RawSearchParams } from '~/app/_lib/params';
import { requireCaller } from '../../_lib/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('adoption') };
}

/** 区域应用: how much of government service is online, per province and city. */
export default async function AdoptionPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const caller = await requireCaller();
  const title = (await getTranslations('nav'))('adoption');
  if (!can(caller.role, 'adoption:read')) return <Forbidden title={title} />;
  const parsed = parseParams(adoptionParams, await searchParams);
  if (!parsed.ok) return <ParamError title={title} path="/adoption" issues={parsed.issues} />;
  // A regional user opens at their own province's cities: the national map would show one tile.
  const params =
    parsed.data.province === undefined && caller.regionCode !== null
      ? { ...parsed.data, province: provinceOf(caller.regionCode) }
      : parsed.data;
  return <AdoptionView title={title} params={params} scope={caller.regionCode} />;
}
