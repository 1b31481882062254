import type { IncidentStatus } from '../../domain/rules';

/**
 * The triage workflow of DESIGN §5 (open → acknowledged → escalated → resolved | dismissed), the
 * one place that says which status may follow which. Beyond the straight line:
 *   - open → escalated: a high-severity finding may go to the leadership at once;
 *   - open → dismissed: an obvious false positive need not be acknowledged first;
 *   - resolved / dismissed → open (reopen): a closed incident that recurs or was closed by
 *     mistake goes back to the queue, with a reason, rather than a second incident for the same
 *     finding (detection never creates one).
 * `resolved` needs an acknowledged or escalated incident: someone must have looked at it.
 */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['acknowledged', 'escalated', 'dismissed'],
  acknowledged: ['escalated', 'resolved', 'dismissed'],
  escalated: ['resolved', 'dismissed'],
  resolved: ['open'],
  dismissed: ['open'],
};

/** Moves that must say why (a dismissal or a reopen without a reason is lost knowledge). */
export const NEEDS_COMMENT: readonly IncidentStatus[] = ['dismissed', 'open'];

export function canTransition(from: string, to: IncidentStatus): boolean {
  return (TRANSITIONS[from as IncidentStatus] ?? []).includes(to);
}

/** Every status from which `to` may be reached. */
export function sourcesOf(to: IncidentStatus): IncidentStatus[] {
  return (Object.keys(TRANSITIONS) as IncidentStatus[]).filter((s) => TRANSITIONS[s].includes(to));
}
