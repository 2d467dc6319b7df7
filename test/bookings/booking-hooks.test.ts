/**
 * SPEC §9 inbound bookings: POST /hooks/calendly and /hooks/cal with the providers' signature
 * schemes; signed, tampered, stale, replayed, wrongly typed and oversized deliveries; matching
 * by utm_content and by email; unmatched bookings attached by hand; cancellations. Both engines.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, buildTestApp, useTestApp } from '../helpers/test-app.js';
import { CALENDLY_KEY, CAL_SECRET, calBody, calendlyBody, signCal, signCalendly } from '../helpers/booking-payloads.js';
import { HOUR, MINUTE, createScenario, importClicks, processTriggers, triggerRows } from '../helpers/workflow.js';

const post = (app: FastifyInstance, url: string, raw: string | Buffer, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url, payload: raw, headers: { 'content-type': 'application/json', ...headers } });

describeEachEngine('inbound bookings', (engine) => {
  const t = useTestApp(engine, { CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY, CALCOM_WEBHOOK_SECRET: CAL_SECRET });
  const count = async () =>
    (await t().ctx.db.query<{ b: number; d: number }>('SELECT (SELECT count(*)::int FROM bookings) AS b, (SELECT count(*)::int FROM booking_deliveries) AS d')).rows[0];
  const statusOf = async (id: string) => (await api(t().app).get(`/api/applications/${id}`)).json.status as string;
  const auditOf = async (id: string) => (await api(t().app).get(`/api/audit?application_id=${id}`)).json.entries as any[];

  /** An application whose Calendly link was clicked 10 minutes ago (interview_preparation open). */
  const clickedCalendly = async (input: Record<string, unknown> = {}) => {
    const s = await createScenario(t().app, { applied_at: new Date(Date.now() - 72 * HOUR).toISOString(), ...input }, [
      { link_type: 'calendly', target_url: 'https://calendly.com/jane/30min' },
    ]);
    const clickAt = Date.now() - 10 * MINUTE;
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: clickAt }]);
    await processTriggers(t().app, s.id);
    return { ...s, clickAt };
  };

  it('Calendly invitee.created, signed and matched by utm_content: interviewing, deadline 24 h before the meeting, audited; a replay changes nothing', async () => {
    const s = await clickedCalendly();
    const start = new Date(Date.now() + 30 * HOUR);
    const raw = JSON.stringify(calendlyBody({ utmContent: s.link.calendly, start, email: 'someone@else.example' }));
    const res = await post(t().app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: true, result: 'stored', matched: true, booking: { application_id: s.id, matched_by: 'utm_content' } });
    expect(await statusOf(s.id)).toBe('interviewing');
    const trigger = (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation')!;
    expect(new Date(trigger.deadline!).getTime()).toBe(start.getTime() - 24 * HOUR);
    const audit = await auditOf(s.id);
    expect(audit.map((e) => e.decision)).toEqual(expect.arrayContaining(['booking_matched', 'status_changed']));
    expect(audit.find((e) => e.decision === 'status_changed')).toMatchObject({ inputs: { status: 'applied' }, outcome: { status: 'interviewing' } });

    const before = await count();
    const auditCount = audit.length;
    const again = await post(t().app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    expect(await count()).toEqual(before);
    expect((await auditOf(s.id)).length).toBe(auditCount);
  });

  it('refuses bad deliveries (401 / 400 / 413) and stores nothing', async () => {
    const s = await clickedCalendly();
    const raw = JSON.stringify(calendlyBody({ utmContent: s.link.calendly, start: new Date(Date.now() + 48 * HOUR) }));
    const before = await count();
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['missing signature', raw, {}, 401],
      ['bad signature', raw, { 'calendly-webhook-signature': signCalendly(raw, 'not-the-key-000') }, 401],
      ['tampered body', raw.replace('Dana Lee', 'Eve Evil'), { 'calendly-webhook-signature': signCalendly(raw) }, 401],
      ['stale timestamp', raw, { 'calendly-webhook-signature': signCalendly(raw, CALENDLY_KEY, Math.floor(Date.now() / 1000) - 600) }, 401],
      ['future timestamp', raw, { 'calendly-webhook-signature': signCalendly(raw, CALENDLY_KEY, Math.floor(Date.now() / 1000) + 600) }, 401],
      ['malformed header', raw, { 'calendly-webhook-signature': 'v1=abc' }, 401],
      ['wrong content type', raw, { 'calendly-webhook-signature': signCalendly(raw), 'content-type': 'text/plain' }, 400],
      ['not JSON', 'event=invitee.created', { 'calendly-webhook-signature': signCalendly('event=invitee.created') }, 400],
      ['oversized', Buffer.alloc(300 * 1024, 'a'), { 'calendly-webhook-signature': signCalendly('a') }, 413],
    ];
    for (const [name, body, headers, status] of cases) {
      const res = await post(t().app, '/hooks/calendly', body, headers);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.code, name).toBeTypeOf('string');
    }
    const noUri = JSON.stringify({ event: 'invitee.created', payload: { email: 'x@y.z' } });
    const missing = await post(t().app, '/hooks/calendly', noUri, { 'calendly-webhook-signature': signCalendly(noUri) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/payload\.uri/);
    expect(await count()).toEqual(before);
    expect(await statusOf(s.id)).toBe('applied');
    // The API key is no substitute for the signature.
    const withKey = await post(t().app, '/hooks/calendly', raw, { 'x-api-key': 'test-api-key-0123456789' });
    expect(withKey.statusCode).toBe(401);
  });

  it('matches by invitee email when there is no utm_content; an unknown invitee is kept unmatched and attached by hand', async () => {
    const byEmail = await createScenario(t().app, { contact_email: 'Hiring@Globex.example', status: 'screening' }, ['resume']);
    const raw = JSON.stringify(calendlyBody({ email: 'hiring@globex.example', start: new Date(Date.now() + 72 * HOUR) }));
    const res = await post(t().app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
    expect(res.json()).toMatchObject({ matched: true, booking: { application_id: byEmail.id, matched_by: 'email' } });
    expect(await statusOf(byEmail.id)).toBe('interviewing');

    const target = await createScenario(t().app, {}, ['resume']);
    const strangerRaw = JSON.stringify(calendlyBody({ email: 'nobody@nowhere.example', start: new Date(Date.now() + 96 * HOUR) }));
    const stranger = await post(t().app, '/hooks/calendly', strangerRaw, { 'calendly-webhook-signature': signCalendly(strangerRaw) });
    expect(stranger.json()).toMatchObject({ matched: false, booking: { application_id: null } });
    const unmatched = (await api(t().app).get('/api/bookings?unmatched=true')).json.bookings;
    const booking = unmatched.find((b: any) => b.invitee_email === 'nobody@nowhere.example');
    expect(booking).toMatchObject({ provider: 'calendly', status: 'active', event_name: '30 Minute Meeting' });
    const attach = await api(t().app).post(`/api/bookings/${booking.id}/attach`, { application_id: target.id });
    expect(attach.status, attach.body).toBe(200);
    expect(attach.json).toMatchObject({ application_id: target.id, matched_by: 'manual' });
    expect(await statusOf(target.id)).toBe('interviewing');
    expect((await api(t().app).post(`/api/bookings/${booking.id}/attach`, { application_id: target.id })).status).toBe(409);
    expect((await api(t().app).post(`/api/bookings/${booking.id}/attach`, { application_id: 'nope' })).status).toBe(400);
    expect((await auditOf(target.id)).find((e) => e.decision === 'booking_matched')).toMatchObject({ actor: 'user', rule: 'booking_match_manual' });
  });

  it('invitee.canceled undoes the booking: status back, deadline back to the rule, audited', async () => {
    const s = await clickedCalendly();
    const inviteeId = 'cancel-me-1';
    const start = new Date(Date.now() + 26 * HOUR);
    const created = JSON.stringify(calendlyBody({ inviteeId, utmContent: s.link.calendly, start }));
    expect((await post(t().app, '/hooks/calendly', created, { 'calendly-webhook-signature': signCalendly(created) })).statusCode).toBe(200);
    expect(await statusOf(s.id)).toBe('interviewing');
    const canceled = JSON.stringify(calendlyBody({ event: 'invitee.canceled', inviteeId, utmContent: s.link.calendly, start }));
    const res = await post(t().app, '/hooks/calendly', canceled, { 'calendly-webhook-signature': signCalendly(canceled) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ result: 'canceled', booking: { status: 'canceled', cancel_reason: 'Schedule conflict' } });
    expect(await statusOf(s.id)).toBe('applied');
    const trigger = (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation')!;
    expect(new Date(trigger.deadline!).getTime()).toBe(s.clickAt + 12 * HOUR);
    const audit = await auditOf(s.id);
    expect(audit.find((e) => e.decision === 'booking_canceled')).toMatchObject({ outcome: { status_restored: 'applied' } });
  });

  it('Cal.com BOOKING_CREATED / BOOKING_CANCELLED with X-Cal-Signature-256; bad signature 401; other triggers acknowledged and ignored', async () => {
    const s = await clickedCalendly();
    const start = new Date(Date.now() + 40 * HOUR);
    const raw = JSON.stringify(calBody({ uid: 'cal-uid-1', utmContent: s.link.calendly, start }));
    const before = await count();
    const bad = await post(t().app, '/hooks/cal', raw, { 'x-cal-signature-256': signCal(raw, 'wrong-secret-000') });
    expect(bad.statusCode).toBe(401);
    expect((await post(t().app, '/hooks/cal', raw, {})).statusCode).toBe(401);
    expect(await count()).toEqual(before);
    const res = await post(t().app, '/hooks/cal', raw, { 'x-cal-signature-256': signCal(raw) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ matched: true, booking: { provider: 'cal', application_id: s.id, matched_by: 'utm_content' } });
    expect(await statusOf(s.id)).toBe('interviewing');
    const cancel = JSON.stringify(calBody({ trigger: 'BOOKING_CANCELLED', uid: 'cal-uid-1', start }));
    expect((await post(t().app, '/hooks/cal', cancel, { 'x-cal-signature-256': signCal(cancel) })).statusCode).toBe(200);
    expect(await statusOf(s.id)).toBe('applied');
    const ping = JSON.stringify({ triggerEvent: 'PING', createdAt: new Date().toISOString(), payload: {} });
    const pinged = await post(t().app, '/hooks/cal', ping, { 'x-cal-signature-256': signCal(ping) });
    expect(pinged.json()).toMatchObject({ received: true, ignored: expect.stringContaining('PING') });
  });
  it('Cal.com: tampered, replayed, wrongly typed, not JSON or oversized deliveries answer 401 / 400 / 413 or a duplicate, and store nothing', async () => {
    const s = await clickedCalendly();
    const raw = JSON.stringify(calBody({ uid: 'cal-uid-hostile', utmContent: s.link.calendly, start: new Date(Date.now() + 50 * HOUR) }));
    const before = await count();
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['tampered body', raw.replace('Dana Lee', 'Eve Evil'), { 'x-cal-signature-256': signCal(raw) }, 401],
      ['signature of another body', raw, { 'x-cal-signature-256': signCal(raw + ' ') }, 401],
      ['malformed signature', raw, { 'x-cal-signature-256': 'not-hex' }, 401],
      ['wrong content type', raw, { 'x-cal-signature-256': signCal(raw), 'content-type': 'text/plain' }, 400],
      ['form-encoded', raw, { 'x-cal-signature-256': signCal(raw), 'content-type': 'application/x-www-form-urlencoded' }, 400],
      ['not JSON', 'triggerEvent=BOOKING_CREATED', { 'x-cal-signature-256': signCal('triggerEvent=BOOKING_CREATED') }, 400],
      ['oversized', Buffer.alloc(300 * 1024, 'a'), { 'x-cal-signature-256': signCal('a') }, 413],
    ];
    for (const [name, body, headers, status] of cases) {
      const res = await post(t().app, '/hooks/cal', body, headers);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.code, name).toBeTypeOf('string');
    }
    const noUid = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', payload: { attendees: [] } });
    const missing = await post(t().app, '/hooks/cal', noUid, { 'x-cal-signature-256': signCal(noUid) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/payload\.uid/);
    expect(await count()).toEqual(before);
    expect(await statusOf(s.id)).toBe('applied');

    // Signed and sent twice (Cal.com retries): stored once, audited once.
    const first = await post(t().app, '/hooks/cal', raw, { 'x-cal-signature-256': signCal(raw) });
    expect(first.json()).toMatchObject({ result: 'stored', matched: true });
    const stored = await count();
    const audited = (await auditOf(s.id)).length;
    const replay = await post(t().app, '/hooks/cal', raw, { 'x-cal-signature-256': signCal(raw) });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ received: true, duplicate: true });
    expect(await count()).toEqual(stored);
    expect((await auditOf(s.id)).length).toBe(audited);
  });

  it('a booking moves only applied / screening to interviewing, and never loosens the interview deadline', async () => {
    const s = await clickedCalendly({ status: 'offer' });
    const ownDeadline = s.clickAt + 12 * HOUR;
    const far = JSON.stringify(calendlyBody({ utmContent: s.link.calendly, start: new Date(Date.now() + 72 * HOUR) }));
    const res = await post(t().app, '/hooks/calendly', far, { 'calendly-webhook-signature': signCalendly(far) });
    expect(res.json()).toMatchObject({ result: 'stored', matched: true });
    expect(await statusOf(s.id)).toBe('offer');
    const trigger = (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation')!;
    expect(new Date(trigger.deadline!).getTime()).toBe(ownDeadline); // 72 h - 24 h is later than click + 12 h
    const audit = await auditOf(s.id);
    expect(audit.find((e) => e.decision === 'booking_matched')).toMatchObject({ outcome: { status_before: 'offer', status_after: 'offer' } });
    expect(audit.some((e) => e.decision === 'status_changed')).toBe(false);

    for (const status of ['interviewing', 'rejected', 'withdrawn', 'draft']) {
      const other = await createScenario(t().app, { status }, ['calendly']);
      const raw = JSON.stringify(calendlyBody({ utmContent: other.link.calendly, start: new Date(Date.now() + 30 * HOUR) }));
      const matched = await post(t().app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
      expect(matched.json(), status).toMatchObject({ matched: true, booking: { application_id: other.id } });
      expect(await statusOf(other.id), status).toBe(status);
    }
  });

  it('booking.created is written to the outbox with the booking, on arrival and when attached by hand', async () => {
    // An endpoint subscribed to booking.created (stored directly: the public URL needs no receiver here).
    await t().ctx.db.query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ('https://receiver.example/hook', ARRAY['booking.created'], $1)`, [
      'whsec_' + Buffer.alloc(32, 1).toString('base64'),
    ]);
    try {
      const events = async (appId: string) =>
        (await t().ctx.db.query<{ body: string }>(`SELECT body FROM webhook_events WHERE type = 'booking.created' AND application_id = $1`, [appId])).rows.map(
          (r) => JSON.parse(r.body),
        );
      const s = await clickedCalendly();
      const raw = JSON.stringify(calendlyBody({ utmContent: s.link.calendly, start: new Date(Date.now() + 30 * HOUR) }));
      const res = await post(t().app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
      expect(await events(s.id)).toEqual([
        { type: 'booking.created', timestamp: expect.any(String), data: expect.objectContaining({ id: res.json().booking.id, application_id: s.id, application_status: 'interviewing' }) },
      ]);

      const target = await createScenario(t().app, {}, ['resume']);
      const strangerRaw = JSON.stringify(calendlyBody({ email: 'walk-in@nowhere.example', start: new Date(Date.now() + 30 * HOUR) }));
      const stranger = await post(t().app, '/hooks/calendly', strangerRaw, { 'calendly-webhook-signature': signCalendly(strangerRaw) });
      const unmatchedEvents = await t().ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'booking.created' AND body LIKE $1`, [
        `%${stranger.json().booking.id}%`,
      ]);
      expect(unmatchedEvents.rows[0].n).toBe(0); // unmatched: no application, no event yet
      await api(t().app).post(`/api/bookings/${stranger.json().booking.id}/attach`, { application_id: target.id });
      expect(await events(target.id)).toEqual([
        { type: 'booking.created', timestamp: expect.any(String), data: expect.objectContaining({ application_id: target.id, matched_by: 'manual' }) },
      ]);
    } finally {
      await t().ctx.db.query(`DELETE FROM webhook_endpoints`);
    }
  });
});

