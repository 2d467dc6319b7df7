/**
 * Decides which trigger rules fire for one application, from its clicks alone (pure).
 *
 * Rules are judged on human clicks only, click by click in time order, with scores computed
 * as of each click (`scorer(app, clicksSoFar, click.clickedAt)`, clicks at that very instant
 * included). A rule fires at the first human click at which its condition holds, and its
 * deadline counts from that click's time, so evaluating again later, or with more later
 * clicks, finds the same moment and the same deadline.
 *
 * An open rule (fired, item not processed) never fires again. A processed rule can fire
 * again only at a human click strictly later than `lastProcessedAt` that itself adds to its
 * condition (see `RefirePolicy` in trigger-rules.ts); `urgent_attention` never refires.
 * Scanning stops as soon as every rule still in play has fired.
 */
import type { TriggerPriority } from '../../domain.js';
import type { ScoringApplication, ScoringClick, ScoringOptions } from '../../analytics/types.js';
import {
  TRIGGER_RULES,
  isCalendlyClick,
  type TriggerAction,
  type TriggerRule,
  type TriggerType,
} from './trigger-rules.js';
import type { Scorer, TriggerAnalytics } from './types.js';

/** Where a rule stands for one application, as the queue and trigger tables know it. */
export interface TriggerState {
  type: TriggerType;
  /** When its last item was processed (done or dismissed); null if never. */
  lastProcessedAt: Date | null;
  /** Fired and not processed yet: such a rule never fires again. */
  open: boolean;
}

/** The scores a rule saw when it fired, kept for the audit trail. */
export interface TriggerInputs {
  engagementScore: number;
  intentScore: number;
  healthScore: number;
  hoursToFirstClick: number | null;
  weekendClicks: number;
  humanClicks: number;
  /** The last entries of `click_sequence` (at most `CLICK_SEQUENCE_TAIL`). */
  clickSequenceTail: string[];
  /** booking_not_completed: the booking-link click it waited on, how long, and the bookings it knew of. */
  bookingClickAt?: string;
  bookingWaitHours?: number;
  bookingsKnown?: number;
}

export interface FiredTrigger {
  type: TriggerType;
  ruleVersion: string;
  priority: TriggerPriority;
  action: TriggerAction;
  /** Time of the human click with which the condition first held. */
  conditionMetAt: Date;
  /** `conditionMetAt` plus the rule's offset; null for rules without a deadline. */
  deadline: Date | null;
  /** The click that made the condition hold (for Calendly and weekend refires, that click). */
  clickId?: string;
  reason: string;
  inputs: TriggerInputs;
}

export type EvaluatedClick = ScoringClick & { id: string };

export interface EvaluateTriggersOptions {
  /** Ignore clicks after this instant (e.g. clock skew in imports). (Default: none ignored) */
  now?: Date;
  /**
   * Evaluate at most this many of the latest distinct human click times. Each evaluation
   * calls the scorer, which is O(n) in the clicks, so an application's cost is bounded by
   * O(cap · n) instead of O(n²) (one more call when a weekend refire window starts mid-history). A rule that was never evaluated before and whose condition
   * first held before the window is dated from the first evaluated click instead; once fired
   * it is stored, so its deadline does not move afterwards. (Default: 500)
   */
  maxEvaluatedClicks?: number;
}

export const MAX_EVALUATED_CLICKS = 500;
export const CLICK_SEQUENCE_TAIL = 10;

type Mode = { kind: 'first' } | { kind: 'refire'; after: number };

/** A group of human clicks at one instant: the scorer cannot tell them apart in time. */
interface ClickGroup {
  time: number;
  /** Exclusive end index into the sorted human clicks. */
  end: number;
  clicks: EvaluatedClick[];
}

/**
 * Returns the rules that fire now, at most one per type, in rule order.
 * `states` lists what is known per type; a type that is absent has never fired.
 */
