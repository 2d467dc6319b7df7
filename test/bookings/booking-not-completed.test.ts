/**
 * SPEC §9: "When a booking source is configured, a human Calendly click with no booking 24 h later
 * fires booking_not_completed (priority high, action send_personalized_email, deadline +24 h, a
 * draft offering two concrete times)." Through the service's interfaces: applications, links and
 * clicks through /api, bookings through /hooks/calendly, evaluation through process-triggers or the
 * full run the worker does (with its `now`, to let 24 h pass), drafts through the actions worker.
 */
import { describe, expect, it } from 'vitest';
import { runPrioritization } from '../../src/workflow/index.js';
import { findTrackingWords } from '../../src/actions/templates/tracking-words.js';
import { useActionsWorker } from '../helpers/actions.js';
import { CALENDLY_KEY, calendlyBody, signCalendly } from '../helpers/booking-payloads.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, type TestApp, useTestApp } from '../helpers/test-app.js';
import { BOT_UA, HOUR, MINUTE, analyticsRow, createScenario, importClicks, iso, pendingRow, processTriggers, triggerRows, waitFor } from '../helpers/workflow.js';

const TYPE = 'booking_not_completed';

/** An application with a Calendly link and a resume link, the Calendly link opened at `at` (human unless `ua`). */
async function openedBookingLink(t: TestApp, at: number, ua?: string) {
  const s = await createScenario(t.app, { applied_at: iso(at - 72 * HOUR), contact_name: 'Dana Lee', contact_email: 'dana@acme.example' }, [
    { link_type: 'calendly', target_url: 'https://calendly.com/jane-doe/30min' },
    'resume',
  ]);
  await importClicks(t.app, [{ tracking_id: s.link.calendly, at, ua }]);
  return s;
}

