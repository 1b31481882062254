import 'server-only';
import { redirect } from 'next/navigation';
import type { Caller } from '../../server/auth/caller';
import { currentCaller } from '../../server/runtime';

/**
 * For pages and layouts: the signed-in caller, or a redirect to /login. This is only the page
 * gate; every read and write is authorized again in tRPC / route handlers.
 */
export async function requireCaller(): Promise<Caller> {
  const caller = await currentCaller();
  if (!caller) redirect('/login');
  return caller;
}
