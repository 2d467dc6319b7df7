/**
 * SPEC §8, send_personalized_email without SMTP: a high-engagement trigger gets one draft from
 * the template, in the person's voice; it can be edited, approved (then offered as a mailto:
 * link and an .eml file) or discarded; the cadence withholds a second rule draft within 3 days
 * unless the person asks; a status change starts the cadence over; everything is audited.
 */
import { describe, expect, it } from 'vitest';
import { findTrackingWords } from '../../src/actions/templates/tracking-words.js';
import { describeEachEngine } from '../helpers/databases.js';
import { useActionsWorker } from '../helpers/actions.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { DAY, highEngagementScenario, importClicks, processTriggers, waitFor, weekdayNoonUtc } from '../helpers/workflow.js';

type Draft = Record<string, any>;

describeEachEngine('follow-up drafts (no SMTP)', (engine) => {
  const env = { MAIL_FROM: 'Ada Lovelace <ada@example.com>' };
  const t = useTestApp(engine, env);
  useActionsWorker(t, () => env);
  const client = () => api(t().app);

  const draftsOf = async (id: string): Promise<Draft[]> => {
    const res = await client().get(`/api/applications/${id}/drafts`);
    expect(res.status, res.body).toBe(200);
    return res.json.drafts;
  };
  const firstDraft = async (id: string) => (await waitFor(async () => (await draftsOf(id))[0], 10_000)).value;

  it('a high-engagement trigger gets one draft with company, role, contact and the material read, and no word of tracking', async () => {
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), {
      company: 'Café Müller',
      job_title: 'Staff Engineer',
      contact_name: "Seán O'Brien",
      contact_email: 'sean@cafe-muller.example',
    });
    await processTriggers(t().app, s.id);
    const draft = await firstDraft(s.id);
    expect(draft).toMatchObject({
      status: 'draft',
      requested_by: 'rule',
      trigger_type: 'high_engagement_followup',
      template: { key: 'high_engagement_followup', version: 0 },
      to_name: "Seán O'Brien",
      to_email: 'sean@cafe-muller.example',
      subject: 'Following up on the Staff Engineer role at Café Müller',
      mailto: null,
      delivery: null,
    });
    expect(draft.body.startsWith("Hi Seán,\n\n")).toBe(true);
    expect(draft.body).toContain('my resume, my portfolio and my GitHub profile have the most recent examples of my work');
    expect(draft.body.trimEnd().endsWith('Best regards,\nAda Lovelace')).toBe(true);
    expect(findTrackingWords(`${draft.subject}\n${draft.body}`)).toEqual([]);
    expect(draft.message_id).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    // the worker keeps running: still one draft for the trigger
    await new Promise((r) => setTimeout(r, 300));
    expect(await draftsOf(s.id)).toHaveLength(1);
    const audit = (await client().get(`/api/audit?application_id=${s.id}`)).json.entries as Draft[];
    expect(audit.find((e) => e.decision === 'draft_created')).toMatchObject({
      actor: 'worker',
      rule: 'send_personalized_email',
      inputs: { template: 'high_engagement_followup', template_version: 0, opened_link_types: ['resume', 'portfolio', 'github'] },
      outcome: { draft_id: draft.id },
    });
  });

  it('edits, then approval offers a mailto: link and an .eml file; approved drafts can no longer be edited', async () => {
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), { contact_name: 'Priya Raman', contact_email: 'priya@example.org' });
    await processTriggers(t().app, s.id);
    const draft = await firstDraft(s.id);
    const url = `/api/applications/${s.id}/drafts/${draft.id}`;

    const edited = await client().patch(url, { subject: 'Quick follow-up', body: 'Hi Priya,\n\nI noticed you clicked my link.\n\nAda' });
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json).toMatchObject({ subject: 'Quick follow-up', status: 'draft' });
    expect(edited.json.warnings).toEqual(['clicked', 'noticed']);
    const clean = await client().patch(url, { body: 'Hi Priya,\n\nA short follow-up on my application.\n\nAda' });
    expect(clean.json.warnings).toEqual([]);

    const approved = await client().post(`${url}/approve`);
    expect(approved.status, approved.body).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', delivery: null, eml_url: `${url}/eml` });
    expect(approved.json.mailto).toBe(
      'mailto:priya@example.org?subject=Quick%20follow-up&body=Hi%20Priya%2C%0D%0A%0D%0AA%20short%20follow-up%20on%20my%20application.%0D%0A%0D%0AAda',
    );
    const eml = await t().app.inject({ method: 'GET', url: `${url}/eml`, headers: { 'x-api-key': 'test-api-key-0123456789' } });
    expect(eml.statusCode).toBe(200);
    expect(eml.headers['content-type']).toBe('message/rfc822');
    expect(eml.headers['content-disposition']).toMatch(/^attachment; filename="follow-up-[0-9a-f]{8}\.eml"$/);
    expect(eml.body).toContain(`Message-ID: ${draft.message_id}\r\n`);
    expect(eml.body).toContain('Subject: Quick follow-up\r\n');
    expect(eml.body).toContain('From: Ada Lovelace <ada@example.com>\r\n');
    expect(eml.body).toContain('To: Priya Raman <priya@example.org>\r\n');

    expect((await client().patch(url, { subject: 'again' })).status).toBe(409);
    expect((await client().post(`${url}/approve`)).status).toBe(409);
    const audit = (await client().get(`/api/audit?application_id=${s.id}`)).json.entries as Draft[];
    expect(audit.map((e) => e.decision)).toEqual(expect.arrayContaining(['draft_created', 'draft_edited', 'draft_approved']));
    expect(audit.find((e) => e.decision === 'draft_approved')!.outcome.delivery).toMatch(/mailto/);
  });

  it('refuses bad input with 400 naming the field, unknown ids with 404, and changes nothing', async () => {
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), { contact_email: null });
    await processTriggers(t().app, s.id);
    const draft = await firstDraft(s.id);
    const url = `/api/applications/${s.id}/drafts/${draft.id}`;
    const noAddress = await client().post(`${url}/approve`);
    expect(noAddress.status).toBe(400);
    expect(noAddress.json.error.message).toMatch(/^to_email/);
    expect((await client().patch(url, { to_email: 'not an address' })).json.error.message).toMatch(/to_email/);
    expect((await client().patch(url, { status: 'sent' })).status).toBe(400);
    expect((await client().patch(url, { subject: 'a\r\nBcc: x@example.com' })).json.error.message).toMatch(/subject/);
    expect((await client().get(`/api/applications/${s.id}/drafts/not-a-uuid`)).status).toBe(400);
    expect((await client().get(`/api/applications/${s.id}/drafts/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await client().get(`/api/applications/00000000-0000-4000-8000-000000000000/drafts`)).status).toBe(404);
    expect((await client().post(`/api/applications/${s.id}/drafts`, { template: 'nope' })).json.error.message).toMatch(/template must be one of/);
    expect((await client().get(url)).json).toMatchObject({ status: 'draft', subject: draft.subject, to_email: null });

    const discarded = await client().post(`${url}/discard`);
    expect(discarded.json).toMatchObject({ status: 'discarded' });
    expect((await client().post(`${url}/approve`)).status).toBe(409);
  });

  it('cadence: a second rule draft within 3 days is withheld (and says why); the person can still ask; a status change starts over', async () => {
    const anchor = weekdayNoonUtc();
    const s = await highEngagementScenario(t().app, anchor, { contact_email: 'team@example.net', status: 'applied' });
    await processTriggers(t().app, s.id);
    await firstDraft(s.id);
    // The person handles the item; a later click fires the rule again.
    expect((await client().post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    await importClicks(t().app, [
      { tracking_id: s.link.resume, at: Date.now() },
      { tracking_id: s.link.portfolio, at: Date.now() },
    ]);
    const again = await processTriggers(t().app, s.id);
    expect(again.triggers_fired.map((f) => f.type)).toContain('high_engagement_followup');
    const { value: withheld } = await waitFor(async () => (await draftsOf(s.id)).find((d) => d.status === 'withheld'), 10_000);
    expect(withheld.withheld_reason).toMatch(/days ago \(at least 3 days apart\)/);

    const asked = await client().post(`/api/applications/${s.id}/drafts`, {});
    expect(asked.status, asked.body).toBe(201);
    expect(asked.json).toMatchObject({ status: 'draft', requested_by: 'person', template: { key: 'high_engagement_followup' } });
    const checkIn = await client().post(`/api/applications/${s.id}/drafts`, { template: 'check_in' });
    expect(checkIn.json.subject).toBe('Checking in on my application for Staff Engineer');

    // A status change resets the cadence: the next firing gets a draft again.
    expect((await client().patch(`/api/applications/${s.id}`, { status: 'screening' })).status).toBe(200);
    expect((await client().post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    // the same two links as before (a third different link within 2 s would look like a mail scanner)
    await importClicks(t().app, [
      { tracking_id: s.link.portfolio, at: Date.now() },
      { tracking_id: s.link.resume, at: Date.now() },
    ]);
    expect((await processTriggers(t().app, s.id)).triggers_fired.map((f) => f.type)).toContain('high_engagement_followup');
    await waitFor(async () => (await draftsOf(s.id)).filter((d) => d.requested_by === 'rule' && d.status === 'draft').length === 2, 10_000);
    const audit = (await client().get(`/api/audit?application_id=${s.id}&limit=200`)).json.entries as Draft[];
    expect(audit.filter((e) => e.decision === 'draft_withheld')).toHaveLength(1);
    expect(DAY).toBeGreaterThan(0);
  });
});

describe('drafts without MAIL_FROM', () => {
  const t = useTestApp('pglite');
  it('the signature line is left out and the .eml has no From for the mail program to fill', async () => {
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), { contact_email: 'x@example.com' });
    const res = await api(t().app).post(`/api/applications/${s.id}/drafts`, {});
    expect(res.status, res.body).toBe(201);
    expect(res.json.body.trimEnd().endsWith('Best regards,')).toBe(true);
    const approved = await api(t().app).post(`/api/applications/${s.id}/drafts/${res.json.id}/approve`);
    expect(approved.json.mailto).toMatch(/^mailto:x@example\.com\?subject=/);
    const eml = await t().app.inject({ method: 'GET', url: approved.json.eml_url, headers: { 'x-api-key': 'test-api-key-0123456789' } });
    expect(eml.statusCode).toBe(200);
    expect(eml.body).not.toMatch(/^From:/m);
  });
});
