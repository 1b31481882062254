'use server';
import { cookies } from 'next/headers';
import { LOCALE_COOKIE, toLocale } from './locale';

export async function setLocale(locale: string): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, toLocale(locale), {
    path: '/',
    maxAge: 365 * 24 * 3600,
    sameSite: 'lax',
    httpOnly: false,
  });
}
