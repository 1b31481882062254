import type { Address } from 'viem';
import { RULES, type RuleId } from '../../domain/rules';
import { eventKey } from '../../domain/finding-keys';
import { summaryText, type SummaryFacts } from '../../domain/incident-summary';
import type { ChainEvent } from '../events/types';
import type { EventRef, Finding, StateView } from '../state/types';
import { evidenceOf, refOf, regionOf } from './describe';

/**
 * A finding about one event, keyed by that event (domain/finding-keys.ts) and attributed to the
 * acting org: region from state (0 when unregistered), severity from the rule table. The summary
 * is kept as facts (rendered per language on the pages) and as its Chinese text.
 */
export function eventFinding(
  rule: RuleId,
  ev: ChainEvent,
  state: StateView,
  actor: Address,
  facts: SummaryFacts,
  extraEvidence: (EventRef | null | undefined)[] = [],
  key: string = eventKey(ev.blockNumber, ev.logIndex),
): Finding {
  return {
    rule,
    key,
    severity: RULES[rule].severity,
    regionCode: regionOf(state, actor),
    orgAddress: actor,
    // The Chinese text is stored too: the export's column (DESIGN §6).
    summary: summaryText(facts, 'zh'),
    facts,
    occurredAt: ev.blockTime,
    evidence: evidenceOf(refOf(ev), ...extraEvidence),
  };
}
