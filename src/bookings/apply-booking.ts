import { appendAudit, type AuditEntry } from '../audit/index.js';
import type { Database, Queryable } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import { markForRecalculation } from '../recalc/index.js';
import { enqueueWebhookEvents } from '../webhooks/index.js';
import { lockApplicationsForEvaluation } from '../workflow/index.js';
import { refreshInterviewDeadlines } from '../workflow/interview-deadlines.js';
import { BOOKING_COLUMNS, bookingToJson, claimProviderEvent, findBooking, insertBooking, matchApplication, type BookingRow } from './booking-store.js';
import type { BookingNotice } from './parse-provider-payload.js';

/** Statuses a booked meeting moves on to `interviewing` (SPEC §9). */
const MOVES_TO_INTERVIEWING = ['applied', 'screening'];
const RULE_VERSION = 'v1';

export type NoticeOutcome =
  | { result: 'duplicate' }
  | { result: 'stored'; booking: ReturnType<typeof bookingToJson>; matched: boolean }
  | { result: 'canceled'; booking: ReturnType<typeof bookingToJson> | null }
  | { result: 'rescheduled'; booking: ReturnType<typeof bookingToJson>; matched: boolean };

/**
 * Handles one verified provider notice in one transaction: a replay (same event key) changes
 * nothing; a new booking is stored, matched and applied; a cancellation undoes what its booking did.
 */
export async function handleBookingNotice(db: Database, notice: BookingNotice): Promise<NoticeOutcome> {
  return db.transaction(async (tx) => {
    if (!(await claimProviderEvent(tx, notice))) return { result: 'duplicate' };
    if (notice.kind === 'canceled') {
      const existing = await findBooking(tx, notice.provider, notice.bookingId, true);
      if (!existing) {
        // A cancellation of a booking we never saw: kept, so the person sees it.
        const stored = await insertBooking(tx, notice, 'canceled');
        return { result: 'canceled', booking: stored ? bookingToJson(stored) : null };
      }
      return { result: 'canceled', booking: bookingToJson(await cancelBooking(tx, existing, notice.cancelReason)) };
    }
    if (notice.kind === 'rescheduled') return rescheduleBooking(tx, notice);
    const stored = await insertBooking(tx, notice, 'active');
    if (!stored) {
      const existing = await findBooking(tx, notice.provider, notice.bookingId);
      return { result: 'stored', booking: bookingToJson(existing!), matched: existing!.application_id !== null };
    }
    const match = await matchApplication(tx, notice);
    if (!match) return { result: 'stored', booking: bookingToJson(stored), matched: false };
    const applied = await applyBooking(tx, stored, match.applicationId, match.matchedBy, 'integration');
    return { result: 'stored', booking: bookingToJson(applied), matched: true };
  });
}

/** A person attaches an unmatched booking to an application (POST /api/bookings/:id/attach). */
export async function attachBooking(db: Database, bookingId: string, applicationId: string) {
  return db.transaction(async (tx) => {
    const found = await tx.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = $1 FOR UPDATE`, [bookingId]);
    const booking = found.rows[0];
    if (!booking) throw notFound('booking');
    if (booking.application_id !== null) throw new AppError('conflict', 'this booking is already attached to an application');
    const app = await tx.query('SELECT 1 FROM job_applications WHERE id = $1', [applicationId]);
    if (app.rows.length === 0) throw notFound('application');
    if (booking.status === 'canceled') {
      const res = await tx.query<BookingRow>(
        `UPDATE bookings SET application_id = $2, matched_by = 'manual', matched_at = now() WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
        [bookingId, applicationId],
      );
      return bookingToJson(res.rows[0]);
    }
    return bookingToJson(await applyBooking(tx, booking, applicationId, 'manual', 'user'));
  });
}

/**
 * A matched booking: stored against its application, `applied`/`screening` → `interviewing`,
 * the interview preparation deadline brought forward, audited, and `booking.created` sent.
 * Lock order as in an application update: the application row, then its evaluation lock.
 */
