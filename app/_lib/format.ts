import type { Lang } from '~/domain/format';
import { RULES, type RuleId } from '~/domain/rules';

// One home for the formatters (domain/format.ts); re-exported for the pages that import them here.
export { shanghaiTime, shortHash, yuan, type Lang } from '~/domain/format';

export const toLang = (locale: string): Lang => (locale === 'en' ? 'en' : 'zh');

export function ruleLabel(rule: string, lang: Lang): string {
  return (RULES as Record<string, (typeof RULES)[RuleId] | undefined>)[rule]?.[lang] ?? rule;
}
