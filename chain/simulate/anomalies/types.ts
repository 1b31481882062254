import type { RuleId } from '../../../domain/rules';
import type { Ref } from '../plan';

/** How a case's finding key is formed once its events have chain coordinates (docs/rules.md). */
export type CaseKey =
  | { kind: 'event' } // `${block}-${logIndex}` of the firing event
  | { kind: 'fixed'; value: string } // invoice hash, or accessor-dataset-day
  | { kind: 'block' }; // block number of the firing event's block

export interface PendingCase {
  rule: RuleId;
  key: CaseKey;
  fire: Ref;
  evidence: Ref[];
}

/** One action of an injected case, run when the simulation reaches block k (before lawful activity). */
export interface Step {
  k: number;
  run(): void;
}

export interface Injection {
  steps: Step[];
  cases: PendingCase[];
}
