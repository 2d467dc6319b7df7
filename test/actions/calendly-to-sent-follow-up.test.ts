/**
 * Done for issue 11, end to end: with SMTP configured, a Calendly click on the demo data ends
 * in an approved, delivered follow-up in the test SMTP server's mailbox, and an audit trail
 * that explains every step.
 *
 * How the click leads to a follow-up (docs/actions.md): Northwind Robotics, in the sample data,
 * has read the resume, GitHub and the booking page (engagement 67, just under 70). Opening the
 * booking page again fires interview_preparation's work (the interview pack) and lifts
 * engagement over 70, which fires high_engagement_followup, whose action drafts the follow-up.
 * The person prepares (pack, item done), the follow-up item comes next, they approve the draft,
 * it is sent, and that item is marked done with outcome `sent`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startActionsWorker } from '../../src/actions/index.js';
import { startRecalcWorker } from '../../src/recalc/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, TEST_API_KEY, api, buildTestApp, testConfig, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';
import { zoneWithLocalHourBetween } from '../helpers/spawn-service.js';
import { decodeHeaderValue, decodeQuotedPrintable, bodyOf, header, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

describeEachEngine('a Calendly click on the demo data ends in a sent follow-up', (engine) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const stops: (() => Promise<void>)[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    smtp = await startTestSmtpServer({ starttls: true });
    // (the digest hour is hours away in that zone: the mailbox gets the follow-up alone)
    const env = { SMTP_URL: smtp.url, MAIL_FROM: 'Ada Lovelace <ada@example.com>', HIREPULSE_ACTIONS_POLL_MS: '50', HIREPULSE_DIGEST_HOUR: '23', HIREPULSE_TIMEZONE: zoneWithLocalHourBetween(1, 19) };
    t = await buildTestApp(engine, env);
    const log = { info() {}, error: (e: object) => errors.push(e) };
    const recalc = startRecalcWorker(t.ctx.db, t.ctx.metrics, log, { defaultTimezone: 'UTC', pollMs: 50, fullRunIntervalMs: 0 });
    const actions = startActionsWorker(t.ctx.db, testConfig(env), log);
    stops.push(() => recalc.stop(), () => actions.stop());
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await t?.app.close();
    await t?.database.close();
    await smtp?.close();
    expect(errors).toEqual([]);
  });

  it('click → triggers → interview pack → draft → approval → SMTP → queue item done (sent), all in the audit trail', async () => {
    const client = api(t.app);
    expect((await client.post('/api/demo', {})).status).toBe(200);
    const apps = (await client.get('/api/applications?limit=100')).json.applications as { id: string; company: string }[];
    const northwind = apps.find((a) => a.company === 'Northwind Robotics')!;
    const id = northwind.id;
    // The person adds the recruiter's address (the sample data has none).
    expect((await client.patch(`/api/applications/${id}`, { contact_email: 'priya.raman@northwind.example' })).status).toBe(200);
    const before = (await client.get(`/api/analytics/applications/${id}`)).json.engagement_score;
    expect(before).toBeLessThan(70);

    // The click: Priya opens the booking page from a browser.
    const calendly = ((await client.get(`/api/applications/${id}/links`)).json.links as { link_type: string; tracking_id: string }[]).find((l) => l.link_type === 'calendly')!;
    const redirect = await t.app.inject({ method: 'GET', url: `/t/${calendly.tracking_id}`, headers: { 'user-agent': HUMAN_UA }, remoteAddress: '198.51.100.17' });
    expect(redirect.statusCode).toBe(302);

    // The worker fires high_engagement_followup; the actions worker drafts the follow-up.
    const { value: draft } = await waitFor(async () => (await client.get(`/api/applications/${id}/drafts`)).json.drafts[0], 20_000, 100);
    expect(draft).toMatchObject({ status: 'draft', requested_by: 'rule', trigger_type: 'high_engagement_followup', to_name: 'Priya Raman', to_email: 'priya.raman@northwind.example' });
    expect(draft.subject).toBe('Following up on the Senior Backend Engineer role at Northwind Robotics');
    expect((await client.get(`/api/analytics/applications/${id}`)).json.engagement_score).toBeGreaterThanOrEqual(70);

    // First the interview: the queue item carries interview_preparation (the earlier deadline).
    const queue = (await client.get('/api/analytics/priority-queue?limit=100')).json.priority_queue as any[];
    expect(queue.find((q) => q.application_id === id)).toMatchObject({ action_type: 'interview_preparation', action: 'prepare_interview_materials' });
    const pack = await t.app.inject({ method: 'GET', url: `/api/applications/${id}/interview-pack`, headers: { 'x-api-key': TEST_API_KEY } });
    expect(pack.body).toMatch(/## What was opened, in order\n\n1\. Resume, .*\n2\. GitHub, .*\n3\. Calendly, .*\n4\. Calendly, /);
    const done = await client.post(`/api/analytics/priority-queue/${id}/processed`, { outcome: 'done', note: 'read the interview pack' });
    expect(done.json.next_item).toMatchObject({ action_type: 'high_engagement_followup', action: 'send_personalized_email' });

    // Then the follow-up: approved, sent through SMTP (STARTTLS, AUTH), the item done with outcome sent.
    const approved = await client.post(`/api/applications/${id}/drafts/${draft.id}/approve`);
    // The running sender may claim (or even send) the message between the approval's commit and
    // the response that reads the draft back, so the response shows wherever delivery has got to.
    expect(approved.status, approved.body).toBe(200);
    expect(['approved', 'sent']).toContain(approved.json.status);
    expect(['queued', 'claimed', 'sent']).toContain(approved.json.delivery?.state);
    await waitFor(async () => (await client.get(`/api/applications/${id}/drafts/${draft.id}`)).json.status === 'sent', 20_000, 100);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail).toMatchObject({ from: 'ada@example.com', to: ['priya.raman@northwind.example'], secure: true, user: 'ada' });
    expect(header(mail.raw, 'Message-ID')).toBe(draft.message_id);
    expect(decodeHeaderValue(header(mail.raw, 'Subject')!)).toBe(draft.subject);
    expect(decodeQuotedPrintable(bodyOf(mail.raw))).toBe(`${draft.body.replace(/\n/g, '\r\n')}\r\n`);
    const { value: emptied } = await waitFor(async () => {
      const q = (await client.get('/api/analytics/priority-queue?limit=100')).json.priority_queue as any[];
      const item = q.find((x) => x.application_id === id);
      return item?.action_type === 'high_engagement_followup' ? undefined : { item: item ?? null };
    }, 10_000, 100);
    expect(emptied.item?.action_type ?? null).not.toBe('high_engagement_followup');

    const trail = ((await client.get(`/api/audit?application_id=${id}&limit=200`)).json.entries as any[]).reverse();
    const after = trail.slice(trail.findIndex((e) => e.decision === 'trigger_fired' && e.rule === 'high_engagement_followup'));
    const steps = after.map((e) => `${e.actor}:${e.decision}:${e.rule}`);
    const order = [
      'worker:trigger_fired:high_engagement_followup',
      'worker:draft_created:send_personalized_email',
      'user:queue_processed:manual',
      'user:draft_approved:manual',
      'worker:email_sent:smtp_delivery',
      'worker:queue_processed:email_sent',
    ];
    let at = -1;
    for (const step of order) {
      const next = steps.indexOf(step, at + 1);
      expect(next, `${step} after ${steps[at]} in ${steps.join(', ')}`).toBeGreaterThan(at);
      at = next;
    }
    const sentItem = after.find((e) => e.decision === 'queue_processed' && e.rule === 'email_sent');
    expect(sentItem.outcome).toMatchObject({ status: 'processed', outcome: 'sent', triggers_closed: ['high_engagement_followup'] });
    expect(after.find((e) => e.decision === 'email_sent').outcome.server_response).toMatch(/^250 /);
  });
});
