import { createHmac, randomUUID } from 'node:crypto';

export const CALENDLY_KEY = 'calendly-test-signing-key-0123';
export const CAL_SECRET = 'cal-test-webhook-secret-0123';

/**
 * A Calendly webhook v2 body shaped like Calendly's documented invitee.created / invitee.canceled
 * example (developer.calendly.com: webhook payload, invitee object with scheduled_event and tracking).
 */
export function calendlyBody(opts: {
  event?: 'invitee.created' | 'invitee.canceled';
  inviteeId?: string;
  email?: string;
  utmContent?: string | null;
  start: Date;
  minutes?: number;
}) {
  const eventUuid = 'GBGBDCAADAEDCRZ2';
  const inviteeId = opts.inviteeId ?? randomUUID();
  const canceled = opts.event === 'invitee.canceled';
  const now = new Date().toISOString();
  return {
    created_at: now,
    created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
    event: opts.event ?? 'invitee.created',
    payload: {
      cancel_url: `https://calendly.com/cancellations/${inviteeId}`,
      created_at: now,
      email: opts.email ?? 'recruiter@acme.example',
      event: `https://api.calendly.com/scheduled_events/${eventUuid}`,
      first_name: 'Dana',
      last_name: 'Lee',
      name: 'Dana Lee',
      new_invitee: null,
      old_invitee: null,
      questions_and_answers: [],
      reschedule_url: `https://calendly.com/reschedulings/${inviteeId}`,
      rescheduled: false,
      status: canceled ? 'canceled' : 'active',
      text_reminder_number: null,
      timezone: 'America/New_York',
      tracking: {
        utm_campaign: null,
        utm_source: opts.utmContent ? 'hirepulse' : null,
        utm_medium: null,
        utm_content: opts.utmContent ?? null,
        utm_term: null,
        salesforce_uuid: null,
      },
      updated_at: now,
      uri: `https://api.calendly.com/scheduled_events/${eventUuid}/invitees/${inviteeId}`,
      canceled,
      ...(canceled ? { cancellation: { canceled_by: 'Dana Lee', reason: 'Schedule conflict', canceler_type: 'invitee', created_at: now } } : {}),
      scheduled_event: {
        uri: `https://api.calendly.com/scheduled_events/${eventUuid}`,
        name: '30 Minute Meeting',
        status: canceled ? 'canceled' : 'active',
        start_time: opts.start.toISOString(),
        end_time: new Date(opts.start.getTime() + (opts.minutes ?? 30) * 60_000).toISOString(),
        event_type: 'https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2',
        location: { type: 'physical', location: 'Calendly Office' },
        invitees_counter: { total: 1, active: canceled ? 0 : 1, limit: 1 },
        created_at: now,
        updated_at: now,
        event_memberships: [{ user: 'https://api.calendly.com/users/GBGBDCAADAEDCRZ2' }],
        event_guests: [],
      },
    },
  };
}

export function signCalendly(raw: string, key = CALENDLY_KEY, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', key).update(`${t}.${raw}`).digest('hex')}`;
}

/**
 * A Cal.com webhook body shaped like Cal.com's documented BOOKING_CREATED / BOOKING_CANCELLED example.
 * BOOKING_RESCHEDULED carries the new booking's `uid` and the original's `rescheduleUid` (with its
 * old times in `rescheduleStartTime` / `rescheduleEndTime`), as Cal.com's webhook payload does.
 */
export function calBody(opts: {
  trigger?: 'BOOKING_CREATED' | 'BOOKING_CANCELLED' | 'BOOKING_RESCHEDULED' | 'PING';
  uid?: string;
  email?: string;
  utmContent?: string | null;
  start: Date;
  rescheduleUid?: string;
  previousStart?: Date;
}) {
  const uid = opts.uid ?? `bk_${randomUUID()}`;
  return {
    triggerEvent: opts.trigger ?? 'BOOKING_CREATED',
    createdAt: new Date().toISOString(),
    payload: {
      type: '30min',
      title: '30 Min Meeting between Jane Doe and Dana Lee',
      description: '',
      additionalNotes: '',
      customInputs: {},
      startTime: opts.start.toISOString(),
      endTime: new Date(opts.start.getTime() + 30 * 60_000).toISOString(),
      organizer: { id: 5, name: 'Jane Doe', email: 'jane@example.com', username: 'jane', timeZone: 'Europe/London', language: { locale: 'en' }, timeFormat: 'h:mma' },
      responses: { name: { label: 'your_name', value: 'Dana Lee' }, email: { label: 'email_address', value: opts.email ?? 'recruiter@acme.example' } },
      userFieldsResponses: {},
      attendees: [{ email: opts.email ?? 'recruiter@acme.example', name: 'Dana Lee', timeZone: 'America/New_York', language: { locale: 'en' } }],
      location: 'integrations:daily',
      uid,
      bookingId: 91,
      metadata: opts.utmContent ? { utm_source: 'hirepulse', utm_content: opts.utmContent } : {},
      status: opts.trigger === 'BOOKING_CANCELLED' ? 'CANCELLED' : 'ACCEPTED',
      ...(opts.trigger === 'BOOKING_CANCELLED' ? { cancellationReason: 'Conflict' } : {}),
      ...(opts.rescheduleUid ? { rescheduleUid: opts.rescheduleUid, rescheduleId: 90 } : {}),
      ...(opts.previousStart
        ? { rescheduleStartTime: opts.previousStart.toISOString(), rescheduleEndTime: new Date(opts.previousStart.getTime() + 30 * 60_000).toISOString() }
        : {}),
    },
  };
}

export function signCal(raw: string, secret = CAL_SECRET): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}