async function applyBooking(
  tx: Queryable,
  booking: BookingRow,
  applicationId: string,
  matchedBy: 'utm_content' | 'email' | 'manual',
  actor: AuditEntry['actor'],
  /** A reschedule's new booking takes over what the original moved the status from. */
  inheritedStatusBefore: string | null = null,
): Promise<BookingRow> {
  const before = (await tx.query<{ status: string }>('SELECT status FROM job_applications WHERE id = $1 FOR UPDATE', [applicationId])).rows[0];
  const moves = before !== undefined && MOVES_TO_INTERVIEWING.includes(before.status);
  if (moves) await tx.query(`UPDATE job_applications SET status = 'interviewing', updated_at = now() WHERE id = $1`, [applicationId]);
  const updated = (
    await tx.query<BookingRow>(
      `UPDATE bookings SET application_id = $2, matched_by = $3, matched_at = now(), status_before = $4 WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
      [booking.id, applicationId, matchedBy, moves ? before.status : inheritedStatusBefore],
    )
  ).rows[0];
  await lockApplicationsForEvaluation(tx, [applicationId]);
  const deadlines = await refreshInterviewDeadlines(tx, [applicationId]);
  await markForRecalculation(tx, [applicationId], 0);
  const audit: AuditEntry[] = [
    {
      applicationId,
      actor,
      decision: 'booking_matched',
      rule: `booking_match_${matchedBy}`,
      ruleVersion: RULE_VERSION,
      inputs: { provider: booking.provider, matched_by: matchedBy, utm_content: booking.utm_content, starts_at: booking.starts_at?.toISOString() ?? null },
      outcome: {
        booking_id: booking.id,
        status_before: before?.status ?? null,
        status_after: moves ? 'interviewing' : (before?.status ?? null),
        interview_deadline: deadlines.map((d) => ({ trigger_id: d.trigger_id, previous: d.previous_deadline?.toISOString() ?? null, deadline: d.deadline?.toISOString() ?? null })),
      },
    },
  ];
  if (moves) audit.push(statusAudit(applicationId, actor, before.status, 'interviewing', 'a meeting was booked', booking.id));
  await appendAudit(tx, audit);
  const json = bookingToJson(updated);
  await enqueueWebhookEvents(tx, [{ type: 'booking.created', applicationId, data: { ...json, application_status: moves ? 'interviewing' : before?.status } }]);
  return updated;
}

/**
 * Undoes what the booking did: the status goes back to what it was when nothing changed it
 * since and no other active booking holds it there; the deadline is computed again without it.
 */
async function cancelBooking(tx: Queryable, booking: BookingRow, reason: string | null): Promise<BookingRow> {
  if (booking.status === 'canceled') return booking;
  const appId = booking.application_id;
  let restored: string | null = null;
  if (appId) {
    const app = (await tx.query<{ status: string }>('SELECT status FROM job_applications WHERE id = $1 FOR UPDATE', [appId])).rows[0];
    const others = await tx.query(`SELECT 1 FROM bookings WHERE application_id = $1 AND status = 'active' AND id <> $2 LIMIT 1`, [appId, booking.id]);
    if (app?.status === 'interviewing' && booking.status_before && others.rows.length === 0) {
      restored = booking.status_before;
      await tx.query('UPDATE job_applications SET status = $2, updated_at = now() WHERE id = $1', [appId, restored]);
    }
  }
  const updated = (
    await tx.query<BookingRow>(
      `UPDATE bookings SET status = 'canceled', canceled_at = now(), cancel_reason = $2 WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
      [booking.id, reason],
    )
  ).rows[0];
  if (appId) {
    await lockApplicationsForEvaluation(tx, [appId]);
    const deadlines = await refreshInterviewDeadlines(tx, [appId]);
    await markForRecalculation(tx, [appId], 0);
    const audit: AuditEntry[] = [
      {
        applicationId: appId,
        actor: 'integration',
        decision: 'booking_canceled',
        rule: 'booking_cancellation',
        ruleVersion: RULE_VERSION,
        inputs: { provider: booking.provider, reason, starts_at: booking.starts_at?.toISOString() ?? null },
        outcome: {
          booking_id: booking.id,
          status_restored: restored,
          interview_deadline: deadlines.map((d) => ({ trigger_id: d.trigger_id, previous: d.previous_deadline?.toISOString() ?? null, deadline: d.deadline?.toISOString() ?? null })),
        },
      },
    ];
    if (restored) audit.push(statusAudit(appId, 'integration', 'interviewing', restored, 'the booked meeting was canceled', booking.id));
    await appendAudit(tx, audit);
  }
  return updated;
}

