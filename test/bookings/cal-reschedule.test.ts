/**
 * Cal.com BOOKING_RESCHEDULED (docs/bookings.md): the original booking (`rescheduleUid`) is
 * canceled and the new one (`uid`) created on the same application, in one transaction, audited as
 * `booking_rescheduled`; the status stays `interviewing` (the new booking inherits what the old one
 * moved it from, so canceling the new one later restores it); the interview deadline follows the
 * new meeting; a replay changes nothing. A reschedule that keeps its uid moves the booking in place.
 */
import { expect, it } from 'vitest';
import { CAL_SECRET, calBody, signCal } from '../helpers/booking-payloads.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, type TestApp, useTestApp } from '../helpers/test-app.js';
import { HOUR, createScenario, importClicks, iso, processTriggers, triggerRows } from '../helpers/workflow.js';

async function postCal(t: TestApp, body: object) {
  const raw = JSON.stringify(body);
  const res = await t.app.inject({ method: 'POST', url: '/hooks/cal', payload: raw, headers: { 'content-type': 'application/json', 'x-cal-signature-256': signCal(raw) } });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
}

const bookingsOf = async (t: TestApp, id: string) => ((await api(t.app).get(`/api/bookings?application_id=${id}`)).json.bookings as any[]).sort((a, b) => a.received_at.localeCompare(b.received_at));

describeEachEngine('Cal.com reschedules', (engine) => {
  const t = useTestApp(engine, { CALCOM_WEBHOOK_SECRET: CAL_SECRET });

  async function bookedApplication() {
    const clickedAt = Date.now() - HOUR;
    const s = await createScenario(t().app, { applied_at: iso(clickedAt - 72 * HOUR), contact_email: 'dana@acme.example' }, [
      { link_type: 'other', target_url: 'https://cal.com/jane/30min' },
    ]);
    const trackingId = s.links[0].tracking_id;
    await importClicks(t().app, [{ tracking_id: trackingId, at: clickedAt }]);
    await processTriggers(t().app, s.id);
    const first = new Date(Date.now() + 30 * HOUR);
    const uid = `bk_${s.id.slice(0, 8)}_a`;
    await postCal(t(), calBody({ uid, utmContent: trackingId, start: first, email: 'dana@acme.example' }));
    expect((await api(t().app).get(`/api/applications/${s.id}`)).json.status).toBe('interviewing');
    return { s, trackingId, uid, first, clickedAt };
  }

  it('cancels the original and creates the new booking on the same application; the status stays; the deadline follows; a replay changes nothing', async () => {
    const { s, trackingId, uid, first, clickedAt } = await bookedApplication();
    const moved = new Date(Date.now() + 10 * HOUR);
    const body = calBody({ trigger: 'BOOKING_RESCHEDULED', uid: `${uid}_new`, rescheduleUid: uid, utmContent: trackingId, start: moved, previousStart: first });
    const res = await postCal(t(), body);
    expect(res).toMatchObject({ received: true, result: 'rescheduled', booking: { provider_booking_id: `${uid}_new`, status: 'active', application_id: s.id } });

    const [old, fresh] = await bookingsOf(t(), s.id);
    expect(old).toMatchObject({ provider_booking_id: uid, status: 'canceled', cancel_reason: `rescheduled (new booking ${uid}_new)` });
    expect(fresh).toMatchObject({ provider_booking_id: `${uid}_new`, status: 'active', starts_at: moved.toISOString() });
    expect((await api(t().app).get(`/api/applications/${s.id}`)).json.status).toBe('interviewing');

    // interview_preparation: the earlier of click + 12 h and 24 h before the new meeting.
    const prep = (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation')!;
    expect(prep.deadline!.getTime()).toBe(Math.min(clickedAt + 12 * HOUR, moved.getTime() - 24 * HOUR));

    const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as any[];
    expect(audit.find((e) => e.decision === 'booking_rescheduled')).toMatchObject({
      actor: 'integration',
      rule: 'booking_reschedule',
      inputs: { provider: 'cal', previous_booking: uid, previous_starts_at: first.toISOString() },
      outcome: { booking_id: fresh.id, previous_booking_id: old.id, starts_at: moved.toISOString() },
    });
    // No status flip-flop through applied.
    expect(audit.filter((e) => e.decision === 'status_changed').map((e) => e.outcome.status)).toEqual(['interviewing']);

    const again = await postCal(t(), body);
    expect(again).toEqual({ received: true, duplicate: true });
    expect(await bookingsOf(t(), s.id)).toHaveLength(2);

    // Canceling the new booking puts the status back to what the first booking moved it from.
    await postCal(t(), calBody({ trigger: 'BOOKING_CANCELLED', uid: `${uid}_new`, start: moved }));
    expect((await api(t().app).get(`/api/applications/${s.id}`)).json.status).toBe('applied');
  }, 60_000);

  it('a reschedule that keeps its uid moves the booking in place (audited)', async () => {
    const { s, trackingId, uid, first } = await bookedApplication();
    const moved = new Date(Date.now() + 50 * HOUR);
    const res = await postCal(t(), calBody({ trigger: 'BOOKING_RESCHEDULED', uid, rescheduleUid: uid, utmContent: trackingId, start: moved, previousStart: first }));
    expect(res).toMatchObject({ result: 'rescheduled', booking: { provider_booking_id: uid, status: 'active', starts_at: moved.toISOString() } });
    expect(await bookingsOf(t(), s.id)).toHaveLength(1);
    const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as any[];
    expect(audit.find((e) => e.decision === 'booking_rescheduled')).toMatchObject({ inputs: { previous_starts_at: first.toISOString() }, outcome: { starts_at: moved.toISOString() } });
  }, 60_000);

  it('a reschedule of a booking never seen is stored as a new booking', async () => {
    const s = await createScenario(t().app, { applied_at: iso(Date.now() - 72 * HOUR), contact_email: 'lee@other.example' }, ['resume']);
    const res = await postCal(t(), calBody({ trigger: 'BOOKING_RESCHEDULED', uid: `bk_${s.id.slice(0, 8)}_n`, rescheduleUid: 'bk_unknown', start: new Date(Date.now() + 40 * HOUR), email: 'lee@other.example' }));
    expect(res).toMatchObject({ result: 'rescheduled', matched: true, booking: { application_id: s.id, matched_by: 'email', status: 'active' } });
    expect((await api(t().app).get(`/api/applications/${s.id}`)).json.status).toBe('interviewing');
  }, 60_000);
});
