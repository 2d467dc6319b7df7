/**
 * SPEC §7 Settings: a test for each integration, through HTTP, on both engines. SMTP against a
 * real smtp-server on loopback; webhooks against a loopback receiver, verified with the
 * independent `standardwebhooks` package; the booking dry run stores nothing; the digest test
 * leaves the once-a-day bookkeeping as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunBookingHooks } from '../../src/bookings/index.js';
import { nextDigestAt } from '../../src/digest/digest-clock.js';
import { prepareDailyDigest } from '../../src/digest/prepare-daily-digest.js';
import { startWebhookDelivery } from '../../src/webhooks/index.js';
import { CALENDLY_KEY, CAL_SECRET } from '../helpers/booking-payloads.js';
import { describeEachEngine } from '../helpers/databases.js';
import { bodyOf, decodeHeaderValue, decodeQuotedPrintable, header, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { zoneWithLocalHourBetween } from '../helpers/spawn-service.js';
import { api, buildTestApp, type TestApp } from '../helpers/test-app.js';
import { startReceiver, verifyStandardWebhook, type Answer } from '../helpers/webhook-receiver.js';
import { SILENT_LOG, highEngagementScenario, processTriggers } from '../helpers/workflow.js';

const count = async (t: TestApp, table: string) => Number((await t.database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
const noStack = (body: string) => expect(body).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);

describe('when the next digest is made (pure)', () => {
  it('today at the hour, now when due and not made, tomorrow once made; DST-correct', () => {
    const ny = 'America/New_York';
    // 2026-03-08 spring forward: 08:00 EDT is 12:00 UTC.
    expect(nextDigestAt(new Date('2026-03-08T06:00:00Z'), ny, 8, false).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    const due = new Date('2026-03-08T13:00:00Z');
    expect(nextDigestAt(due, ny, 8, false)).toEqual(due);
    // Made today: tomorrow 08:00 EDT.
    expect(nextDigestAt(due, ny, 8, true).toISOString()).toBe('2026-03-09T12:00:00.000Z');
    // 2026-11-01 fall back: made on the 31st (EDT), next at 08:00 EST = 13:00 UTC.
    expect(nextDigestAt(new Date('2026-10-31T20:00:00Z'), ny, 8, true).toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });
});

describe('booking dry run: PUBLIC_BASE_URL judged (pure)', () => {
  const keys = { calendlySigningKey: CALENDLY_KEY, calendlyToleranceSeconds: 180, calcomSecret: CAL_SECRET };
  it('a loopback or local address is a problem, plain http a warning, https fine', () => {
    for (const base of ['http://localhost:5000', 'http://127.0.0.1:5000', 'http://192.168.1.20', 'http://hirepulse.local']) {
      const r = dryRunBookingHooks({ ...keys, publicBaseUrl: base });
      expect(r.ok, base).toBe(false);
      expect(r.problems.join(' '), base).toMatch(/PUBLIC_BASE_URL is .*cannot reach it/);
      expect(r.providers.every((p) => p.check === 'passed')).toBe(true);
    }
    const http = dryRunBookingHooks({ ...keys, publicBaseUrl: 'http://hp.example.com' });
    expect(http).toMatchObject({ ok: true, problems: [] });
    expect(http.warnings.join(' ')).toMatch(/not https/);
    const https = dryRunBookingHooks({ ...keys, publicBaseUrl: 'https://hp.example.com/base' });
    expect(https).toMatchObject({ ok: true, problems: [], warnings: [] });
    expect(https.providers.map((p) => p.url)).toEqual(['https://hp.example.com/base/hooks/calendly', 'https://hp.example.com/base/hooks/cal']);
  });
});

describeEachEngine('Settings tests', (engine) => {
  let smtp: TestSmtpServer;
  let plain: TestApp; // nothing configured; private webhook targets allowed (the receivers are on loopback)
  let full: TestApp; // SMTP, both booking keys, a 1 s webhook timeout, private targets allowed
  let guarded: TestApp; // the SSRF guard on (the default)
  let badLogin: TestApp; // SMTP with a wrong password
  let closed: TestApp; // SMTP at a port nobody listens on
  const zone = zoneWithLocalHourBetween(9, 20); // the digest hour (8) has passed there

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    const mail = { SMTP_URL: smtp.url, MAIL_FROM: 'Ada Lovelace <ada@example.com>', HIREPULSE_DIGEST_TO: 'me@example.com' };
    plain = await buildTestApp(engine, { HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true', HIREPULSE_TIMEZONE: zone });
    full = await buildTestApp(engine, {
      ...mail,
      HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true',
      HIREPULSE_WEBHOOK_TIMEOUT_MS: '1000',
      CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY,
      CALCOM_WEBHOOK_SECRET: CAL_SECRET,
      HIREPULSE_TIMEZONE: zone,
    });
    guarded = await buildTestApp(engine);
    badLogin = await buildTestApp(engine, { ...mail, SMTP_URL: smtp.url.replace(encodeURIComponent('s3cret pass'), 'wr0ng-Passw0rd') });
    closed = await buildTestApp(engine, { ...mail, SMTP_URL: 'smtp://ada:hunter2-secret@127.0.0.1:1' });
  }, 60_000);
  afterAll(async () => {
    for (const t of [plain, full, guarded, badLogin, closed]) {
      await t?.app.close();
      await t?.database.close();
    }
    await smtp?.close();
  });

  describe('SMTP', () => {
    it('without SMTP_URL: 409 smtp_not_configured, naming what to set', async () => {
      const res = await api(plain.app).post('/api/settings/smtp/test', { send: true });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('smtp_not_configured');
      expect(res.json.error.message).toMatch(/SMTP_URL.*MAIL_FROM/);
    });

    it('connects and logs in; with send: true a short message reaches the configured recipient, audited', async () => {
      const before = smtp.received.length;
      const verified = await api(full.app).post('/api/settings/smtp/test');
      expect(verified.status, verified.body).toBe(200);
      expect(verified.json).toMatchObject({ ok: true, verified: true, sent: false, to: 'me@example.com', from: 'ada@example.com', error: null });
      expect(verified.json.message).toMatch(/Connected to .*127\.0\.0\.1.* and logged in/);
      expect(smtp.received.length).toBe(before);

      const sent = await api(full.app).post('/api/settings/smtp/test', { send: true });
      expect(sent.json).toMatchObject({ ok: true, verified: true, sent: true, to: 'me@example.com' });
      expect(sent.json.server_response).toMatch(/250/);
      expect(smtp.received.length).toBe(before + 1);
      const m = smtp.received.at(-1)!;
      expect(m.to).toEqual(['me@example.com']);
      expect(m.user).toBe('ada');
      expect(decodeHeaderValue(header(m.raw, 'Subject')!)).toBe('hirepulse: test message');
      expect(JSON.stringify(sent.json)).not.toContain('s3cret');
      const audit = await api(full.app).get('/api/audit?limit=5');
      expect(audit.json.entries.map((e: { decision: string }) => e.decision)).toContain('smtp_test_sent');
      // Nothing went through the outbox: the drafts' once-only bookkeeping is not touched.
      expect(await count(full, 'mail_outbox')).toBe(0);
    });

    it("a refused login: the server's words, never the password or a stack", async () => {
      const res = await api(badLogin.app).post('/api/settings/smtp/test', { send: true });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: false, verified: false, sent: false });
      expect(res.json.error).toMatch(/Invalid login|535|Invalid username or password/i);
      expect(res.json.message).toMatch(/^Could not connect or log in/);
      expect(res.body).not.toContain('wr0ng-Passw0rd');
      noStack(res.body);
    });

    it('a server that does not answer: the network error in words, never the password', async () => {
      const res = await api(closed.app).post('/api/settings/smtp/test');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: false, verified: false });
      expect(res.json.error).toMatch(/ECONNREFUSED|connect/i);
      expect(res.body).not.toContain('hunter2-secret');
      noStack(res.body);
    });
  });

  describe('webhooks: Send test event', () => {
    const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
    const receiver = async (answer: (n: number) => Answer) => {
      const r = await startReceiver(answer);
      receivers.push(r);
      return r;
    };
    afterAll(async () => {
      for (const r of receivers) await r.close();
    });
    const register = async (t: TestApp, url: string) => {
      const res = await api(t.app).post('/api/webhooks', { url, events: ['trigger.fired'], description: 'test me' });
      expect(res.status, res.body).toBe(201);
      return res.json as { id: string; secret: string };
    };

    it('a signed webhook.test reaches the receiver now, and the log shows it delivered after one attempt', async () => {
      const r = await receiver(() => ({ status: 204 }));
      const endpoint = await register(plain, r.url);
      const res = await api(plain.app).post(`/api/webhooks/${endpoint.id}/test`);
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ ok: true, event_type: 'webhook.test', status_code: 204, error: null });
      expect(res.json.message).toMatch(/answered 204/);
      expect(r.requests).toHaveLength(1);
      const envelope = verifyStandardWebhook(endpoint.secret, r.requests[0]);
      expect(envelope.type).toBe('webhook.test');
      expect(envelope.data.webhook_id).toBe(endpoint.id);
      expect(res.json.delivery).toMatchObject({ event_type: 'webhook.test', status: 'succeeded', attempts: 1, last_status_code: 204, event_id: r.requests[0].headers['webhook-id'] });
      const log = await api(plain.app).get(`/api/webhooks/${endpoint.id}/deliveries`);
      expect(log.json.deliveries).toHaveLength(1);
      expect(log.json.deliveries[0]).toMatchObject({ event_type: 'webhook.test', status: 'succeeded', attempts: 1 });
      expect(log.json.deliveries[0].attempt_log).toHaveLength(1);
    });

    it('a failure is reported and logged as failed, and the worker never retries it; a 410 does not stop the endpoint', async () => {
      const failing = await receiver(() => ({ status: 500 }));
      const a = await register(plain, failing.url);
      const res = await api(plain.app).post(`/api/webhooks/${a.id}/test`);
      expect(res.json).toMatchObject({ ok: false, status_code: 500 });
      expect(res.json.message).toBe('Not delivered: the receiver answered 500.');
      expect(res.json.delivery).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });

      const gone = await receiver(() => ({ status: 410 }));
      const b = await register(plain, gone.url);
      const goneRes = await api(plain.app).post(`/api/webhooks/${b.id}/test`);
      expect(goneRes.json).toMatchObject({ ok: false, status_code: 410 });
      expect(goneRes.json.message).toMatch(/does not stop the endpoint/);
      expect((await api(plain.app).get(`/api/webhooks/${b.id}`)).json).toMatchObject({ enabled: true, disabled_at: null });

      // A delivery worker running now finds nothing to send again.
      const worker = startWebhookDelivery(plain.database.db, SILENT_LOG, { allowPrivate: true, pollMs: 50 });
      await new Promise((r) => setTimeout(r, 600));
      await worker.stop();
      expect(failing.requests).toHaveLength(1);
      expect(gone.requests).toHaveLength(1);
    });

    it('the same time limit as real deliveries (HIREPULSE_WEBHOOK_TIMEOUT_MS)', async () => {
      const hanging = await receiver(() => 'hang');
      const endpoint = await register(full, hanging.url);
      const started = Date.now();
      const res = await api(full.app).post(`/api/webhooks/${endpoint.id}/test`);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.json).toMatchObject({ ok: false, status_code: null, error: 'no answer within 1000 ms' });
      expect(res.json.delivery).toMatchObject({ status: 'failed', last_error: 'no answer within 1000 ms' });
    });

    it('the same SSRF guard: an endpoint whose address is now loopback is refused, at no request', async () => {
      const r = await receiver(() => ({ status: 204 }));
      // Registered while allowed (or while its name resolved elsewhere): written as the store would.
      const row = await guarded.database.db.query<{ id: string }>(
        `INSERT INTO webhook_endpoints (url, events, secret) VALUES ($1, ARRAY['trigger.fired'], 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdA==') RETURNING id`,
        [r.url],
      );
      const res = await api(guarded.app).post(`/api/webhooks/${row.rows[0].id}/test`);
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.error).toMatch(/^refused: /);
      expect(r.requests).toHaveLength(0);
    });

    it('unknown endpoint 404, malformed id 400, stopped endpoint 409, no key 401', async () => {
      expect((await api(plain.app).post('/api/webhooks/00000000-0000-4000-8000-000000000000/test')).status).toBe(404);
      expect((await api(plain.app).post('/api/webhooks/nope/test')).status).toBe(400);
      const r = await receiver(() => ({ status: 204 }));
      const endpoint = await register(plain, r.url);
      await plain.database.db.query(`UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'the receiver answered 410 Gone' WHERE id = $1`, [endpoint.id]);
      const stopped = await api(plain.app).post(`/api/webhooks/${endpoint.id}/test`);
      expect(stopped.status).toBe(409);
      expect(stopped.json.error.message).toMatch(/stopped/);
      expect(r.requests).toHaveLength(0);
      expect((await plain.app.inject({ method: 'POST', url: `/api/webhooks/${endpoint.id}/test` })).statusCode).toBe(401);
    });
  });

  describe('booking integration', () => {
    it('shows the exact addresses and which keys are set, never a key', async () => {
      const res = await api(full.app).get('/api/settings/bookings');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        public_base_url: 'http://hirepulse.test',
        providers: [
          { provider: 'calendly', name: 'Calendly', url: 'http://hirepulse.test/hooks/calendly', key_variable: 'CALENDLY_WEBHOOK_SIGNING_KEY', key_set: true },
          { provider: 'cal', name: 'Cal.com', url: 'http://hirepulse.test/hooks/cal', key_variable: 'CALCOM_WEBHOOK_SECRET', key_set: true },
        ],
      });
      const none = await api(plain.app).get('/api/settings/bookings');
      expect(none.json.providers.map((p: { key_set: boolean }) => p.key_set)).toEqual([false, false]);
    });

    it('the dry run passes both providers through the /hooks checks and stores nothing', async () => {
      const auditBefore = await count(full, 'audit_log');
      const res = await api(full.app).post('/api/settings/bookings/test');
      expect(res.status, res.body).toBe(200);
      expect(res.json.ok).toBe(true);
      expect(res.json.problems).toEqual([]);
      expect(res.json.warnings.join(' ')).toMatch(/not https/);
      expect(res.json.providers.map((p: { check: string }) => p.check)).toEqual(['passed', 'passed']);
      expect(res.json.providers[0].message).toMatch(/passed the same checks as \/hooks\/calendly.*another key was refused.*Nothing was stored/);
      expect(res.body).not.toContain(CALENDLY_KEY);
      expect(res.body).not.toContain(CAL_SECRET);
      expect(await count(full, 'bookings')).toBe(0);
      expect(await count(full, 'audit_log')).toBe(auditBefore);
    });

    it('without keys: says what to set', async () => {
      const res = await api(plain.app).post('/api/settings/bookings/test');
      expect(res.json.ok).toBe(false);
      expect(res.json.providers.map((p: { check: string }) => p.check)).toEqual(['not_configured', 'not_configured']);
      expect(res.json.problems.join(' ')).toMatch(/CALENDLY_WEBHOOK_SIGNING_KEY.*CALCOM_WEBHOOK_SECRET/);
    });

    it('the real hook routes still take a signed booking and refuse a bad signature (the shared checks)', async () => {
      const bad = await full.app.inject({ method: 'POST', url: '/hooks/cal', headers: { 'content-type': 'application/json', 'x-cal-signature-256': 'ab' }, payload: '{}' });
      expect(bad.statusCode).toBe(401);
      const off = await plain.app.inject({ method: 'POST', url: '/hooks/calendly', headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(off.statusCode).toBe(401);
      expect(off.json().error.message).toBe('Calendly webhooks are not configured on this service');
    });
  });

  describe('daily digest', () => {
    it('shows the hour, the zone and when the next one is made', async () => {
      const res = await api(plain.app).get('/api/settings/digest');
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ hour: 8, time_zone: zone, emailed: false, to: null, today: { status: 'waiting' } });
      // The hour has passed in this zone and today's is not made: the worker's next round.
      expect(Math.abs(new Date(res.json.next_at).getTime() - Date.now())).toBeLessThan(60_000);
      expect(res.json.next_at_local).toMatch(/\d\d:\d\d/);
      expect((await api(full.app).get('/api/settings/digest')).json).toMatchObject({ emailed: true, to: 'me@example.com' });
    });

    it('without SMTP: renders today’s digest and shows it; no bookkeeping written', async () => {
      const s = await highEngagementScenario(plain.app);
      await processTriggers(plain.app, s.id);
      const res = await api(plain.app).post('/api/settings/digest/test');
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ sent: false, empty: false, to: null, error: null });
      expect(res.json.subject).toMatch(/^hirepulse \d{4}-\d\d-\d\d: 1 due today/);
      expect(res.json.body).toContain('Due today');
      expect(res.json.message).toMatch(/not configured/);
      expect(await count(plain, 'daily_digests')).toBe(0);
    });

    it('with SMTP: sent now with [test]; today’s real digest still goes out, covering the same period', async () => {
      const s = await highEngagementScenario(full.app);
      await processTriggers(full.app, s.id);
      const before = smtp.received.length;
      const res = await api(full.app).post('/api/settings/digest/test');
      expect(res.json, res.body).toMatchObject({ sent: true, empty: false, to: 'me@example.com', error: null });
      expect(smtp.received.length).toBe(before + 1);
      const m = smtp.received.at(-1)!;
      expect(m.to).toEqual(['me@example.com']);
      expect(decodeHeaderValue(header(m.raw, 'Subject')!)).toBe(`[test] ${res.json.subject}`);
      expect(decodeQuotedPrintable(bodyOf(m.raw))).toContain('Due today');
      expect(await count(full, 'daily_digests')).toBe(0);
      expect(await count(full, 'mail_outbox')).toBe(0);
      expect(Number((await full.database.db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'digest.ready'`)).rows[0].n)).toBe(0);
      const audit = await api(full.app).get('/api/audit?limit=5');
      expect(audit.json.entries.map((e: { decision: string }) => e.decision)).toContain('digest_test_sent');

      // The real one, once the hour has come, is made as if no test had happened.
      const settings = { timeZone: zone, digestHour: 8, from: { name: '', address: 'ada@example.com' }, to: 'me@example.com', smtp: true, messageIdDomain: 'example.com' };
      expect(await prepareDailyDigest(full.database.db, settings, async () => {})).toBe('ready');
      expect((await api(full.app).get('/api/settings/digest')).json.today.status).toBe('ready');
    });
  });
});
