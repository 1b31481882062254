import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settings } from '../../db/schema';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../domain/rules';

/** The `settings` row that holds operator overrides of rule thresholds. */
export const RULE_SETTINGS_KEY = 'rules';

/**
 * Overrides merged over the defaults, key by key. Unknown keys and values that are not finite
 * numbers are ignored rather than thrown: a bad edit must not stop detection, it falls back to
 * DESIGN §5's default for that one threshold.
 */
export function mergeRuleSettings(overrides: unknown): RuleSettings {
  const merged: { -readonly [K in keyof RuleSettings]: number } = { ...DEFAULT_RULE_SETTINGS };
  if (overrides === null || typeof overrides !== 'object') return merged;
  for (const key of Object.keys(DEFAULT_RULE_SETTINGS) as (keyof RuleSettings)[]) {
    const v = (overrides as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v)) merged[key] = v;
  }
  return merged;
}

export async function loadRuleSettings(db: Db): Promise<RuleSettings> {
  const rows = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, RULE_SETTINGS_KEY));
  return mergeRuleSettings(rows[0]?.value);
}