describeEachEngine('inbound bookings without configuration', (engine) => {
  it('answers 401 and stores nothing when no signing key is configured', async () => {
    const { app, ctx, database } = await buildTestApp(engine);
    try {
      const raw = JSON.stringify(calendlyBody({ start: new Date(Date.now() + HOUR) }));
      const res = await post(app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/not configured/);
      expect((await post(app, '/hooks/cal', raw, { 'x-cal-signature-256': signCal(raw) })).statusCode).toBe(401);
      expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings')).rows[0].n).toBe(0);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describeEachEngine('Calendly signature tolerance from CALENDLY_WEBHOOK_TOLERANCE_SECONDS', (engine) => {
  it('a signature older than the configured tolerance is refused; one within it is taken', async () => {
    const { app, ctx, database } = await buildTestApp(engine, { CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY, CALENDLY_WEBHOOK_TOLERANCE_SECONDS: '30' });
    try {
      const now = Math.floor(Date.now() / 1000);
      const raw = JSON.stringify(calendlyBody({ email: 'late@nowhere.example', start: new Date(Date.now() + 30 * HOUR) }));
      const stale = await post(app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw, CALENDLY_KEY, now - 60) });
      expect(stale.statusCode).toBe(401);
      expect(stale.json().error.message).toMatch(/tolerance/);
      expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings')).rows[0].n).toBe(0);
      const fresh = await post(app, '/hooks/calendly', raw, { 'calendly-webhook-signature': signCalendly(raw, CALENDLY_KEY, now - 10) });
      expect(fresh.statusCode, fresh.body).toBe(200);
      expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings')).rows[0].n).toBe(1);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