export function evaluateTriggers(
  app: ScoringApplication & { id?: string },
  clicks: readonly EvaluatedClick[],
  states: readonly TriggerState[],
  scorer: Scorer,
  opts: ScoringOptions,
  options: EvaluateTriggersOptions = {},
): FiredTrigger[] {
  const pending = new Map<TriggerRule, Mode>();
  for (const rule of TRIGGER_RULES) {
    const mode = modeFor(rule, states.find((s) => s.type === rule.type));
    if (mode) pending.set(rule, mode);
  }
  if (pending.size === 0) return [];

  const nowMs = options.now?.getTime() ?? Number.POSITIVE_INFINITY;
  const humans = clicks
    .filter((c) => !c.isBot && c.clickedAt.getTime() <= nowMs)
    .sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime() || compareIds(a.id, b.id));
  const groups = groupByInstant(humans);

  // Only groups later than every pending rule's lower bound can fire anything.
  const earliestBound = Math.min(
    ...[...pending.values()].map((m) => (m.kind === 'first' ? Number.NEGATIVE_INFINITY : m.after)),
  );
  const cap = Math.max(1, Math.floor(options.maxEvaluatedClicks ?? MAX_EVALUATED_CLICKS));
  let start = groups.findIndex((g) => g.time > earliestBound);
  if (start < 0) return [];
  start = Math.max(start, groups.length - cap);

  const scoreAt = (i: number): TriggerAnalytics =>
    scorer(app, humans.slice(0, groups[i].end), new Date(groups[i].time), opts);
  // Scores as of the instant before the current one, for the weekend refire check.
  let previous: { index: number; analytics: TriggerAnalytics } | null = null;
  const fired: FiredTrigger[] = [];

  for (let i = start; i < groups.length && pending.size > 0; i++) {
    const group = groups[i];
    // Cheap pre-check, so e.g. a processed Calendly rule costs a scorer call only at Calendly clicks.
    const candidates = [...pending].filter(([rule, mode]) => mayFireAt(rule, mode, group));
    if (candidates.length === 0) continue;
    const analytics = scoreAt(i);
    for (const [rule, mode] of candidates) {
      if (!rule.condition(analytics)) continue;
      const calendlyClick = rule.refire === 'calendly_click' ? group.clicks.find(isCalendlyClick) : undefined;
      const click = calendlyClick ?? group.clicks[0];
      if (mode.kind === 'refire' && rule.refire === 'weekend_click') {
        // Weekend-ness comes from the scorer (it knows the time zone): this instant
        // contributes when it raised the weekend count.
        if (i > 0 && previous?.index !== i - 1) previous = { index: i - 1, analytics: scoreAt(i - 1) };
        const before = i === 0 ? 0 : (previous?.analytics.weekendClicks ?? 0);
        if (analytics.weekendClicks <= before) continue;
      }
      fired.push(toFired(rule, group.time, click, analytics));
      pending.delete(rule);
    }
    previous = { index: i, analytics };
  }
  return fired.sort((a, b) => ruleIndex(a.type) - ruleIndex(b.type));
}

function modeFor(rule: TriggerRule, state: TriggerState | undefined): Mode | null {
  if (!state) return { kind: 'first' };
  if (state.open) return null;
  if (state.lastProcessedAt === null) return { kind: 'first' };
  if (rule.refire === 'never') return null;
  return { kind: 'refire', after: state.lastProcessedAt.getTime() };
}

/** False when the rule certainly cannot fire at this instant, without scoring. */
function mayFireAt(rule: TriggerRule, mode: Mode, group: ClickGroup): boolean {
  if (mode.kind === 'first') return true;
  if (group.time <= mode.after) return false;
  if (rule.refire === 'calendly_click') return group.clicks.some(isCalendlyClick);
  return true;
}

function groupByInstant(sorted: readonly EvaluatedClick[]): ClickGroup[] {
  const groups: ClickGroup[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const time = sorted[i].clickedAt.getTime();
    const last = groups[groups.length - 1];
    if (last && last.time === time) {
      last.clicks.push(sorted[i]);
      last.end = i + 1;
    } else {
      groups.push({ time, end: i + 1, clicks: [sorted[i]] });
    }
  }
  return groups;
}

function toFired(
  rule: TriggerRule,
  time: number,
  click: EvaluatedClick | undefined,
  a: TriggerAnalytics,
): FiredTrigger {
  const fired: FiredTrigger = {
    type: rule.type,
    ruleVersion: rule.version,
    priority: rule.priority,
    action: rule.action,
    conditionMetAt: new Date(time),
    deadline: rule.deadlineAfterMs === null ? null : new Date(time + rule.deadlineAfterMs),
    reason: rule.reason(a),
    inputs: triggerInputsOf(a),
  };
  if (click) fired.clickId = click.id;
  return fired;
}

/** The scores a fired trigger keeps for the audit trail. */
export function triggerInputsOf(a: TriggerAnalytics): TriggerInputs {
  return {
    engagementScore: a.engagementScore,
    intentScore: a.intentScore,
    healthScore: a.healthScore,
    hoursToFirstClick: a.hoursToFirstClick,
    weekendClicks: a.weekendClicks,
    humanClicks: a.humanClicks,
    clickSequenceTail: a.clickSequence.slice(-CLICK_SEQUENCE_TAIL),
  };
}

function ruleIndex(type: TriggerType): number {
  return TRIGGER_RULES.findIndex((r) => r.type === type);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
