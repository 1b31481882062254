import { z } from 'zod';
import type { Hash } from 'viem';
import { normalizeHash } from '../../domain/hash-input';
import { verifyHash } from '../services/verify';
import { currentSigningKey } from '../signing/current';
import { formatFingerprint } from '../signing/keys';
import { listSigningKeys } from '../signing/registry';
import { auditedRead, permitted, router } from '../trpc';

// People paste hashes with or without 0x, in either case: all mean the same hash.
const hashInput = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const h = normalizeHash(s);
    if (!h) ctx.addIssue({ code: 'custom', message: 'must be a hash of 64 hex digits (0x optional)' });
    return (h ?? s) as Hash;
  });

/** 存证核验: what a hash is on the chain (access payload, invoice, certificate, grant, case, tx). */
export const verifyRouter = router({
  // Every look-up is on record, found or not (probing for hashes is worth knowing about).
  lookup: auditedRead('proof:read')
    .input(z.strictObject({ hash: hashInput }))
    .query(async ({ ctx, input }) => {
      const r = await verifyHash(ctx.db, ctx.scope, input.hash);
      await ctx.auditRead({
        action: 'verify.lookup',
        target: `hash:${r.hash}`,
        details: { found: [...new Set(r.matches.map((m) => m.kind))] },
      });
      return r;
    }),
  /** The deployment's SM2 public keys: the current one first, rotated ones after (still valid). */
  keys: permitted('proof:read').query(async ({ ctx }) =>
    (await listSigningKeys(ctx.db, currentSigningKey())).map((k) => ({
      ...k,
      fingerprintDisplay: formatFingerprint(k.fingerprint),
    })),
  ),
});
