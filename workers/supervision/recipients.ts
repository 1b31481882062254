import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema/auth';

/** E-mail addresses of the enabled department users of one org. */
export async function departmentEmails(db: Db, org: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, 'department'), eq(users.orgAddress, org), eq(users.disabled, false)));
  return rows.map((r) => r.email).sort();
}

/** E-mail addresses of the enabled regulators of exactly one level (null = nation-wide). */
export async function regulatorEmails(db: Db, region: number | null): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(
      and(
        eq(users.role, 'regulator'),
        eq(users.disabled, false),
        region === null ? isNull(users.regionCode) : eq(users.regionCode, region),
      ),
    );
  return rows.map((r) => r.email).sort();
}
