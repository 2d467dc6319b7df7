/**
 * SPEC §9 outbound webhooks, over real HTTP on loopback: the endpoints API, Standard Webhooks
 * signatures checked with the independent `standardwebhooks` package, retries, 410, timeouts,
 * redirects, the per-endpoint limit, the delivery log and replay. Both engines.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueWebhookEvents, startWebhookDelivery, type WebhookEvent } from '../../src/webhooks/index.js';
import { CLICK_SETTLE_MS } from '../../src/tracking/rules/scanner-bursts.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, buildTestApp, click, useTestApp } from '../helpers/test-app.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';
import { HOUR, MINUTE, createScenario, importClicks, processTriggers, waitFor } from '../helpers/workflow.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describeEachEngine('outbound webhooks', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
  const errors: unknown[] = [];
  let worker: { stop(): Promise<void> } | undefined;
  const receivers: Receiver[] = [];

  beforeAll(() => {
    worker = startWebhookDelivery(t().ctx.db, { info() {}, error: (obj) => errors.push(obj) }, {
      timeoutMs: 1_000,
      allowPrivate: true,
      pollMs: 50,
      maxInFlightPerEndpoint: 2,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    expect(errors).toEqual([]);
  });
  afterEach(async () => {
    const list = await api(t().app).get('/api/webhooks');
    for (const w of list.json.webhooks) await api(t().app).delete(`/api/webhooks/${w.id}`);
    for (const r of receivers.splice(0)) await r.close();
  });

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  const register = async (url: string, events: string[] = ['click.recorded', 'trigger.fired', 'queue.updated', 'booking.created', 'digest.ready', 'action.completed']) => {
    const res = await api(t().app).post('/api/webhooks', { url, events, description: 'test receiver' });
    expect(res.status, res.body).toBe(201);
    return res.json as { id: string; secret: string; url: string };
  };
  const emit = (events: WebhookEvent[]) => t().ctx.db.transaction((tx) => enqueueWebhookEvents(tx, events));
  const deliveries = async (id: string) => (await api(t().app).get(`/api/webhooks/${id}/deliveries`)).json.deliveries as any[];

  it('registers an endpoint: a whsec_ secret of at least 24 bytes shown once, never listed again', async () => {
    const r = await receiver();
    const created = await register(r.url, ['trigger.fired']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const list = await api(t().app).get('/api/webhooks');
    expect(list.json.webhooks).toEqual([expect.objectContaining({ id: created.id, url: r.url, events: ['trigger.fired'], enabled: true })]);
    expect(JSON.stringify(list.json)).not.toContain(created.secret);
    expect((await api(t().app).get(`/api/webhooks/${created.id}`)).json.secret).toBeUndefined();
  });

  it('refuses bad endpoints with 400 naming the field, and stores nothing', async () => {
    const bad = [
      [{ url: 'ftp://example.com/x', events: ['trigger.fired'] }, /url/],
      [{ url: 'https://example.com/x', events: ['trigger.exploded'] }, /events.*one of click\.recorded/],
      [{ url: 'https://example.com/x', events: [] }, /events/],
      [{ url: 'https://u:p@example.com/x', events: ['trigger.fired'] }, /credentials/],
      [{ url: 'https://example.com/x', events: ['trigger.fired'], secret: 'mine' }, /secret/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await api(t().app).post('/api/webhooks', body);
      expect(res.status, res.body).toBe(400);
      expect(res.json.error.message).toMatch(message);
    }
    expect((await api(t().app).get('/api/webhooks')).json.webhooks).toEqual([]);
    expect((await api(t().app).delete('/api/webhooks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('a click, judged by the evaluation, reaches the receiver as click.recorded, trigger.fired and queue.updated, each verifiable', async () => {
    const r = await receiver();
    const endpoint = await register(r.url);
    const s = await createScenario(t().app, { applied_at: new Date(Date.now() - 72 * HOUR).toISOString() }, ['calendly']);
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: Date.now() - 10 * MINUTE }]);
    // A bot click never becomes click.recorded.
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: Date.now() - 20 * MINUTE, ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }]);
    await processTriggers(t().app, s.id);
    await waitFor(async () => r.requests.length >= 3, 5000);
    const envelopes = r.requests.map((req) => verifyStandardWebhook(endpoint.secret, req));
    const types = envelopes.map((e) => e.type).sort();
    expect(types).toEqual(['click.recorded', 'queue.updated', 'trigger.fired']);
    const clickEvent = envelopes.find((e) => e.type === 'click.recorded')!;
    expect(clickEvent.data).toMatchObject({ application_id: s.id, link: { tracking_id: s.link.calendly, link_type: 'calendly' } });
    expect(envelopes.find((e) => e.type === 'trigger.fired')!.data).toMatchObject({ application_id: s.id, trigger_type: 'interview_preparation' });
    for (const e of envelopes) expect(new Date(e.timestamp).toISOString()).toBe(e.timestamp);
    // Evaluating again announces nothing new.
    await processTriggers(t().app, s.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(3);
    // A tampered body fails the independent verification.
    expect(() => verifyStandardWebhook(endpoint.secret, { ...r.requests[0], body: r.requests[0].body.replace('"type"', '"typ3"') })).toThrow();
  });

  it('nothing is written on the /t/ request path: the click becomes click.recorded when the evaluation judges it', async () => {
    const r = await receiver();
    const endpoint = await register(r.url, ['click.recorded']);
    const s = await createScenario(t().app, { applied_at: new Date(Date.now() - 72 * HOUR).toISOString() }, ['resume']);
    const res = await click(t().app, s.link.resume);
    expect(res.statusCode).toBe(302);
    const events = async () =>
      (await t().ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_events WHERE application_id = $1`, [s.id])).rows[0].n;
    expect(await events()).toBe(0);
    // An evaluation at once does not announce it either: a click is announced once judged, when
    // any scanner burst it belongs to would have shown itself (CLICK_SETTLE_MS).
    await processTriggers(t().app, s.id);
    expect(await events()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, CLICK_SETTLE_MS + 100));
    expect(r.requests).toHaveLength(0);
    await processTriggers(t().app, s.id);
    expect(await events()).toBe(1);
    await waitFor(async () => r.requests.length >= 1);
    expect(verifyStandardWebhook(endpoint.secret, r.requests[0])).toMatchObject({ type: 'click.recorded', data: { application_id: s.id, source: 'live' } });
  });

  it('marking the queue item done sends action.completed and queue.updated; dismissing sends queue.updated only', async () => {
    const r = await receiver();
    const endpoint = await register(r.url, ['action.completed', 'queue.updated']);
    const done = await createScenario(t().app, { applied_at: new Date(Date.now() - 72 * HOUR).toISOString() }, ['calendly']);
    const dismissed = await createScenario(t().app, { applied_at: new Date(Date.now() - 72 * HOUR).toISOString() }, ['calendly']);
    await importClicks(t().app, [
      { tracking_id: done.link.calendly, at: Date.now() - 10 * MINUTE },
      { tracking_id: dismissed.link.calendly, at: Date.now() - 10 * MINUTE },
    ]);
    await processTriggers(t().app);
    await waitFor(async () => r.requests.length >= 2, 5000); // queue.updated (added) for each
    r.requests.splice(0);
    const marked = await api(t().app).post(`/api/analytics/priority-queue/${done.id}/processed`, { outcome: 'done', note: 'sent my availability' });
    expect(marked.status, marked.body).toBe(200);
    expect((await api(t().app).post(`/api/analytics/priority-queue/${dismissed.id}/processed`, { outcome: 'dismissed' })).status).toBe(200);
    await waitFor(async () => r.requests.length >= 3, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const envelopes = r.requests.map((q) => verifyStandardWebhook(endpoint.secret, q));
    const of = (id: string) => envelopes.filter((e) => e.data.application_id === id).map((e) => [e.type, e.data.change ?? null]).sort();
    // (On a weekend a weekend_interest item may take the queue next: queue.updated 'added' too.)
    expect(of(done.id)).toEqual(expect.arrayContaining([
      ['action.completed', null],
      ['queue.updated', 'processed'],
    ]));
    expect(envelopes.find((e) => e.type === 'action.completed')!.data).toMatchObject({
      action_type: 'interview_preparation',
      triggers_closed: [expect.any(String)],
      note: 'sent my availability',
    });
    expect(of(dismissed.id)).toContainEqual(['queue.updated', 'dismissed']);
    expect(of(dismissed.id).map(([type]) => type)).not.toContain('action.completed');
  });

  it('a receiver that fails and then succeeds gets the same webhook-id again within 10 s; only 2xx counts', async () => {
    const r = await receiver((n) => ({ status: n === 0 ? 500 : 204 }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: { due_today: 2 } }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded', 12_000, 200);
    expect(r.requests).toHaveLength(2);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    expect(r.requests[1].at - r.requests[0].at).toBeLessThan(10_000);
    const [d] = await deliveries(endpoint.id);
    expect(d.attempt_log.map((a: any) => [a.status_code, a.succeeded])).toEqual([
      [500, false],
      [204, true],
    ]);
    expect(d.attempt_log[0].error).toBe('the receiver answered 500');
    for (const req of r.requests) expect(verifyStandardWebhook(endpoint.secret, req).type).toBe('digest.ready');
  }, 15_000);

  it('a redirect to a private address is not followed (even where private targets are allowed)', async () => {
    const inside = await receiver();
    const r = await receiver(() => ({ status: 307, headers: { location: `http://127.0.0.1:${inside.port}/admin` } }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: {} }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.attempts === 1 && (await deliveries(endpoint.id))[0]?.last_status_code === 307);
    expect(inside.requests).toHaveLength(0);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'pending', last_error: expect.stringMatching(/not followed/) });
  });

  it('a receiver that hangs is given up on after the timeout, and retried', async () => {
    const r = await receiver(() => 'hang');
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: {} }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.attempt_log.length === 1, 5000);
    const [d] = await deliveries(endpoint.id);
    expect(d.status).toBe('pending');
    expect(d.attempt_log[0]).toMatchObject({ status_code: null, succeeded: false, error: expect.stringMatching(/no answer within 1000 ms/) });
    expect(d.attempt_log[0].duration_ms).toBeGreaterThanOrEqual(900);
    expect(Date.parse(d.next_attempt_at) - Date.parse(d.attempt_log[0].started_at)).toBeLessThan(10_000);
  });

  it('410 Gone disables the endpoint: its other deliveries fail and nothing more is sent', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: { n: 1 } }]);
    await waitFor(async () => !(await api(t().app).get(`/api/webhooks/${endpoint.id}`)).json.enabled);
    await emit([{ type: 'digest.ready', data: { n: 2 } }]); // a disabled endpoint gets no new deliveries
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(1);
    const shown = (await api(t().app).get(`/api/webhooks/${endpoint.id}`)).json;
    expect(shown).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/410/) });
    const [d] = await deliveries(endpoint.id);
    expect(d).toMatchObject({ status: 'failed', last_status_code: 410 });
    const replay = await api(t().app).post(`/api/webhooks/${endpoint.id}/deliveries/${d.id}/replay`);
    expect(replay.status).toBe(409);
  });

  it('Retry-After is honoured', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: {} }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.attempt_log.length === 1);
    const [d] = await deliveries(endpoint.id);
    expect(Date.parse(d.next_attempt_at) - Date.parse(d.attempt_log[0].started_at)).toBeGreaterThanOrEqual(119_000);
  });

  it('at most N deliveries of one endpoint are in flight at once', async () => {
    const r = await receiver(() => 'hang');
    const endpoint = await register(r.url);
    await emit(Array.from({ length: 6 }, (_, i): WebhookEvent => ({ type: 'digest.ready', data: { i } })));
    await waitFor(async () => r.requests.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.requests).toHaveLength(2);
    r.release(200);
    await waitFor(async () => (await deliveries(endpoint.id)).filter((d) => d.status === 'succeeded').length >= 2, 5000);
  });

  it('the per-endpoint limit holds across workers: a second worker (another pool on PostgreSQL) leases no more than the first left', async () => {
    const r = await receiver(() => 'hang');
    const endpoint = await register(r.url);
    const openAnother = t().database.openAnother;
    const otherDb = openAnother ? await openAnother(2) : t().ctx.db;
    const second = startWebhookDelivery(otherDb, { info() {}, error: (obj) => errors.push(obj) }, {
      timeoutMs: 1_000,
      allowPrivate: true,
      pollMs: 50,
      maxInFlightPerEndpoint: 2,
    });
    try {
      await emit(Array.from({ length: 8 }, (_, i): WebhookEvent => ({ type: 'digest.ready', data: { i } })));
      await waitFor(async () => r.requests.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(r.requests).toHaveLength(2);
      const leased = await t().ctx.db.query<{ n: number; holders: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT lease_holder)::int AS holders FROM webhook_deliveries
          WHERE endpoint_id = $1 AND status = 'pending' AND leased_until >= now()`,
        [endpoint.id],
      );
      expect(leased.rows[0].n).toBe(2);
      r.release(200);
      await waitFor(async () => (await deliveries(endpoint.id)).filter((d) => d.status === 'succeeded').length >= 2, 5000);
    } finally {
      await second.stop();
    }
  });

  it('backoff: the first retry comes after 5 s stretched by at most 20 % of jitter, with the next one scheduled in the log', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: {} }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.attempt_log.length === 1);
    const [d] = await deliveries(endpoint.id);
    const a = d.attempt_log[0];
    const delay = Date.parse(d.next_attempt_at) - (Date.parse(a.started_at) + a.duration_ms);
    expect(delay).toBeGreaterThanOrEqual(5_000 - 50);
    expect(delay).toBeLessThanOrEqual(6_000 + 500);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
  });

  it('a failed delivery is replayed with the same webhook-id', async () => {
    let fail = true;
    const r = await receiver(() => ({ status: fail ? 503 : 200 }));
    const endpoint = await register(r.url);
    await emit([{ type: 'digest.ready', data: {} }]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.attempt_log.length === 1);
    // The schedule is used up: make this the last attempt (setup through SQL, the retry takes 5 s).
    await t().ctx.db.query(`UPDATE webhook_deliveries SET attempts = 7 WHERE endpoint_id = $1`, [endpoint.id]);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.status === 'failed', 10_000, 100);
    const [failed] = await deliveries(endpoint.id);
    expect((await api(t().app).post(`/api/webhooks/${endpoint.id}/deliveries/${failed.id + 1000}/replay`)).status).toBe(404);
    fail = false;
    const replay = await api(t().app).post(`/api/webhooks/${endpoint.id}/deliveries/${failed.id}/replay`);
    expect(replay.status, replay.body).toBe(200);
    expect(replay.json).toMatchObject({ id: failed.id, status: 'pending' });
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded');
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    expect((await api(t().app).post(`/api/webhooks/${endpoint.id}/deliveries/${failed.id}/replay`)).status).toBe(409);
  }, 20_000);
});

describeEachEngine('SSRF guard without HIREPULSE_WEBHOOK_ALLOW_PRIVATE', (engine) => {
  it('refuses loopback, private, link-local and metadata targets at registration and at delivery', async () => {
    const { app, ctx, database } = await buildTestApp(engine);
    const r = await startReceiver();
    try {
      for (const url of [
        r.url,
        'http://10.1.2.3/x',
        'http://172.16.0.1/',
        'http://192.168.1.1/',
        'http://169.254.169.254/latest/meta-data',
        'http://100.100.100.200/latest/meta-data',
        'http://0.0.0.0:8080/',
        'http://2130706433/',
        'http://0x7f.1/',
        'http://[::1]:8080/',
        'http://[::ffff:127.0.0.1]/',
        'http://[::ffff:169.254.169.254]/',
        'http://[fe80::1]/',
        'http://[fd00:ec2::254]/',
        'http://localhost:9/x',
      ]) {
        const res = await api(app).post('/api/webhooks', { url, events: ['digest.ready'] });
        expect(res.status, `${url}: ${res.body}`).toBe(400);
        expect(res.json.error.message).toMatch(/^url is refused/);
      }
      // An endpoint stored while private targets were allowed is still refused by a worker that does not allow them.
      const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      await ctx.db.query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ($1, ARRAY['digest.ready'], $2)`, [r.url, secret]);
      await ctx.db.transaction((tx) => enqueueWebhookEvents(tx, [{ type: 'digest.ready', data: {} }]));
      const worker = startWebhookDelivery(ctx.db, { info() {}, error() {} }, { pollMs: 50, timeoutMs: 1000 });
      try {
        await waitFor(async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_attempts')).rows[0].n === 1);
      } finally {
        await worker.stop();
      }
      const attempt = (await ctx.db.query<{ error: string; status_code: number | null }>('SELECT error, status_code FROM webhook_attempts')).rows[0];
      expect(attempt).toEqual({ error: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/), status_code: null });
      expect(r.requests).toHaveLength(0);

      // A name is checked on the addresses the connection would use, at every attempt (DNS rebinding).
      await ctx.db.query(`DELETE FROM webhook_endpoints`);
      await ctx.db.query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ($1, ARRAY['digest.ready'], $2)`, [r.url.replace('127.0.0.1', 'localhost'), secret]);
      await ctx.db.transaction((tx) => enqueueWebhookEvents(tx, [{ type: 'digest.ready', data: {} }]));
      const again = startWebhookDelivery(ctx.db, { info() {}, error() {} }, { pollMs: 50, timeoutMs: 1000 });
      try {
        await waitFor(async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_attempts')).rows[0].n === 1);
      } finally {
        await again.stop();
      }
      const byName = (await ctx.db.query<{ error: string; status_code: number | null }>('SELECT error, status_code FROM webhook_attempts')).rows[0];
      expect(byName).toEqual({ error: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/), status_code: null });
      expect(r.requests).toHaveLength(0);
    } finally {
      await r.close();
      await app.close();
      await database.close();
    }
  });
});

