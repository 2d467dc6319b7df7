/**
 * SPEC §9's `booking_not_completed`, decided from the clicks, the application's bookings and the
 * time (pure). The caller decides whether a booking source is configured: without one this is
 * never asked (a click on a booking page can never be seen to turn into a booking).
 *
 * A human click on a booking link (type calendly, or a known booking host: calendly.com,
 * cal.com, savvycal.com, … — `isCalendlyClick`) is *answered* by any booking of the application
 * received at or after it, whether or not that booking was later canceled: the click did turn
 * into a booking. A click made while a booking was already held (received before it, not
 * canceled by then, its meeting still ahead) asks for nothing. Any other click that is still
 * unanswered 24 h later fires the rule, at that moment (the condition first holds then: SPEC §5
 * counts the deadline from it), so the deadline falls 48 h after the click.
 *
 * The earliest such click decides, so evaluating again later, or with more later clicks, finds
 * the same moment and the same deadline. A booking that arrives after the rule fired answers the
 * click: the rule no longer holds, and the evaluation retracts it as it retracts the others.
 * After a processed item, only a booking-link click later than `lastProcessedAt` can fire it again.
 */
import { triggerInputsOf, type EvaluatedClick, type FiredTrigger, type TriggerState } from './evaluate-triggers.js';
import { BOOKING_NOT_COMPLETED_RULE, BOOKING_WAIT_MS, isCalendlyClick } from './trigger-rules.js';
import type { TriggerAnalytics } from './types.js';

/** What the rule needs to know of one booking matched to the application. */
export interface BookingFact {
  /** When hirepulse received the booking (the provider's webhook). */
  receivedAt: Date;
  canceledAt: Date | null;
  /** When the meeting starts, if the provider said. */
  startsAt: Date | null;
}

export interface BookingWaitVerdict {
  /** The trigger the clicks and bookings justify now, or null. */
  fired: FiredTrigger | null;
  /** When a click's 24 h run out if no booking comes first (not fired yet): the evaluation is due then. */
  dueAt: Date | null;
}

/**
 * `analytics` are the application's scores at this evaluation, kept in the audit trail with the
 * click and the bookings the rule saw.
 */
export function evaluateBookingNotCompleted(
  clicks: readonly EvaluatedClick[],
  bookings: readonly BookingFact[],
  state: TriggerState | undefined,
  now: Date,
  analytics: TriggerAnalytics,
): BookingWaitVerdict {
  const none: BookingWaitVerdict = { fired: null, dueAt: null };
  if (state?.open) return none;
  const nowMs = now.getTime();
  const after = state?.lastProcessedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const candidates = clicks
    .filter((c) => !c.isBot && isCalendlyClick(c) && c.clickedAt.getTime() <= nowMs && c.clickedAt.getTime() > after)
    .sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const click of candidates) {
    const t = click.clickedAt.getTime();
    if (bookings.some((b) => heldAt(b, t))) continue;
    if (bookings.some((b) => b.receivedAt.getTime() >= t)) continue;
    const metAt = t + BOOKING_WAIT_MS;
    if (metAt > nowMs) return { fired: null, dueAt: new Date(metAt) };
    return { fired: toFired(click, metAt, bookings.length, analytics), dueAt: null };
  }
  return none;
}

/** The booking was in place at `t`: received before, not canceled yet, its meeting still ahead. */
function heldAt(b: BookingFact, t: number): boolean {
  return (
    b.receivedAt.getTime() < t &&
    (b.canceledAt === null || b.canceledAt.getTime() > t) &&
    (b.startsAt === null || b.startsAt.getTime() > t)
  );
}

function toFired(click: EvaluatedClick, metAt: number, bookingsKnown: number, a: TriggerAnalytics): FiredTrigger {
  const rule = BOOKING_NOT_COMPLETED_RULE;
  const waitHours = BOOKING_WAIT_MS / 3_600_000;
  return {
    type: rule.type,
    ruleVersion: rule.version,
    priority: rule.priority,
    action: rule.action,
    conditionMetAt: new Date(metAt),
    deadline: rule.deadlineAfterMs === null ? null : new Date(metAt + rule.deadlineAfterMs),
    clickId: click.id,
    reason: `Your booking link was opened ${waitHours} hours ago and no meeting was booked.`,
    inputs: {
      ...triggerInputsOf(a),
      bookingClickAt: click.clickedAt.toISOString(),
      bookingWaitHours: waitHours,
      bookingsKnown,
    },
  };
}

/**
 * The first moment after `now` at which a human booking-link click's 24 h run out, whatever the
 * bookings and the configuration: the stored evaluation must not be trusted beyond it (the full
 * run evaluates the application again then). Null when no wait is running.
 */
export function bookingWaitEndsAfter(clicks: readonly EvaluatedClick[], now: Date): Date | null {
  const nowMs = now.getTime();
  let first = Number.POSITIVE_INFINITY;
  for (const c of clicks) {
    const end = c.clickedAt.getTime() + BOOKING_WAIT_MS;
    if (!c.isBot && isCalendlyClick(c) && end > nowMs && end < first) first = end;
  }
  return Number.isFinite(first) ? new Date(first) : null;
}
