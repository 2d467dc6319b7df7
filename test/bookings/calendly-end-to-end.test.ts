/**
 * Issue 12, "done": a Calendly booking payload signed with the configured key, posted after a
 * tracked Calendly click, moves that application to interviewing, tightens its deadline,
 * appears in the audit trail and reaches a registered webhook receiver with a valid signature.
 * Everything through the service's own interfaces: /t/, /hooks/calendly, /api, and real HTTP
 * to a receiver on loopback; the recalculation and delivery workers run as in production.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRecalcWorker } from '../../src/recalc/index.js';
import { startWebhookDelivery } from '../../src/webhooks/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import { CALENDLY_KEY, calendlyBody, signCalendly } from '../helpers/booking-payloads.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';
import { HOUR, createScenario, pendingRow, triggerRows, waitFor } from '../helpers/workflow.js';

describeEachEngine('Calendly booking end to end', (engine) => {
  const t = useTestApp(engine, { CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY, HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
  const errors: unknown[] = [];
  let workers: { stop(): Promise<void> }[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    const log = { info() {}, error: (obj: object) => errors.push(obj) };
    workers = [
      startRecalcWorker(t().ctx.db, t().ctx.metrics, log, { defaultTimezone: 'UTC', pollMs: 50, fullRunIntervalMs: 0 }),
      startWebhookDelivery(t().ctx.db, log, { allowPrivate: true, pollMs: 50 }),
    ];
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await receiver.close();
    expect(errors).toEqual([]);
  });

  it('tracked click → signed booking → interviewing, deadline 24 h before the meeting, audit trail, signed booking.created', async () => {
    const hook = await api(t().app).post('/api/webhooks', { url: receiver.url, events: ['booking.created'] });
    expect(hook.status, hook.body).toBe(201);
    const s = await createScenario(t().app, { applied_at: new Date(Date.now() - 48 * HOUR).toISOString() }, [
      { link_type: 'other', target_url: 'https://calendly.com/jane-doe/30min?month=2026-01' },
    ]);
    const trackingId = s.links[0].tracking_id;

    // The recruiter opens the booking link: the redirect carries the attribution.
    const clicked = await click(t().app, trackingId);
    const clickedAt = Date.now();
    expect(clicked.statusCode).toBe(302);
    const location = new URL(clicked.headers.location as string);
    expect(location.host).toBe('calendly.com');
    expect(location.searchParams.get('month')).toBe('2026-01');
    expect(location.searchParams.get('utm_source')).toBe('hirepulse');
    expect(location.searchParams.get('utm_content')).toBe(trackingId);

    // The worker judges the click and opens interview_preparation (deadline: click + 12 h).
    const fired = await waitFor(async () => (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation'), 10_000);
    const ownDeadline = new Date(fired.value.deadline!).getTime();
    expect(ownDeadline).toBeGreaterThan(clickedAt - 60_000 + 12 * HOUR - 120_000);

    // Calendly reports the booking, with the utm_content it got from the booking page's URL.
    const meeting = new Date(Date.now() + 30 * HOUR);
    const raw = JSON.stringify(calendlyBody({ utmContent: location.searchParams.get('utm_content'), start: meeting, email: 'dana@acme.example' }));
    const res = await t().app.inject({
      method: 'POST',
      url: '/hooks/calendly',
      payload: raw,
      headers: { 'content-type': 'application/json', 'calendly-webhook-signature': signCalendly(raw) },
    });
    expect(res.statusCode, res.body).toBe(200);

    const app = await api(t().app).get(`/api/applications/${s.id}`);
    expect(app.json.status).toBe('interviewing');
    const tightened = meeting.getTime() - 24 * HOUR;
    expect(tightened).toBeLessThan(ownDeadline);
    const trigger = (await triggerRows(t().ctx.db, s.id)).find((r) => r.trigger_type === 'interview_preparation')!;
    expect(new Date(trigger.deadline!).getTime()).toBe(tightened);
    // The queue follows (the worker re-evaluates the application).
    await waitFor(async () => {
      const row = await pendingRow(t().ctx.db, s.id);
      return row?.deadline && Math.abs(new Date(row.deadline).getTime() - tightened) < 1000;
    }, 10_000);

    const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as any[];
    expect(audit.find((e) => e.decision === 'booking_matched')).toMatchObject({
      actor: 'integration',
      inputs: { provider: 'calendly', matched_by: 'utm_content', utm_content: trackingId },
      outcome: { status_before: 'applied', status_after: 'interviewing' },
    });
    expect(audit.find((e) => e.decision === 'status_changed')).toMatchObject({ outcome: { status: 'interviewing' } });

    await waitFor(async () => receiver.requests.length >= 1, 10_000);
    const envelope = verifyStandardWebhook(hook.json.secret, receiver.requests[0]);
    expect(envelope).toMatchObject({
      type: 'booking.created',
      data: { application_id: s.id, provider: 'calendly', matched_by: 'utm_content', starts_at: meeting.toISOString(), application_status: 'interviewing' },
    });

    // Erasing the application (issue 14) takes its booking (invitee name and email) and its webhook payloads with it.
    const count = async (sql: string) => (await t().ctx.db.query<{ n: number }>(sql, [s.id])).rows[0].n;
    expect(await count('SELECT count(*)::int AS n FROM bookings WHERE application_id = $1')).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM webhook_events WHERE application_id = $1')).toBeGreaterThan(0);
    const bookingsBefore = await count('SELECT count(*)::int AS n FROM bookings WHERE application_id IS NULL OR application_id = $1');
    expect((await api(t().app).delete(`/api/applications/${s.id}`)).status).toBe(200);
    expect(await count('SELECT count(*)::int AS n FROM webhook_events WHERE application_id = $1')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM bookings WHERE application_id IS NULL OR application_id = $1')).toBe(bookingsBefore - 1);
    const erased = await api(t().app).get(`/api/audit?application_id=${s.id}`);
    expect(erased.json.entries[0]).toMatchObject({ decision: 'application_erased', outcome: { erased: { bookings: 1 } } });
  }, 60_000);
});
