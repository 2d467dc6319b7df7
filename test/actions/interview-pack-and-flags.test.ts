/**
 * SPEC §8: the interview pack (Markdown and HTML) shows the role, the contact, what was opened
 * in order with local times in the application's zone, the timeline, notes, questions from the
 * job URL's host and the role, and a checklist. Flags of flag_for_review / note_personal_interest
 * show on the application and in the queue, and go when their item is processed.
 */
import { describe, expect, it } from 'vitest';
import { suggestedQuestions } from '../../src/actions/interview-pack/suggested-questions.js';
import { localStamp } from '../../src/actions/interview-pack/interview-pack.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, TEST_API_KEY, useTestApp } from '../helpers/test-app.js';
import { HOUR, MINUTE, createScenario, importClicks, iso, processTriggers, saturdayNoonUtc } from '../helpers/workflow.js';

describe('interview pack rules (pure)', () => {
  it('local times come from the zone clock, across a DST change', () => {
    expect(localStamp(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('Sun 2026-03-29 01:30');
    expect(localStamp(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('Sun 2026-03-29 03:30');
    expect(localStamp(new Date('2026-03-29T01:30:00Z'), 'Nowhere/Invalid')).toBe('Sun 2026-03-29 01:30');
  });
  it('questions follow the posting host and the role', () => {
    expect(suggestedQuestions('https://boards.greenhouse.io/acme/jobs/1', 'Senior Backend Engineer', 'Acme')[0]).toMatch(/posted on Greenhouse/);
    expect(suggestedQuestions('https://careers.acme.example/jobs/1', 'Frontend Developer', 'Acme')[0]).toMatch(/Acme's own site \(careers\.acme\.example\)/);
    expect(suggestedQuestions(null, 'Frontend Developer', 'Acme')[0]).toMatch(/design system/);
    expect(suggestedQuestions('not a url', 'Chef', 'Acme')).toHaveLength(3);
  });
});

describeEachEngine('interview pack and flags', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);

  it('the pack lists what was opened in order, in the application zone, with timeline, notes, questions and checklist', async () => {
    const at = new Date('2026-03-28T23:30:00Z'); // Saturday 23:30 UTC, Sunday 00:30 in Berlin
    const s = await createScenario(
      t().app,
      {
        company: 'Café <Müller> & Söhne',
        job_title: 'Backend Engineer',
        contact_name: "Seán O'Brien",
        contact_email: 'sean@example.com',
        job_url: 'https://jobs.lever.co/cafe/123',
        timezone: 'Europe/Berlin',
        applied_at: iso(at.getTime() - 72 * HOUR),
        notes: 'Met Seán at a meetup.\nAsk about the # of services.',
      },
      ['resume', 'calendly'],
    );
    await importClicks(t().app, [
      { tracking_id: s.link.resume, at },
      { tracking_id: s.link.calendly, at: at.getTime() + 2 * HOUR },
    ]);
    await processTriggers(t().app, s.id);
    const md = await t().app.inject({ method: 'GET', url: `/api/applications/${s.id}/interview-pack`, headers: { 'x-api-key': TEST_API_KEY } });
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const text = md.body;
    expect(text).toContain('# Interview pack: Backend Engineer at Café \\<Müller\\> & Söhne');
    expect(text).toContain("- Contact: Seán O'Brien \\<sean@example.com\\>");
    expect(text).toContain('## What was opened, in order\n\n1. Resume, Sun 2026-03-29 00:30\n2. Calendly, Sun 2026-03-29 03:30\n');
    expect(text).toContain('- Times below are in Europe/Berlin.');
    expect(text).toContain('- Thu 2026-03-26 00:30: You applied');
    expect(text).toContain('Your booking page was opened: interview preparation suggested');
    expect(text).toContain('- Ask about the \\# of services.');
    expect(text).toMatch(/## Questions to ask\n\n- The role was posted on Lever/);
    expect(text).toContain('- What does on-call look like');
    expect(text).toContain('- [ ] Re-read the posting: https://jobs.lever.co/cafe/123');

    const html = await t().app.inject({ method: 'GET', url: `/api/applications/${s.id}/interview-pack?format=html`, headers: { 'x-api-key': TEST_API_KEY } });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html.body).toContain('<h1>Interview pack: Backend Engineer at Café &lt;Müller&gt; &amp; Söhne</h1>');
    expect(html.body).toContain('<ol>\n<li>Resume, Sun 2026-03-29 00:30</li>\n<li>Calendly, Sun 2026-03-29 03:30</li>\n</ol>');
    expect(html.body).not.toContain('<Müller>');

    expect((await client().get(`/api/applications/${s.id}/interview-pack?format=pdf`)).json.error.message).toMatch(/format must be one of markdown, html/);
    expect((await client().get('/api/applications/00000000-0000-4000-8000-000000000000/interview-pack')).status).toBe(404);
  });

  it('flags show on the application and in the queue, and go when their item is processed', async () => {
    const saturday = saturdayNoonUtc();
    const s = await createScenario(t().app, { applied_at: iso(saturday.getTime() - 30 * MINUTE), timezone: 'UTC' }, ['resume']);
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: saturday }]);
    await processTriggers(t().app, s.id);
    const flags = await client().get(`/api/applications/${s.id}/flags`);
    expect(flags.json.flags.map((f: { kind: string }) => f.kind)).toEqual(['review', 'personal_interest']);
    expect(flags.json.flags[0]).toMatchObject({ trigger_type: 'urgent_attention', label: expect.stringMatching(/^Review soon/), raised_at: iso(saturday) });
    const queue = await client().get('/api/analytics/priority-queue?limit=100');
    const item = queue.json.priority_queue.find((q: { application_id: string }) => q.application_id === s.id);
    expect(item.action_type).toBe('urgent_attention');
    expect(item.flags.map((f: { kind: string }) => f.kind)).toEqual(['review', 'personal_interest']);

    await client().post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' });
    expect((await client().get(`/api/applications/${s.id}/flags`)).json.flags.map((f: { kind: string }) => f.kind)).toEqual(['personal_interest']);
    const next = (await client().get('/api/analytics/priority-queue?limit=100')).json.priority_queue.find((q: { application_id: string }) => q.application_id === s.id);
    expect(next).toMatchObject({ action_type: 'weekend_interest', flags: [{ kind: 'personal_interest', trigger_type: 'weekend_interest' }] });
    await client().post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'dismissed' });
    expect((await client().get(`/api/applications/${s.id}/flags`)).json.flags).toEqual([]);
  });
});
