/**
 * SPEC §8 sending, against real SMTP servers started here (smtp-server on loopback): what
 * arrives is checked on the wire (headers, RFC 2047 names and subjects, the UTF-8 body,
 * Message-ID, In-Reply-To/References); AUTH with and without STARTTLS; a server that drops the
 * connection mid-DATA leaves the outcome unknown and the message is not resent by itself; 4xx
 * schedules a retry; 5xx fails. Every step is in the audit trail. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionsWorker } from '../../src/actions/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, testConfig, useTestApp } from '../helpers/test-app.js';
import { createScenario, highEngagementScenario, processTriggers, waitFor, weekdayNoonUtc } from '../helpers/workflow.js';
import { bodyOf, decodeHeaderValue, decodeQuotedPrintable, header, headersOf, startTestSmtpServer, type Behaviour, type TestSmtpServer } from '../helpers/smtp.js';

const MAIL_FROM = 'Zoë Ångström <zoe@example.com>';

describeEachEngine('sending approved drafts by SMTP', (engine) => {
  // The app only needs to know SMTP is configured (approval writes the outbox); each test runs
  // a sender against the server whose behaviour it checks.
  const t = useTestApp(engine, { SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM });
  const servers: TestSmtpServer[] = [];
  const client = () => api(t().app);
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  async function server(behaviour: Behaviour, opts: { auth?: boolean; starttls?: boolean } = {}) {
    const s = await startTestSmtpServer({ behaviour, ...opts });
    servers.push(s);
    return s;
  }

  /** An approved draft of a new application (the person asked for it). */
  async function approvedDraft(input: Record<string, unknown>, edits: Record<string, unknown> = {}) {
    const s = await createScenario(t().app, { contact_email: 'recruiter@example.org', ...input }, ['resume']);
    const made = await client().post(`/api/applications/${s.id}/drafts`, { template: 'check_in' });
    expect(made.status, made.body).toBe(201);
    if (Object.keys(edits).length > 0) expect((await client().patch(`/api/applications/${s.id}/drafts/${made.json.id}`, edits)).status).toBe(200);
    const approved = await client().post(`/api/applications/${s.id}/drafts/${made.json.id}/approve`);
    expect(approved.status, approved.body).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', delivery: { state: 'queued' }, mailto: null });
    return { applicationId: s.id, draft: approved.json, url: `/api/applications/${s.id}/drafts/${made.json.id}` };
  }

  /** Runs a sender against `smtp` until `done` holds for the draft, then stops it. */
  async function sendUntil(smtp: TestSmtpServer, url: string, done: (d: any) => boolean, env: Record<string, string> = {}) {
    const errors: unknown[] = [];
    const worker = startActionsWorker(t().ctx.db, testConfig({ SMTP_URL: smtp.url, MAIL_FROM, HIREPULSE_ACTIONS_POLL_MS: '50', ...env }), {
      info() {},
      error: (e) => errors.push(e),
    });
    try {
      const { value } = await waitFor(async () => {
        const d = (await client().get(url)).json;
        return done(d) ? d : undefined;
      }, 20_000);
      return value;
    } finally {
      await worker.stop();
      expect(errors).toEqual([]);
    }
  }

  /** What the server received, without the daily digest (to MAIL_FROM), which may go out through it too. */
  const followUps = (smtp: TestSmtpServer) => smtp.received.filter((m) => !m.to.includes('zoe@example.com'));
  const audit = async (id: string) => ((await client().get(`/api/audit?application_id=${id}&limit=100`)).json.entries as any[]).reverse();

  it('delivers once with AUTH: encoded names and subject, UTF-8 body, Message-ID, envelope; audited from draft to sent', async () => {
    const smtp = await server('accept');
    const { applicationId, draft, url } = await approvedDraft(
      { company: 'Café Müller & Söhne', job_title: 'Ingénieure logicielle', contact_name: "Seán O'Brien-Nuñez 🚀" },
      { body: "Hi Seán,\n\nI'm still keen on the rôle — merci! 🚀\n\nZoë" },
    );
    const sent = await sendUntil(smtp, url, (d) => d.status === 'sent');
    expect(sent.delivery).toMatchObject({ state: 'sent', attempts: 1 });
    expect(followUps(smtp)).toHaveLength(1);
    const m = followUps(smtp)[0];
    expect(m).toMatchObject({ from: 'zoe@example.com', to: ['recruiter@example.org'], user: 'ada', secure: false });
    const raw = m.raw;
    // Only ASCII on the wire in the headers, CRLF line ends, no line over 998 octets.
    const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(raw.toString('latin1').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw.toString('latin1').split('\r\n').every((l) => l.length <= 998)).toBe(true);

    expect(header(raw, 'Message-ID')).toBe(draft.message_id);
    expect(draft.message_id).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(decodeHeaderValue(header(raw, 'Subject')!)).toBe('Checking in on my application for Ingénieure logicielle');
    expect(header(raw, 'Subject')).toMatch(/^=\?UTF-8\?[BQ]\?/);
    expect(decodeHeaderValue(header(raw, 'From')!)).toBe('Zoë Ångström <zoe@example.com>');
    expect(decodeHeaderValue(header(raw, 'To')!)).toMatch(/^"?Seán O'Brien-Nuñez 🚀"? <recruiter@example\.org>$/);
    expect(header(raw, 'MIME-Version')).toBe('1.0');
    expect(header(raw, 'Content-Type')).toBe('text/plain; charset=utf-8');
    expect(header(raw, 'Content-Transfer-Encoding')).toBe('quoted-printable');
    expect(header(raw, 'In-Reply-To')).toBeUndefined();
    expect(headersOf(raw).map(([n]) => n.toLowerCase())).not.toContain('x-mailer');
    expect(decodeQuotedPrintable(bodyOf(raw))).toBe("Hi Seán,\r\n\r\nI'm still keen on the rôle — merci! 🚀\r\n\r\nZoë\r\n");

    const trail = await audit(applicationId);
    expect(trail.map((e) => e.decision)).toEqual(['draft_created', 'draft_edited', 'draft_approved', 'email_sent']);
    expect(trail[3]).toMatchObject({ rule: 'smtp_delivery', inputs: { message_id: draft.message_id }, outcome: { status: 'sent' } });
    expect(trail[3].outcome.server_response).toMatch(/^250 /);

    // A second message to the same application follows up the first: same thread.
    const next = await client().post(`/api/applications/${applicationId}/drafts`, {});
    expect(next.status, next.body).toBe(201);
    expect(next.json.in_reply_to).toBe(draft.message_id);
    await client().post(`/api/applications/${applicationId}/drafts/${next.json.id}/approve`);
    await sendUntil(smtp, `/api/applications/${applicationId}/drafts/${next.json.id}`, (d) => d.status === 'sent');
    const second = followUps(smtp)[1].raw;
    expect(header(second, 'In-Reply-To')).toBe(draft.message_id);
    expect(header(second, 'References')).toBe(draft.message_id);
    expect(header(second, 'Message-ID')).toBe(next.json.message_id);
  });

  it('right-to-left names arrive intact', async () => {
    const smtp = await server('accept');
    const { url } = await approvedDraft({ contact_name: 'سارة الأحمد', company: 'شركة المثال' });
    await sendUntil(smtp, url, (d) => d.status === 'sent');
    const raw = followUps(smtp)[0].raw;
    expect(decodeHeaderValue(header(raw, 'To')!)).toMatch(/^"?سارة الأحمد"? <recruiter@example\.org>$/);
    expect(decodeQuotedPrintable(bodyOf(raw))).toContain('Hi سارة,\r\n');
    expect(decodeQuotedPrintable(bodyOf(raw))).toContain('Checking in'.length > 0 ? 'position at شركة المثال' : '');
  });

  it('STARTTLS with AUTH: the session is encrypted before the credentials are sent', async () => {
    const smtp = await server('accept', { starttls: true });
    expect(smtp.url).toContain('requireTLS=true');
    const { url } = await approvedDraft({});
    await sendUntil(smtp, url, (d) => d.status === 'sent');
    expect(followUps(smtp)[0]).toMatchObject({ secure: true, user: 'ada' });
  });

  it('a connection dropped mid-DATA leaves the outcome unknown: not resent by itself; the person sends it again', async () => {
    const smtp = await server('drop-mid-data');
    const { applicationId, url } = await approvedDraft({}, { body: `Hello,\n\n${'A long paragraph. '.repeat(40)}\n\nZoë` });
    const unknown = await sendUntil(smtp, url, (d) => d.status !== 'approved');
    expect(unknown.status).toBe('unknown');
    expect(unknown.delivery).toMatchObject({ state: 'unknown', attempts: 1 });
    // More rounds: nothing is retried blindly.
    const again = startActionsWorker(t().ctx.db, testConfig({ SMTP_URL: smtp.url, MAIL_FROM, HIREPULSE_ACTIONS_POLL_MS: '20' }), { info() {}, error() {} });
    await new Promise((r) => setTimeout(r, 500));
    await again.stop();
    expect((await client().get(url)).json.delivery.attempts).toBe(1);
    expect(followUps(smtp)).toHaveLength(0);
    const trail = await audit(applicationId);
    expect(trail.at(-1)).toMatchObject({ decision: 'email_outcome_unknown', outcome: { status: 'unknown' } });
    expect(trail.at(-1).outcome.next_step).toMatch(/mark it sent or send it again/);

    expect((await client().post(`${url}/resolve`, { decision: 'nonsense' })).status).toBe(400);
    const resent = await client().post(`${url}/resolve`, { decision: 'send_again' });
    expect(resent.json).toMatchObject({ status: 'approved', delivery: { state: 'queued' } });
    const good = await server('accept');
    const sent = await sendUntil(good, url, (d) => d.status === 'sent');
    expect(sent.delivery.attempts).toBe(2);
    expect(followUps(good)).toHaveLength(1);
    expect((await audit(applicationId)).slice(-2).map((e) => e.decision)).toEqual(['email_send_again', 'email_sent']);
  });

  it('a 4xx answer schedules a retry with backoff; the draft stays approved', async () => {
    const smtp = await server('reply-4xx');
    const { applicationId, url } = await approvedDraft({});
    const before = Date.now();
    const waiting = await sendUntil(smtp, url, (d) => d.delivery?.attempts === 1 && d.delivery.state === 'queued');
    expect(waiting.status).toBe('approved');
    expect(waiting.delivery.last_error).toMatch(/^451 /);
    const next = new Date(waiting.delivery.next_attempt_at).getTime();
    expect(next - before).toBeGreaterThanOrEqual(25_000);
    expect(next - Date.now()).toBeLessThanOrEqual(31_000);
    expect(followUps(smtp)).toHaveLength(0);
    expect((await audit(applicationId)).at(-1)).toMatchObject({ decision: 'email_retry_scheduled', outcome: { status: 'will_retry', retry_in_seconds: 30 } });
  });

  it('a 5xx answer fails the draft for good, and says why', async () => {
    const smtp = await server('reply-5xx');
    const { applicationId, url } = await approvedDraft({});
    const failed = await sendUntil(smtp, url, (d) => d.status !== 'approved');
    expect(failed).toMatchObject({ status: 'failed', delivery: { state: 'failed', attempts: 1 } });
    expect(failed.delivery.last_error).toMatch(/^550 /);
    expect(smtp.dataCompleted).toBe(1);
    expect((await audit(applicationId)).at(-1)).toMatchObject({ decision: 'email_failed', outcome: { status: 'failed' } });
    // A failed draft may be discarded.
    expect((await client().post(`${url}/discard`)).json.status).toBe('discarded');
  });

  it('HIREPULSE_AUTO_SEND: a draft the rule writes is approved and sent without waiting; one the person asks for still waits', async () => {
    const smtp = await server('accept');
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), { contact_email: 'auto@example.org' });
    await processTriggers(t().app, s.id);
    const list = `/api/applications/${s.id}/drafts`;
    const sent = await sendUntil(smtp, list, (d) => d.drafts[0]?.status === 'sent', { HIREPULSE_AUTO_SEND: 'true' });
    expect(sent.drafts[0]).toMatchObject({ requested_by: 'rule', trigger_type: 'high_engagement_followup' });
    expect(followUps(smtp).map((m) => m.to)).toEqual([['auto@example.org']]);
    const trail = await audit(s.id);
    expect(trail.find((e) => e.decision === 'draft_approved')).toMatchObject({ actor: 'worker', rule: 'auto_send' });
    // The sent draft settles its trigger: the queue item is done with outcome sent.
    await waitFor(async () => (await audit(s.id)).some((e) => e.decision === 'queue_processed' && e.outcome.outcome === 'sent'), 5000);
    const asked = await client().post(list, {});
    expect(asked.json.status).toBe('draft');
  });

  it('the settings say SMTP is configured, with the server and sender but never the password', async () => {
    const res = await client().get('/api/settings');
    const mail = res.json.integrations.find((i: { name: string }) => i.name === 'Email sending (SMTP)');
    expect(mail).toMatchObject({ configured: true, status: expect.stringContaining('zoe@example.com, STARTTLS when offered to 127.0.0.1:1, only after you approve them') });
    expect(res.json.integrations.find((i: { name: string }) => i.name === 'Daily digest')).toMatchObject({ configured: true, status: expect.stringMatching(/^Sent each day at 08:00 UTC to zoe@example\.com/) });
  });

  it('wrong credentials fail before anything is handed over', async () => {
    const smtp = await server('accept');
    const bad = { ...smtp, url: smtp.url.replace('s3cret%20pass', 'wrong') };
    const { url } = await approvedDraft({});
    const failed = await sendUntil(bad, url, (d) => d.status !== 'approved');
    expect(failed.status).toBe('failed');
    expect(failed.delivery.last_error).toMatch(/535|Invalid/);
    expect(followUps(smtp)).toHaveLength(0);
  });
});

describe('SMTP configuration', () => {
  it('SMTP_URL without MAIL_FROM, or a bad URL, stops start-up with one line naming the variable', () => {
    expect(() => testConfig({ SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(/^MAIL_FROM: must be set when SMTP_URL is/);
    expect(() => testConfig({ SMTP_URL: 'http://x', MAIL_FROM: 'a@b.co' })).toThrow(/^SMTP_URL: must use smtp: or smtps:/);
    expect(() => testConfig({ MAIL_FROM: 'not an address' })).toThrow(/^MAIL_FROM: must be an email address/);
    expect(() => testConfig({ HIREPULSE_DIGEST_HOUR: '24' })).toThrow(/^HIREPULSE_DIGEST_HOUR: must be between 0 and 23/);
    expect(testConfig({ MAIL_FROM: 'Zoë Ångström <zoe@example.com>' }).mailFrom).toEqual({ name: 'Zoë Ångström', address: 'zoe@example.com' });
  });
});
