import type { Caller } from '../auth/caller';

/**
 * Reads that write an audit row (an incident or report viewed, a /verify look-up, a download or
 * an export) must not be triggerable by another site: a link, an <img> or a fetch from a foreign
 * page carries the user's cookie on a GET and would write rows in their name. Browsers say where
 * a request comes from in `Sec-Fetch-Site`; a session-authenticated audited read is refused when
 * it is `cross-site` or `same-site` (a sibling subdomain is another application). `same-origin`
 * (the dashboard itself) and `none` (the address bar, a bookmark) are the user's own doing.
 * Bearer-token clients carry no ambient credential and are never refused; neither are clients
 * that send no `Sec-Fetch-Site` at all (scripts, old browsers: nothing ambient to abuse there
 * that SameSite=Lax cookies do not already stop).
 */
const FOREIGN = new Set(['cross-site', 'same-site']);

export function refusesAuditedRead(caller: Pick<Caller, 'via'>, secFetchSite: string | null): boolean {
  return caller.via.kind === 'session' && secFetchSite !== null && FOREIGN.has(secFetchSite.toLowerCase());
}

export const FOREIGN_READ_MESSAGE =
  'this read is audited and was requested by another site; open it from the dashboard';