/** Calendly reports a booking made from that link (utm_content: the tracking id), signed. */
async function postBooking(t: TestApp, utmContent: string) {
  const raw = JSON.stringify(calendlyBody({ utmContent, start: new Date(Date.now() + 3 * 24 * HOUR), email: 'dana@acme.example' }));
  const res = await t.app.inject({
    method: 'POST',
    url: '/hooks/calendly',
    payload: raw,
    headers: { 'content-type': 'application/json', 'calendly-webhook-signature': signCalendly(raw) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The full prioritization run, as the worker does it, at a chosen moment. */
const fullRunAt = (t: TestApp, now: number, bookingSource = true) =>
  runPrioritization(t.ctx.db, { defaultTimezone: 'UTC', actor: 'worker', now: new Date(now), bookingSource });

const bookingTriggers = async (t: TestApp, id: string) => (await triggerRows(t.ctx.db, id)).filter((r) => r.trigger_type === TYPE);

describeEachEngine('booking_not_completed with a booking source configured', (engine) => {
  const t = useTestApp(engine, { CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY });
  useActionsWorker(t, () => ({ MAIL_FROM: 'Jane Doe <jane@example.com>', CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY }));

  it('fires 24 h after a human Calendly click with no booking: high, send_personalized_email, deadline 24 h later, audited, a draft with two times', async () => {
    const clickedAt = Date.now() - 25 * HOUR;
    const s = await openedBookingLink(t(), clickedAt);
    const run = await processTriggers(t().app, s.id);
    const fired = run.triggers_fired.find((f) => f.type === TYPE);
    expect(fired).toEqual({
      application_id: s.id,
      type: TYPE,
      priority: 'high',
      action: 'send_personalized_email',
      // The condition first holds when the 24 h have passed; the deadline counts from then (SPEC §5).
      condition_met_at: iso(clickedAt + 24 * HOUR),
      deadline: iso(clickedAt + 48 * HOUR),
    });
    expect(run.triggers_fired.map((f) => f.type)).toContain('interview_preparation');
    // Running it again fires nothing new.
    expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);

    const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as any[];
    expect(audit.find((e) => e.decision === 'trigger_fired' && e.rule === TYPE)).toMatchObject({
      rule_version: 'v1',
      inputs: { booking_click_at: iso(clickedAt), booking_wait_hours: 24, bookings_known: 0, condition_met_at: iso(clickedAt + 24 * HOUR) },
      outcome: { priority: 'high', action: 'send_personalized_email', deadline: iso(clickedAt + 48 * HOUR) },
    });

    // interview_preparation is due first (click + 12 h); once done, booking_not_completed takes the queue.
    expect((await pendingRow(t().ctx.db, s.id))?.action_type).toBe('interview_preparation');
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    const queue = (await api(t().app).get('/api/analytics/priority-queue?limit=100')).json.priority_queue as any[];
    expect(queue.find((q) => q.application_id === s.id)).toMatchObject({
      action_type: TYPE,
      action: 'send_personalized_email',
      priority: 'high',
      deadline: iso(clickedAt + 48 * HOUR),
      recommended_action: expect.stringContaining('two concrete times'),
    });
    const suggestions = (await api(t().app).get(`/api/analytics/workflow-suggestions/${s.id}`)).json.suggestions as any[];
    expect(suggestions.find((x) => x.type === TYPE)).toMatchObject({ priority: 'high', action: 'send_personalized_email' });

    // The actions worker writes the draft: two concrete working-day times, nothing that hints at tracking.
    const { value: draft } = await waitFor(async () => {
      const drafts = (await api(t().app).get(`/api/applications/${s.id}/drafts`)).json.drafts as any[];
      return drafts.find((d) => d.trigger_type === TYPE);
    }, 10_000);
    expect(draft).toMatchObject({ status: 'draft', requested_by: 'rule', template: { key: TYPE, version: 0 }, to_email: 'dana@acme.example' });
    expect(findTrackingWords(`${draft.subject}\n${draft.body}`)).toEqual([]);
    expect(draft.subject).toBe('Two times to talk about the Staff Engineer role at Acme Corp');
    expect(draft.body).toMatch(
      /Would either of these work for a short call: (Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ at 10:00 or (Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ at 14:00 \(UTC\)\?/,
    );
    expect(draft.body.startsWith('Hi Dana,')).toBe(true);
  }, 60_000);

  it('becomes due when the 24 h pass: stable_until stops at the end of the wait, and the full run fires it then, not before', async () => {
    const clickedAt = Date.now() - 2 * HOUR;
    const s = await openedBookingLink(t(), clickedAt);
    const now = await processTriggers(t().app, s.id);
    expect(now.triggers_fired.map((f) => f.type)).not.toContain(TYPE);
    const stored = await analyticsRow(t().ctx.db, s.id);
    expect(new Date(stored.stable_until).getTime()).toBeLessThanOrEqual(clickedAt + 24 * HOUR);

    const early = await fullRunAt(t(), clickedAt + 24 * HOUR - MINUTE);
    expect(early.triggersFired.filter((f) => f.applicationId === s.id && f.type === TYPE)).toEqual([]);
    const due = await fullRunAt(t(), clickedAt + 24 * HOUR + MINUTE);
    expect(due.triggersFired.filter((f) => f.applicationId === s.id && f.type === TYPE)).toEqual([
      expect.objectContaining({ priority: 'high', action: 'send_personalized_email', conditionMetAt: new Date(clickedAt + 24 * HOUR), deadline: new Date(clickedAt + 48 * HOUR) }),
    ]);
  }, 60_000);

  it('a booking within the 24 h: no trigger, then or later', async () => {
    const clickedAt = Date.now() - 2 * HOUR;
    const s = await openedBookingLink(t(), clickedAt);
    await postBooking(t(), s.link.calendly);
    expect((await api(t().app).get(`/api/applications/${s.id}`)).json.status).toBe('interviewing');
    for (const at of [clickedAt + 24 * HOUR + MINUTE, clickedAt + 5 * 24 * HOUR]) {
      const run = await fullRunAt(t(), at);
      expect(run.triggersFired.filter((f) => f.applicationId === s.id && f.type === TYPE)).toEqual([]);
    }
    expect(await bookingTriggers(t(), s.id)).toEqual([]);
  }, 60_000);

  it('a bot click never fires it', async () => {
    const clickedAt = Date.now() - 30 * HOUR;
    const s = await openedBookingLink(t(), clickedAt, BOT_UA);
    expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    expect((await fullRunAt(t(), clickedAt + 3 * 24 * HOUR)).triggersFired.filter((f) => f.applicationId === s.id)).toEqual([]);
    expect(await bookingTriggers(t(), s.id)).toEqual([]);
  }, 60_000);

  it('a booking after it fired retracts it (audited), withdraws its draft, and the queue moves on', async () => {
    const clickedAt = Date.now() - 26 * HOUR;
    const s = await openedBookingLink(t(), clickedAt);
    await processTriggers(t().app, s.id);
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    expect((await pendingRow(t().ctx.db, s.id))?.action_type).toBe(TYPE);
    const { value: draft } = await waitFor(async () => {
      const drafts = (await api(t().app).get(`/api/applications/${s.id}/drafts`)).json.drafts as any[];
      return drafts.find((d) => d.trigger_type === TYPE);
    }, 10_000);

    await postBooking(t(), s.link.calendly);
    await processTriggers(t().app, s.id);
    const [row] = await bookingTriggers(t(), s.id);
    expect(row).toMatchObject({ status: 'cancelled', processed_at: null });
    expect(await pendingRow(t().ctx.db, s.id)).toBeUndefined();
    const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as any[];
    expect(audit.find((e) => e.decision === 'trigger_retracted' && e.rule === TYPE)).toMatchObject({
      outcome: { trigger_id: row.id, status: 'cancelled', reason: expect.stringContaining('a booking came in') },
    });
    expect(audit.find((e) => e.decision === 'draft_withdrawn')).toMatchObject({ outcome: { draft_id: draft.id, status: 'discarded' } });
    expect((await api(t().app).get(`/api/applications/${s.id}/drafts/${draft.id}`)).json.status).toBe('discarded');
    // Later runs leave it closed.
    const later = await fullRunAt(t(), Date.now() + 3 * 24 * HOUR);
    expect(later.triggersFired.filter((f) => f.applicationId === s.id && f.type === TYPE)).toEqual([]);
  }, 60_000);
});

describeEachEngine('booking_not_completed without a booking source', (engine) => {
  const t = useTestApp(engine);

  it('never fires, however long the wait', async () => {
    const clickedAt = Date.now() - 30 * HOUR;
    const s = await openedBookingLink(t(), clickedAt);
    const run = await processTriggers(t().app, s.id);
    expect(run.triggers_fired.map((f) => f.type)).toEqual(['interview_preparation']);
    const later = await runPrioritization(t().ctx.db, { defaultTimezone: 'UTC', actor: 'worker', now: new Date(clickedAt + 5 * 24 * HOUR), all: true, bookingSource: false });
    expect(later.triggersFired.filter((f) => f.applicationId === s.id)).toEqual([]);
    expect(await bookingTriggers(t(), s.id)).toEqual([]);
  }, 60_000);
});

describe('booking source', () => {
  it('is configured by a Calendly signing key or a Cal.com secret', async () => {
    const { bookingSourceConfigured } = await import('../../src/bookings/index.js');
    expect(bookingSourceConfigured({ calendlySigningKey: undefined, calcomSecret: undefined })).toBe(false);
    expect(bookingSourceConfigured({ calendlySigningKey: 'k', calcomSecret: undefined })).toBe(true);
    expect(bookingSourceConfigured({ calendlySigningKey: undefined, calcomSecret: 's' })).toBe(true);
  });
});
