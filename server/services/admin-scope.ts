import { forbidden } from '../errors';
import { inScope, type Scope } from '../scope';

/**
 * The rule of regional administration: an administrator scoped to a region manages only users
 * inside it and can never grant a scope wider than their own (their own account included). Only
 * a nation-wide administrator manages or creates nation-wide users. One home for the rule, so the
 * user service, the token service and the audit log ask the same question.
 */
export function mayManageRegion(actor: Scope, regionCode: number | null): boolean {
  if (actor.regionCode === null) return true;
  return regionCode !== null && inScope(actor, regionCode);
}

/** Throws forbidden unless `regionCode` (a user's current or requested scope) lies within `actor`. */
export function assertManagesRegion(actor: Scope, regionCode: number | null, what: string): void {
  if (!mayManageRegion(actor, regionCode)) {
    throw forbidden(
      regionCode === null
        ? `only a nation-wide administrator may ${what} a nation-wide user`
        : `region ${regionCode} lies outside your scope; you may not ${what} it`,
    );
  }
}
