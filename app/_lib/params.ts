import { z } from 'zod';
import { ACCESS_MODE_BITS, DATASET_CATEGORIES } from '~/domain/codes';
import { isValidProvinceCode, isValidRegionCode } from '~/domain/regions';
import { ADOPTION_METRICS } from '~/server/services/adoption';
import { FLOW_GROUPS } from '~/server/services/flows-filter';
import { dayString, PERIOD_NAMES } from '~/server/services/period';

/**
 * The URL query of each dashboard page, validated. Pages are links: a copied URL shows the same
 * view, and a hand-edited one that does not parse shows which parameter is wrong (never a crash).
 */
const int = (check: (n: number) => boolean, message: string) =>
  z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .refine(check, message);

/** A flow end at its grouping: an address, an org kind code or a region code. */
const linkEnd = z.string().regex(/^(0x[0-9a-fA-F]{40}|-?\d{1,6})$/, 'an address, kind code or region code');

const region = int(isValidRegionCode, 'must be a 6-digit region code, e.g. 440000 or 440100');

const periodParams = {
  period: z.enum(PERIOD_NAMES).optional(),
  from: dayString.optional(),
  to: dayString.optional(),
};

function periodPair<T extends { from?: string; to?: string; period?: string }>(s: z.ZodType<T>) {
  return s
    .refine((v) => (v.from === undefined) === (v.to === undefined), {
      message: 'from and to go together',
      path: ['from'],
    })
    .refine((v) => !(v.period && v.from), { message: 'give either period or from/to', path: ['period'] })
    .refine((v) => !v.from || !v.to || v.from <= v.to, {
      message: 'from must not be after to',
      path: ['to'],
    });
}

export const overviewParams = periodPair(z.strictObject({ ...periodParams, region: region.optional() }));

export const flowsParams = periodPair(
  z.strictObject({
    ...periodParams,
    region: region.optional(),
    group: z.enum(FLOW_GROUPS).optional(),
    category: int((n) => n in DATASET_CATEGORIES, 'unknown category').optional(),
    sensitivity: int((n) => n >= 1 && n <= 4, 'sensitivity is 1–4').optional(),
    mode: int((n) => (ACCESS_MODE_BITS as readonly number[]).includes(n), 'mode is 1, 2, 4 or 8').optional(),
    /** The selected flow (its two ends at the grouping) and the access whose proof is open. */
    source: linkEnd.optional(),
    target: linkEnd.optional(),
    proof: z
      .string()
      .regex(/^\d{1,12}-\d{1,6}$/, 'must be block-logIndex, e.g. 1234-5')
      .transform((v) => {
        const [blockNumber, logIndex] = v.split('-').map(Number) as [number, number];
        return { blockNumber, logIndex };
      })
      .optional(),
  }),
).refine((v) => (v.source === undefined) === (v.target === undefined), {
  message: 'source and target go together',
  path: ['source'],
});

export const adoptionParams = periodPair(
  z.strictObject({
    ...periodParams,
    metric: z.enum(ADOPTION_METRICS).optional(),
    province: int(isValidProvinceCode, 'a province code such as 440000').optional(),
  }),
);

export const chainParams = periodPair(z.strictObject(periodParams));

export type OverviewParams = z.infer<typeof overviewParams>;
export type FlowsParams = z.infer<typeof flowsParams>;
export type AdoptionParams = z.infer<typeof adoptionParams>;
export type ChainParams = z.infer<typeof chainParams>;

export type RawSearchParams = Record<string, string | string[] | undefined>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; issues: { param: string; message: string }[] };

/** Parses a page's query; a repeated parameter is an error, not "the first one wins". */
export function parseParams<T>(schema: z.ZodType<T>, raw: RawSearchParams): Parsed<T> {
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) flat[k] = v;
  const r = schema.safeParse(flat);
  if (r.success) return { ok: true, data: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      param: i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.join('.') || '?',
      message: i.message,
    })),
  };
}
