import 'server-only';
import { headers } from 'next/headers';
import type { AccessPolicy } from './auth/access';
import { createAuth, type Auth } from './auth/better-auth';
import { resolveCaller, type Caller } from './auth/caller';
import { getDb, getExportDb, getReadDb } from './db';
import { webEnv } from './env';
import { createExportGate, type ExportGate } from './exports/gate';
import { authenticate, type Authenticated, type Refused } from './http/authenticate';
import type { Action } from './permissions';
import { createPrintQueue, type PrintQueue } from './reports/print-queue';

/**
 * The process-wide instances for the Next.js runtime (route handlers, server components,
 * server actions). Tests never import this file: they build the same parts from factories.
 */
const holder = globalThis as unknown as {
  __lianjianAuth?: Auth;
  __lianjianExportGate?: ExportGate;
  __lianjianPrintQueue?: PrintQueue;
};

export function getAuth(): Auth {
  holder.__lianjianAuth ??= createAuth({ db: getDb(), env: webEnv() });
  return holder.__lianjianAuth;
}

export function getPolicy(): AccessPolicy {
  return { adminTotp: webEnv().ADMIN_TOTP };
}

/** The process's export gate: EXPORTS_PER_USER per user, EXPORT_POOL_SIZE in all. */
function getExportGate(): ExportGate {
  const env = webEnv();
  holder.__lianjianExportGate ??= createExportGate({
    perUser: env.EXPORTS_PER_USER,
    total: env.EXPORT_POOL_SIZE,
  });
  return holder.__lianjianExportGate;
}

/** The process's one Chromium for PDFs, behind a queue of PDF_CONCURRENCY turns. */
function getPrintQueue(): PrintQueue {
  holder.__lianjianPrintQueue ??= createPrintQueue({ concurrency: webEnv().PDF_CONCURRENCY });
  return holder.__lianjianPrintQueue;
}

export function runtimeDeps() {
  const printQueue = getPrintQueue();
  return {
    db: getDb(),
    exportDb: getExportDb(),
    exportGate: getExportGate(),
    print: (html: string) => printQueue.print(html),
    readDb: getReadDb(),
    auth: getAuth(),
    policy: getPolicy(),
    baseUrl: webEnv().BASE_URL,
    signingKeyFile: webEnv().SIGNING_KEY_FILE,
  };
}

/**
 * Route handlers: authenticate a request (session or bearer) and check `action`.
 *   const a = await authenticateRequest(req, 'incidents:export');
 *   if (!a.ok) return a.response;          // 401 / 403 ready to return
 *   a.caller, a.scope (region), a.actor (for writeAudit), a.ip
 */
export function authenticateRequest(req: Request, action: Action): Promise<Authenticated | Refused> {
  return authenticate(runtimeDeps(), req, action);
}

/** Server components and actions: the signed-in caller of the current request, or null. */
export async function currentCaller(): Promise<Caller | null> {
  return resolveCaller(runtimeDeps(), await headers());
}