/**
 * Cal.com `BOOKING_RESCHEDULED`: the original booking is canceled and the new one created, on the
 * same application (else matched as any booking), in this transaction. The new booking is applied
 * first, so the status never flips back through `applied` in between, and it inherits what the
 * original moved the status from (canceling it later restores that). A reschedule that keeps its
 * uid moves the booking in place. Audited as `booking_rescheduled` beside the usual entries.
 */
async function rescheduleBooking(tx: Queryable, notice: BookingNotice): Promise<NoticeOutcome> {
  const previousId = notice.previousBookingId ?? null;
  const old = previousId ? await findBooking(tx, notice.provider, previousId, true) : null;
  let booking: BookingRow;
  if (old && previousId === notice.bookingId) {
    booking = (
      await tx.query<BookingRow>(`UPDATE bookings SET starts_at = $2, ends_at = $3 WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`, [
        old.id,
        notice.startsAt,
        notice.endsAt,
      ])
    ).rows[0];
    if (booking.application_id) {
      await lockApplicationsForEvaluation(tx, [booking.application_id]);
      await refreshInterviewDeadlines(tx, [booking.application_id]);
      await markForRecalculation(tx, [booking.application_id], 0);
    }
  } else {
    const stored = await insertBooking(tx, { ...notice, kind: 'created' }, 'active');
    booking = stored ?? (await findBooking(tx, notice.provider, notice.bookingId))!;
    if (stored) {
      const match = old?.application_id ? { applicationId: old.application_id, matchedBy: old.matched_by ?? 'manual' } : await matchApplication(tx, notice);
      if (match) booking = await applyBooking(tx, stored, match.applicationId, match.matchedBy, 'integration', old?.status_before ?? null);
    }
    if (old && old.status !== 'canceled') await cancelBooking(tx, old, `rescheduled (new booking ${notice.bookingId})`.slice(0, 500));
  }
  if (booking.application_id) {
    await appendAudit(tx, [
      {
        applicationId: booking.application_id,
        actor: 'integration',
        decision: 'booking_rescheduled',
        rule: 'booking_reschedule',
        ruleVersion: RULE_VERSION,
        inputs: {
          provider: notice.provider,
          previous_booking: previousId,
          previous_starts_at: (old?.starts_at ?? notice.previousStartsAt ?? null)?.toISOString() ?? null,
        },
        outcome: { booking_id: booking.id, previous_booking_id: old?.id ?? null, starts_at: booking.starts_at?.toISOString() ?? null },
      },
    ]);
  }
  return { result: 'rescheduled', booking: bookingToJson(booking), matched: booking.application_id !== null };
}

function statusAudit(applicationId: string, actor: AuditEntry['actor'], from: string, to: string, why: string, bookingId: string): AuditEntry {
  return {
    applicationId,
    actor,
    decision: 'status_changed',
    rule: 'booking_status',
    ruleVersion: RULE_VERSION,
    inputs: { status: from, reason: why, booking_id: bookingId },
    outcome: { status: to },
  };
}
