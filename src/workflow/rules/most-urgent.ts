/**
 * Which open trigger an application's single pending queue row carries (SPEC §5):
 * critical > high > medium > low, then the earliest deadline (none last), then type name,
 * so the choice never depends on input order.
 */
import type { TriggerPriority } from '../../domain.js';

const RANKS: Readonly<Record<TriggerPriority, number>> = Object.freeze({ critical: 0, high: 1, medium: 2, low: 3 });

/** 0 for critical up to 3 for low; unknown priorities rank after low. */
export function priorityRank(priority: TriggerPriority | string): number {
  return Object.hasOwn(RANKS, priority) ? RANKS[priority as TriggerPriority] : 4;
}

export interface UrgencyCandidate {
  priority: TriggerPriority | string;
  deadline: Date | null;
  type: string;
}

/** Sort comparator: most urgent first. */
export function compareUrgency(a: UrgencyCandidate, b: UrgencyCandidate): number {
  return (
    priorityRank(a.priority) - priorityRank(b.priority) ||
    compareDeadlines(a.deadline, b.deadline) ||
    (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)
  );
}

/** The most urgent of `triggers`, or null when there are none. */
export function pickMostUrgent<T extends UrgencyCandidate>(triggers: readonly T[]): T | null {
  let best: T | null = null;
  for (const t of triggers) if (best === null || compareUrgency(t, best) < 0) best = t;
  return best;
}

function compareDeadlines(a: Date | null, b: Date | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a.getTime() - b.getTime();
}
