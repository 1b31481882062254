import type { Db } from '../../db/client';
import { authorize, type AccessPolicy } from '../auth/access';
import type { Auth } from '../auth/better-auth';
import { resolveCaller, type Caller } from '../auth/caller';
import { clientIp } from '../auth/ip';
import type { AuditActor } from '../audit';
import { HTTP_STATUS, ServiceError } from '../errors';
import type { Action } from '../permissions';
import type { Scope } from '../scope';
import { FOREIGN_READ_MESSAGE, refusesAuditedRead } from './fetch-site';
import { jsonError } from './limits';
import { hasBearer, isSameOriginRequest } from './origin';

export interface AuthenticateDeps {
  db: Db;
  auth: Auth;
  policy: AccessPolicy;
  baseUrl?: string;
}

export type Authenticated = { ok: true; caller: Caller; scope: Scope; actor: AuditActor; ip: string | null };
export type Refused = { ok: false; response: Response };

/**
 * For route handlers outside tRPC (exports, downloads): session cookie or bearer token, the
 * permission check and the caller's region scope, or a ready 401/403 response.
 *
 *   const a = await authenticateRequest(req, 'incidents:export');   // server/runtime.ts
 *   if (!a.ok) return a.response;
 *   … query with scopeCondition(a.scope, incidents.regionCode) …
 */
export async function authenticate(
  deps: AuthenticateDeps,
  req: Request,
  action: Action,
  /** `audited`: the handler writes an audit row for this request, so a foreign page may not trigger it. */
  opts: { audited?: boolean } = {},
): Promise<Authenticated | Refused> {
  if (!['GET', 'HEAD'].includes(req.method) && !hasBearer(req) && !isSameOriginRequest(req, deps.baseUrl)) {
    return { ok: false, response: jsonError(403, 'FORBIDDEN', 'cross-origin request refused') };
  }
  const caller = await resolveCaller(deps, req.headers);
  if (!caller) {
    const res = jsonError(401, 'UNAUTHORIZED', 'sign-in or an API token required');
    res.headers.set('www-authenticate', 'Bearer');
    return { ok: false, response: res };
  }
  if (opts.audited && refusesAuditedRead(caller, req.headers.get('sec-fetch-site'))) {
    return { ok: false, response: jsonError(403, 'FORBIDDEN', FOREIGN_READ_MESSAGE) };
  }
  try {
    const scope = authorize(caller, action, deps.policy);
    return {
      ok: true,
      caller,
      scope,
      actor: { id: caller.userId, label: caller.email, regionCode: caller.regionCode },
      ip: clientIp(req.headers),
    };
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    return { ok: false, response: jsonError(HTTP_STATUS[e.kind], 'FORBIDDEN', e.message) };
  }
}
