/**
 * booking_not_completed (SPEC §9) as a pure rule: it fires 24 h after a human booking-link click
 * that no booking answered, with priority high, send_personalized_email and a deadline 24 h after
 * that; never on bot clicks; a booking at or after the click (before the 24 h, or after the rule
 * fired) means no trigger; later evaluations keep the moment and the deadline; and the moment it
 * becomes due is announced (dueAt) so the full run evaluates it then.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINK_TYPES } from '../../src/domain.js';
import {
  BOOKING_NOT_COMPLETED_RULE,
  BOOKING_WAIT_MS,
  bookingWaitEndsAfter,
  evaluateBookingNotCompleted,
  type BookingFact,
  type EvaluatedClick,
  type TriggerAnalytics,
  type TriggerState,
} from '../../src/workflow/rules/index.js';

const HOUR = 3_600_000;
const START = Date.parse('2025-10-06T09:00:00Z');
const RUNS = { numRuns: 300 };
const SCORES: TriggerAnalytics = {
  engagementScore: 40,
  intentScore: 85,
  healthScore: 60,
  hoursToFirstClick: 30,
  weekendClicks: 0,
  humanClicks: 2,
  clickSequence: ['Resume', 'Calendly'],
  calendlyClicked: true,
};

// Times on a 30-minute grid over 6 days, so ties and exact 24 h boundaries happen.
const timeArb = fc.integer({ min: 0, max: 6 * 48 }).map((k) => START + k * 30 * 60_000);
const clicksArb = fc
  .array(
    fc.record({ at: timeArb, linkType: fc.constantFrom(...LINK_TYPES), bookingHost: fc.boolean(), isBot: fc.boolean() }),
    { maxLength: 12 },
  )
  .map((raw) =>
    raw.map(
      (c, i): EvaluatedClick => ({
        id: `c${String(i).padStart(3, '0')}`,
        clickedAt: new Date(c.at),
        linkId: `link-${c.linkType}`,
        linkType: c.linkType,
        isCalendly: c.linkType === 'calendly' || (c.linkType === 'other' && c.bookingHost),
        ipHash: 'ip',
        isBot: c.isBot,
      }),
    ),
  );
const bookingArb: fc.Arbitrary<BookingFact> = fc
  .record({ received: timeArb, canceledAfter: fc.option(fc.integer({ min: 0, max: 72 }), { nil: null }), startsIn: fc.option(fc.integer({ min: -24, max: 96 }), { nil: null }) })
  .map((b) => ({
    receivedAt: new Date(b.received),
    canceledAt: b.canceledAfter === null ? null : new Date(b.received + b.canceledAfter * HOUR),
    startsAt: b.startsIn === null ? null : new Date(b.received + b.startsIn * HOUR),
  }));
const bookingsArb = fc.array(bookingArb, { maxLength: 3 });
const stateArb: fc.Arbitrary<TriggerState | undefined> = fc.option(
  fc.record({ type: fc.constant('booking_not_completed' as const), open: fc.constant(false), lastProcessedAt: fc.option(timeArb.map((t) => new Date(t)), { nil: null }) }),
  { nil: undefined },
);
const nowArb = timeArb.map((t) => new Date(t + 24 * HOUR));

const bookingClicks = (clicks: readonly EvaluatedClick[]) => clicks.filter((c) => !c.isBot && (c.isCalendly || c.linkType === 'calendly'));

describe('booking_not_completed rule properties', () => {
  it('fires 24 h after an unanswered human booking-link click: high, send_personalized_email, deadline 24 h later', () => {
    fc.assert(
      fc.property(clicksArb, bookingsArb, stateArb, nowArb, (clicks, bookings, state, now) => {
        const { fired } = evaluateBookingNotCompleted(clicks, bookings, state, now, SCORES);
        if (!fired) return;
        const click = clicks.find((c) => c.id === fired.clickId)!;
        expect(bookingClicks(clicks)).toContain(click);
        expect(fired).toMatchObject({ type: 'booking_not_completed', priority: 'high', action: 'send_personalized_email', ruleVersion: BOOKING_NOT_COMPLETED_RULE.version });
        expect(fired.conditionMetAt.getTime()).toBe(click.clickedAt.getTime() + BOOKING_WAIT_MS);
        expect(fired.conditionMetAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(fired.deadline!.getTime()).toBe(fired.conditionMetAt.getTime() + 24 * HOUR);
        // No booking answered it, at any time up to now.
        for (const b of bookings) expect(b.receivedAt.getTime()).toBeLessThan(click.clickedAt.getTime());
        if (state?.lastProcessedAt) expect(click.clickedAt.getTime()).toBeGreaterThan(state.lastProcessedAt.getTime());
        expect(fired.inputs.bookingClickAt).toBe(click.clickedAt.toISOString());
      }),
      RUNS,
    );
  });

  it('bot clicks never change the verdict', () => {
    fc.assert(
      fc.property(clicksArb, clicksArb, bookingsArb, stateArb, nowArb, (clicks, extra, bookings, state, now) => {
        const bots = extra.map((c) => ({ ...c, id: `b${c.id}`, isBot: true }));
        expect(evaluateBookingNotCompleted([...bots, ...clicks], bookings, state, now, SCORES)).toEqual(
          evaluateBookingNotCompleted(clicks, bookings, state, now, SCORES),
        );
      }),
      RUNS,
    );
  });

  it('a booking at or after the click (before the 24 h or after the rule fired) takes the trigger away', () => {
    fc.assert(
      fc.property(clicksArb, bookingsArb, stateArb, nowArb, fc.integer({ min: 0, max: 96 }), (clicks, bookings, state, now, afterHours) => {
        const { fired } = evaluateBookingNotCompleted(clicks, bookings, state, now, SCORES);
        if (!fired) return;
        const clickAt = clicks.find((c) => c.id === fired.clickId)!.clickedAt.getTime();
        const booking: BookingFact = { receivedAt: new Date(clickAt + afterHours * HOUR), canceledAt: null, startsAt: null };
        const again = evaluateBookingNotCompleted(clicks, [...bookings, booking], state, now, SCORES).fired;
        // The answered click cannot fire any more; only a later click, unanswered, could.
        if (again) expect(again.conditionMetAt.getTime()).toBeGreaterThan(booking.receivedAt.getTime() + BOOKING_WAIT_MS);
      }),
      RUNS,
    );
  });

  it('later evaluations keep the moment and the deadline; before dueAt nothing fires, at dueAt it does', () => {
    fc.assert(
      fc.property(clicksArb, bookingsArb, stateArb, nowArb, fc.integer({ min: 0, max: 200 }), (clicks, bookings, state, now, laterHours) => {
        const verdict = evaluateBookingNotCompleted(clicks, bookings, state, now, SCORES);
        const later = evaluateBookingNotCompleted(clicks, bookings, state, new Date(now.getTime() + laterHours * HOUR), SCORES);
        if (verdict.fired) {
          expect(later.fired?.conditionMetAt).toEqual(verdict.fired.conditionMetAt);
          expect(later.fired?.deadline).toEqual(verdict.fired.deadline);
          expect(verdict.dueAt).toBeNull();
        }
        if (verdict.dueAt) {
          expect(verdict.dueAt.getTime()).toBeGreaterThan(now.getTime());
          // The stored evaluation is not trusted beyond it, whatever the bookings.
          expect(bookingWaitEndsAfter(clicks, now)!.getTime()).toBeLessThanOrEqual(verdict.dueAt.getTime());
          const before = evaluateBookingNotCompleted(clicks, bookings, state, new Date(verdict.dueAt.getTime() - 1), SCORES);
          expect(before.fired).toBeNull();
          const at = evaluateBookingNotCompleted(clicks, bookings, state, verdict.dueAt, SCORES);
          expect(at.fired?.conditionMetAt).toEqual(verdict.dueAt);
        }
      }),
      RUNS,
    );
  });

  it('never fires for an open trigger, without booking-link clicks, or on clicks that came while a meeting was booked', () => {
    fc.assert(
      fc.property(clicksArb, bookingsArb, nowArb, (clicks, bookings, now) => {
        expect(evaluateBookingNotCompleted(clicks, bookings, { type: 'booking_not_completed', open: true, lastProcessedAt: null }, now, SCORES)).toEqual({ fired: null, dueAt: null });
        const noBooking = clicks.map((c) => ({ ...c, linkType: 'resume' as const, isCalendly: false }));
        expect(evaluateBookingNotCompleted(noBooking, bookings, undefined, now, SCORES)).toEqual({ fired: null, dueAt: null });
        // A meeting booked before every click, still ahead and never canceled: nothing to chase.
        const held: BookingFact = { receivedAt: new Date(START - HOUR), canceledAt: null, startsAt: new Date(START + 30 * 24 * HOUR) };
        expect(evaluateBookingNotCompleted(clicks, [held], undefined, now, SCORES)).toEqual({ fired: null, dueAt: null });
      }),
      RUNS,
    );
  });

  it('does not depend on the order clicks and bookings arrive in', () => {
    fc.assert(
      fc.property(clicksArb, bookingsArb, stateArb, nowArb, (clicks, bookings, state, now) => {
        expect(evaluateBookingNotCompleted([...clicks].reverse(), [...bookings].reverse(), state, now, SCORES)).toEqual(
          evaluateBookingNotCompleted(clicks, bookings, state, now, SCORES),
        );
      }),
      RUNS,
    );
  });
});
