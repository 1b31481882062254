import type { ReactNode } from 'react';
import { Shell } from '../_components/Shell';
import { requireCaller } from '../_lib/session';

/** Every page but /login: signed-in only (redirects to /login), inside the navigation shell. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const caller = await requireCaller();
  return <Shell caller={caller}>{children}</Shell>;
}
