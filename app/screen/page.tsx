import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { can } from '../../server/permissions';
import { requireCaller } from '../_lib/session';
import { ScreenView, type ScreenPanel } from './ScreenView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('screen'))('title') };
}

/** Seconds per panel and between data refreshes; short values are for tests and measurements. */
const params = z.object({
  rotate: z.coerce.number().int().min(1).max(3600).catch(20),
  refresh: z.coerce.number().int().min(1).max(600).catch(30),
});

/**
 * 数据大屏: the wall display. Outside the dashboard shell (no navigation), dark, drawn for a
 * 1920×1080 stage that scales to the screen, so 4K shows the same layout at twice the size.
 */
export default async function ScreenPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireCaller();
  const p = params.parse(await searchParams);
  // A panel shows only what the signed-in role may read (flows and incidents are not leadership's).
  const panels: ScreenPanel[] = [];
  if (can(caller.role, 'flows:read')) panels.push('flows');
  if (can(caller.role, 'adoption:read')) panels.push('map', 'targets');
  if (can(caller.role, 'incidents:read')) panels.push('incidents');
  return <ScreenView panels={panels} rotateMs={p.rotate * 1000} refreshMs={p.refresh * 1000} />;
}
