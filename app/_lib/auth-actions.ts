'use server';
import { isAPIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { writeAudit } from '../../server/audit';
import { clientIp } from '../../server/auth/ip';
import { getDb } from '../../server/db';
import { currentCaller, getAuth } from '../../server/runtime';

export type SignInState =
  | { step: 'password'; error?: 'invalid' | 'locked' | 'tooMany' | 'failed' }
  | { step: 'totp'; error?: 'totpInvalid' | 'tooMany' | 'failed' };

const credentials = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});
const totpCode = z.object({ code: z.string().regex(/^\d{6}$/) });

function errorOf(e: unknown, wrong: 'invalid' | 'totpInvalid') {
  if (!isAPIError(e)) throw e;
  if (e.body?.code === 'ACCOUNT_LOCKED') return 'locked' as const;
  if (e.status === 'TOO_MANY_REQUESTS') return 'tooMany' as const;
  if (e.status === 'UNAUTHORIZED' || e.status === 'BAD_REQUEST') return wrong;
  return 'failed' as const;
}

/**
 * The login form's action (works without JavaScript). better-auth sets the session cookie (or,
 * with TOTP enrolled, the short-lived two-factor cookie) through its nextCookies plugin.
 */
export async function signInAction(state: SignInState, form: FormData): Promise<SignInState> {
  const auth = getAuth();
  const h = await headers();
  if (state.step === 'totp' && form.has('code')) {
    const parsed = totpCode.safeParse({ code: form.get('code') });
    if (!parsed.success) return { step: 'totp', error: 'totpInvalid' };
    try {
      await auth.api.verifyTOTP({ body: { code: parsed.data.code }, headers: h });
    } catch (e) {
      const err = errorOf(e, 'totpInvalid');
      return { step: 'totp', error: err === 'locked' || err === 'invalid' ? 'totpInvalid' : err };
    }
    redirect('/');
  }
  const parsed = credentials.safeParse({ email: form.get('email'), password: form.get('password') });
  if (!parsed.success) return { step: 'password', error: 'invalid' };
  let result: unknown;
  try {
    result = await auth.api.signInEmail({ body: parsed.data, headers: h });
  } catch (e) {
    const err = errorOf(e, 'invalid');
    return { step: 'password', error: err === 'totpInvalid' ? 'invalid' : err };
  }
  if (result && typeof result === 'object' && 'twoFactorRedirect' in result) return { step: 'totp' };
  redirect('/');
}

export async function signOutAction(): Promise<void> {
  const h = await headers();
  const caller = await currentCaller();
  if (caller) {
    await writeAudit(getDb(), {
      actor: { id: caller.userId, label: caller.email, regionCode: caller.regionCode },
      action: 'auth.sign_out',
      ip: clientIp(h),
    });
  }
  await getAuth()
    .api.signOut({ headers: h })
    .catch(() => undefined);
  redirect('/login');
}
