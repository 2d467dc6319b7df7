/**
 * Provider payloads reduced to the one shape hirepulse needs. Pure; the fields read are those
 * of the providers' documented examples (docs/bookings.md). Anything else in the payload is
 * ignored; a payload without what a booking needs is refused with the field named.
 */
export type BookingProvider = 'calendly' | 'cal';

export interface BookingNotice {
  provider: BookingProvider;
  kind: 'created' | 'canceled' | 'rescheduled';
  /** Unique per provider delivery of this event: the replay key. */
  eventKey: string;
  /** The provider's id of the booking (Calendly invitee URI, Cal.com booking uid). */
  bookingId: string;
  inviteeEmail: string | null;
  inviteeName: string | null;
  eventName: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  utmContent: string | null;
  cancelReason: string | null;
  /** `rescheduled`: the provider's id of the booking this one replaces (Cal.com `rescheduleUid`), and its old start. */
  previousBookingId?: string | null;
  previousStartsAt?: Date | null;
}

export type ParseResult = { ok: true; notice: BookingNotice } | { ok: true; ignored: string } | { ok: false; message: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown, max = 500): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null);
const time = (v: unknown): Date | null => {
  const s = str(v, 64);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** Calendly webhook v2: `{ event: "invitee.created" | "invitee.canceled", payload: { uri, email, name, scheduled_event, tracking, cancellation } }`. */
export function parseCalendlyPayload(body: unknown): ParseResult {
  const root = obj(body);
  if (!root) return { ok: false, message: 'body must be a JSON object' };
  const event = str(root.event, 100);
  if (!event) return { ok: false, message: 'event is required' };
  if (event !== 'invitee.created' && event !== 'invitee.canceled') return { ok: true, ignored: `event ${event} is not handled` };
  const payload = obj(root.payload);
  if (!payload) return { ok: false, message: 'payload must be an object' };
  const invitee = obj(payload.invitee); // older payloads nest the invitee
  const uri = str(payload.uri) ?? str(invitee?.uri);
  if (!uri) return { ok: false, message: 'payload.uri is required' };
  const scheduled = obj(payload.scheduled_event) ?? obj(payload.event);
  const tracking = obj(payload.tracking);
  const cancellation = obj(payload.cancellation);
  return {
    ok: true,
    notice: {
      provider: 'calendly',
      kind: event === 'invitee.created' ? 'created' : 'canceled',
      eventKey: `${event}:${uri}`,
      bookingId: uri,
      inviteeEmail: str(payload.email, 320) ?? str(invitee?.email, 320),
      inviteeName: str(payload.name, 200) ?? str(invitee?.name, 200),
      eventName: str(scheduled?.name, 300),
      startsAt: time(scheduled?.start_time),
      endsAt: time(scheduled?.end_time),
      utmContent: str(tracking?.utm_content, 200),
      cancelReason: str(cancellation?.reason) ?? str(payload.cancel_reason),
    },
  };
}

/**
 * Cal.com: `{ triggerEvent: "BOOKING_CREATED" | "BOOKING_CANCELLED" | "BOOKING_RESCHEDULED", createdAt, payload: { uid,
 * title, startTime, endTime, attendees: [{ email, name }], metadata, tracking, cancellationReason } }`. Cal.com keeps a
 * booking page's query parameters in `metadata` (newer versions also in `tracking`): utm_content is looked up in both.
 * A reschedule carries the new booking's `uid` and the original's `rescheduleUid` (`fromReschedule` in some versions),
 * with the original's times in `rescheduleStartTime` / `rescheduleEndTime`.
 */
export function parseCalPayload(body: unknown): ParseResult {
  const root = obj(body);
  if (!root) return { ok: false, message: 'body must be a JSON object' };
  const trigger = str(root.triggerEvent, 100);
  if (!trigger) return { ok: false, message: 'triggerEvent is required' };
  if (trigger !== 'BOOKING_CREATED' && trigger !== 'BOOKING_CANCELLED' && trigger !== 'BOOKING_RESCHEDULED') {
    return { ok: true, ignored: `triggerEvent ${trigger} is not handled` };
  }
  const payload = obj(root.payload);
  if (!payload) return { ok: false, message: 'payload must be an object' };
  const uid = str(payload.uid);
  if (!uid) return { ok: false, message: 'payload.uid is required' };
  const attendee = Array.isArray(payload.attendees) ? obj(payload.attendees[0]) : undefined;
  const utm = str(obj(payload.metadata)?.utm_content, 200) ?? str(obj(payload.tracking)?.utm_content, 200);
  const rescheduled = trigger === 'BOOKING_RESCHEDULED';
  const startsAt = time(payload.startTime);
  return {
    ok: true,
    notice: {
      provider: 'cal',
      kind: rescheduled ? 'rescheduled' : trigger === 'BOOKING_CREATED' ? 'created' : 'canceled',
      // A booking can be moved more than once while keeping its uid: each move is its own event.
      eventKey: rescheduled ? `${trigger}:${uid}:${startsAt?.toISOString() ?? ''}` : `${trigger}:${uid}`,
      bookingId: uid,
      inviteeEmail: str(attendee?.email, 320),
      inviteeName: str(attendee?.name, 200),
      eventName: str(payload.title, 300) ?? str(payload.eventTitle, 300),
      startsAt,
      endsAt: time(payload.endTime),
      utmContent: utm,
      cancelReason: str(payload.cancellationReason),
      ...(rescheduled
        ? { previousBookingId: str(payload.rescheduleUid) ?? str(payload.fromReschedule), previousStartsAt: time(payload.rescheduleStartTime) }
        : {}),
    },
  };
}
