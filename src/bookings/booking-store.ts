import type { Queryable } from '../db/index.js';
import type { BookingNotice } from './parse-provider-payload.js';

export interface BookingRow {
  id: string;
  provider: 'calendly' | 'cal';
  provider_booking_id: string;
  application_id: string | null;
  matched_by: 'utm_content' | 'email' | 'manual' | null;
  matched_at: Date | null;
  utm_content: string | null;
  invitee_email: string | null;
  invitee_name: string | null;
  event_name: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  status: 'active' | 'canceled';
  canceled_at: Date | null;
  cancel_reason: string | null;
  status_before: string | null;
  received_at: Date;
}

export const BOOKING_COLUMNS = `id, provider, provider_booking_id, application_id, matched_by, matched_at, utm_content, invitee_email,
  invitee_name, event_name, starts_at, ends_at, status, canceled_at, cancel_reason, status_before, received_at`;

/** Claims a provider delivery; false when it was handled before (a replay changes nothing). */
export async function claimProviderEvent(tx: Queryable, notice: BookingNotice): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO booking_deliveries (provider, event_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [notice.provider, notice.eventKey.slice(0, 700)],
  );
  return res.rowCount > 0;
}

export async function insertBooking(tx: Queryable, notice: BookingNotice, status: 'active' | 'canceled'): Promise<BookingRow | null> {
  const res = await tx.query<BookingRow>(
    `INSERT INTO bookings (provider, provider_booking_id, utm_content, invitee_email, invitee_name, event_name, starts_at, ends_at,
                           status, canceled_at, cancel_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text, CASE WHEN $9::text = 'canceled' THEN now() END, $10)
     ON CONFLICT (provider, provider_booking_id) DO NOTHING
     RETURNING ${BOOKING_COLUMNS}`,
    [notice.provider, notice.bookingId, notice.utmContent, notice.inviteeEmail, notice.inviteeName, notice.eventName, notice.startsAt, notice.endsAt, status, notice.cancelReason],
  );
  return res.rows[0] ?? null;
}

export async function findBooking(tx: Queryable, provider: string, providerBookingId: string, lock = false): Promise<BookingRow | null> {
  const res = await tx.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE provider = $1 AND provider_booking_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [provider, providerBookingId],
  );
  return res.rows[0] ?? null;
}

/**
 * The application a booking belongs to: the tracked link whose tracking id came back as
 * utm_content (the redirect adds it to booking links), else the one active application whose
 * contact_email is the invitee's. Several applications with that contact: no guess, the
 * booking waits to be attached by hand.
 */
export async function matchApplication(
  tx: Queryable,
  notice: Pick<BookingNotice, 'utmContent' | 'inviteeEmail'>,
): Promise<{ applicationId: string; matchedBy: 'utm_content' | 'email' } | null> {
  if (notice.utmContent) {
    const byLink = await tx.query<{ application_id: string }>(`SELECT application_id FROM tracked_links WHERE tracking_id = $1`, [notice.utmContent]);
    if (byLink.rows[0]) return { applicationId: byLink.rows[0].application_id, matchedBy: 'utm_content' };
  }
  if (notice.inviteeEmail) {
    const byEmail = await tx.query<{ id: string }>(
      `SELECT id FROM job_applications
        WHERE lower(contact_email) = lower($1) AND status IN ('applied','screening','interviewing','offer')
        ORDER BY applied_at DESC LIMIT 2`,
      [notice.inviteeEmail],
    );
    if (byEmail.rows.length === 1) return { applicationId: byEmail.rows[0].id, matchedBy: 'email' };
  }
  return null;
}

export function bookingToJson(b: BookingRow) {
  return {
    id: b.id,
    provider: b.provider,
    provider_booking_id: b.provider_booking_id,
    application_id: b.application_id,
    matched_by: b.matched_by,
    matched_at: b.matched_at?.toISOString() ?? null,
    utm_content: b.utm_content,
    invitee_email: b.invitee_email,
    invitee_name: b.invitee_name,
    event_name: b.event_name,
    starts_at: b.starts_at?.toISOString() ?? null,
    ends_at: b.ends_at?.toISOString() ?? null,
    status: b.status,
    canceled_at: b.canceled_at?.toISOString() ?? null,
    cancel_reason: b.cancel_reason,
    received_at: b.received_at.toISOString(),
  };
}

export async function listBookings(db: Queryable, filter: { unmatched?: boolean; applicationId?: string; limit: number }) {
  const res = await db.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings
      WHERE ($1::boolean IS NOT TRUE OR application_id IS NULL) AND ($2::uuid IS NULL OR application_id = $2)
      ORDER BY received_at DESC, id LIMIT $3`,
    [filter.unmatched ?? null, filter.applicationId ?? null, filter.limit],
  );
  return res.rows.map(bookingToJson);
}
