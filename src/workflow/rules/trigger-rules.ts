/**
 * The four trigger rules of SPEC §5, as data plus a predicate over analytics, and the
 * `booking_not_completed` rule of SPEC §9, whose condition is about time and bookings
 * (booking-not-completed.ts). Each rule carries a version so the audit trail can say which
 * rule, in which form, decided.
 */
import type { TriggerPriority } from '../../domain.js';
import type { ScoringClick } from '../../analytics/types.js';
import type { TriggerAnalytics } from './types.js';

export const TRIGGER_TYPES = [
  'high_engagement_followup',
  'interview_preparation',
  'urgent_attention',
  'weekend_interest',
  'booking_not_completed',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRIGGER_ACTIONS = [
  'send_personalized_email',
  'prepare_interview_materials',
  'flag_for_review',
  'note_personal_interest',
] as const;
export type TriggerAction = (typeof TRIGGER_ACTIONS)[number];

/** Version of the rule set as a whole; bump when any rule below changes. */
export const RULES_VERSION = 'v1';

const HOUR_MS = 3_600_000;

/**
 * Which later human click may fire a rule again once its previous item was processed:
 * one that itself adds to the condition.
 * - `any_click`: any human click after which the condition holds.
 * - `calendly_click`: a human click on a booking link.
 * - `weekend_click`: a human click that raised the weekend-click count.
 * - `never`: the condition is about something that happens once (the first click).
 */
export type RefirePolicy = 'any_click' | 'calendly_click' | 'weekend_click' | 'never';

/** What every rule has: who it is, how urgent, what to do and by when. */
export interface TriggerRuleInfo {
  type: TriggerType;
  /** Version of this rule's condition, priority, action and deadline, e.g. 'v1'. */
  version: string;
  priority: TriggerPriority;
  action: TriggerAction;
  /** Deadline offset from the moment the condition first held; null means no deadline. */
  deadlineAfterMs: number | null;
  /** The condition in words, for docs and the audit trail. */
  description: string;
  refire: RefirePolicy;
}

/** A rule decided on the scores as of each human click (SPEC §5). */
export interface TriggerRule extends TriggerRuleInfo {
  condition(a: TriggerAnalytics): boolean;
  /** Why the rule fired, in words, from the analytics it saw. */
  reason(a: TriggerAnalytics): string;
}

export const HIGH_ENGAGEMENT_THRESHOLD = 70;
export const URGENT_FIRST_CLICK_HOURS = 2;

export const TRIGGER_RULES: readonly TriggerRule[] = Object.freeze([
  {
    type: 'high_engagement_followup',
    version: 'v1',
    priority: 'high',
    action: 'send_personalized_email',
    deadlineAfterMs: 24 * HOUR_MS,
    description: `engagement score >= ${HIGH_ENGAGEMENT_THRESHOLD}`,
    refire: 'any_click',
    condition: (a) => a.engagementScore >= HIGH_ENGAGEMENT_THRESHOLD,
    reason: (a) => `Engagement score ${a.engagementScore} reached ${HIGH_ENGAGEMENT_THRESHOLD} or more.`,
  },
  {
    type: 'interview_preparation',
    version: 'v1',
    priority: 'high',
    action: 'prepare_interview_materials',
    deadlineAfterMs: 12 * HOUR_MS,
    description: 'a human opened a Calendly (booking) link',
    refire: 'calendly_click',
    condition: (a) => a.calendlyClicked || a.clickSequence.includes('Calendly'),
    reason: () => 'Someone opened your booking (Calendly) link.',
  },
  {
    type: 'urgent_attention',
    version: 'v1',
    priority: 'critical',
    action: 'flag_for_review',
    deadlineAfterMs: 4 * HOUR_MS,
    description: `first human click less than ${URGENT_FIRST_CLICK_HOURS} hours after applying`,
    // The condition is about the first human click, which happens once: after its item is
    // processed, no later click can make it newly true, so it never fires again.
    refire: 'never',
    condition: (a) => a.hoursToFirstClick !== null && a.hoursToFirstClick < URGENT_FIRST_CLICK_HOURS,
    reason: (a) =>
      `The first click came ${formatHours(a.hoursToFirstClick ?? 0)} after applying (under ${URGENT_FIRST_CLICK_HOURS} h).`,
  },
  {
    type: 'weekend_interest',
    version: 'v1',
    priority: 'low',
    action: 'note_personal_interest',
    deadlineAfterMs: null,
    description: 'at least one human click on a Saturday or Sunday (application time zone)',
    refire: 'weekend_click',
    condition: (a) => a.weekendClicks > 0,
    reason: (a) => `${a.weekendClicks} click${a.weekendClicks === 1 ? '' : 's'} came on a weekend.`,
  },
] satisfies TriggerRule[]);

/** How long after a human booking-link click a booking may come before `booking_not_completed` fires (SPEC §9). */
export const BOOKING_WAIT_MS = 24 * HOUR_MS;

/**
 * SPEC §9: with a booking source configured, a human click on a booking link and no booking
 * 24 h later. The condition first holds 24 h after the click, and the deadline counts from
 * then (SPEC §5), so it falls 48 h after the click. Decided by `evaluateBookingNotCompleted`.
 */
export const BOOKING_NOT_COMPLETED_RULE: TriggerRuleInfo = Object.freeze({
  type: 'booking_not_completed',
  version: 'v1',
  priority: 'high',
  action: 'send_personalized_email',
  deadlineAfterMs: 24 * HOUR_MS,
  description: 'a human opened a booking link and no booking came within 24 hours (booking source configured)',
  // A later human click on a booking link, again without a booking, may fire it again.
  refire: 'calendly_click',
} satisfies TriggerRuleInfo);

/** Every rule: the click-scored ones, then those decided from other facts. */
export const ALL_TRIGGER_RULES: readonly TriggerRuleInfo[] = Object.freeze([...TRIGGER_RULES, BOOKING_NOT_COMPLETED_RULE]);

const RULES_BY_TYPE = new Map<TriggerType, TriggerRuleInfo>(ALL_TRIGGER_RULES.map((r) => [r.type, r]));

export function getTriggerRule(type: TriggerType): TriggerRuleInfo {
  const rule = RULES_BY_TYPE.get(type);
  if (!rule) throw new Error(`unknown trigger type: ${String(type)}`);
  return rule;
}

export function isTriggerType(value: unknown): value is TriggerType {
  return typeof value === 'string' && RULES_BY_TYPE.has(value as TriggerType);
}

/** True for a click on a booking page (type calendly or a known booking host). */
export function isCalendlyClick(click: Pick<ScoringClick, 'isCalendly' | 'linkType'>): boolean {
  return click.isCalendly || click.linkType === 'calendly';
}

function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  return `${Math.round(hours * 10) / 10} h`;
}
