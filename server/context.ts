import type { Db } from '../db/client';
import type { AccessPolicy } from './auth/access';
import type { Auth } from './auth/better-auth';
import { resolveCaller, type Caller } from './auth/caller';
import { clientIp } from './auth/ip';

/** What every tRPC procedure receives. Built per request by createContext. */
export interface TrpcContext {
  db: Db;
  /**
   * Dashboard and report reads: a streaming replica when one is configured. Optional here so a
   * context built by hand stays valid; every procedure sees it filled (`db` when absent).
   */
  readDb?: Db;
  caller: Caller | null;
  ip: string | null;
  policy: AccessPolicy;
  /**
   * The request's `Sec-Fetch-Site` (null: not sent, or no HTTP request behind the call): audited
   * reads refuse foreign ones (server/http/fetch-site.ts).
   */
  secFetchSite?: string | null;
  /**
   * The server's clock: workflow changes and deadline states, which periods have begun and which
   * are partial. Absent = the system clock (tests pin it).
   */
  now?: () => Date;
}

export interface ContextDeps {
  db: Db;
  /** `DATABASE_READ_URL`'s pool; absent = reads use `db`. */
  readDb?: Db;
  auth: Auth;
  policy: AccessPolicy;
}

export async function createContext(deps: ContextDeps, headers: Headers): Promise<TrpcContext> {
  return {
    db: deps.db,
    readDb: deps.readDb ?? deps.db,
    caller: await resolveCaller(deps, headers),
    ip: clientIp(headers),
    policy: deps.policy,
    secFetchSite: headers.get('sec-fetch-site'),
  };
}
