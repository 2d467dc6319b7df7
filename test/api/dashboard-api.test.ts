import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

describeEachEngine('API routes the dashboard uses', (engine) => {
  const t = useTestApp(engine);

  describe('POST /api/applications/import (CSV)', () => {
    it('imports the good rows and reports each refused row with its line and reason', async () => {
      const csv = [
        'company,job_title,status,contact_email,applied_at',
        'Acme,Engineer,applied,dana@acme.example,',
        ',No Company,applied,,',
        'Globex,Analyst,sleeping,,',
        'Initech,Developer,,,2020-01-02T09:00:00Z',
      ].join('\n');
      const res = await api(t().app).post('/api/applications/import', { csv });
      expect(res.status, res.body).toBe(200);
      expect(res.json.imported).toBe(2);
      expect(res.json.rows.map((r: { line: number; ok: boolean }) => [r.line, r.ok])).toEqual([
        [2, true],
        [3, false],
        [4, false],
        [5, true],
      ]);
      expect(res.json.rows[1].error).toMatch(/company/);
      expect(res.json.rows[2].error).toMatch(/status/);
      const made = await api(t().app).get(`/api/applications/${res.json.rows[3].id}`);
      expect(made.json).toMatchObject({ company: 'Initech', applied_at: '2020-01-02T09:00:00.000Z' });
    });

    it('refuses what is not CSV, an empty file, and unknown fields (400), importing nothing', async () => {
      const before = (await api(t().app).get('/api/applications?limit=1')).json.total;
      for (const body of [{ csv: 'company,job_title\n"unclosed,quote' }, { csv: 'company,job_title\n' }, { csv: '' }, { csv: 'a', extra: 1 }, {}]) {
        const res = await api(t().app).post('/api/applications/import', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error.code).toBe('invalid_input');
      }
      expect((await api(t().app).get('/api/applications?limit=1')).json.total).toBe(before);
    });
  });

  describe('GET /api/applications/:id/clicks', () => {
    it('lists clicks newest first with the verdict and the reasons, never an address', async () => {
      const { application, links } = await seedApplication(t().app, { company: 'Clicky' }, [{ link_type: 'resume' }, { link_type: 'github' }]);
      await click(t().app, links[0].tracking_id);
      await click(t().app, links[1].tracking_id, { method: 'HEAD' });
      const res = await api(t().app).get(`/api/applications/${application.id}/clicks`);
      expect(res.status).toBe(200);
      const [newest, oldest] = res.json.clicks;
      expect(oldest).toMatchObject({ link_type: 'resume', link_label: 'Resume', is_bot: false, reasons: [], source: 'live' });
      expect(newest).toMatchObject({ link_type: 'github', is_bot: true, reasons: ['head_request'] });
      expect(res.body).not.toContain('203.0.113.7');
      expect(res.body).not.toContain('ip_hash');
      expect((await api(t().app).get('/api/applications/3f1c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f/clicks')).status).toBe(404);
      expect((await api(t().app).get(`/api/applications/${application.id}/clicks?limit=0`)).status).toBe(400);
    });
  });

  describe('GET /api/settings', () => {
    it('says what is configured in words, and never a secret', async () => {
      const res = await api(t().app).get('/api/settings');
      expect(res.status).toBe(200);
      expect(res.json.service.map((s: { name: string }) => s.name)).toContain('Database');
      expect(res.json.integrations.every((i: { configured: boolean }) => i.configured === false)).toBe(true);
      expect(res.json.session).toBeNull(); // asked with the key, not a session
      expect(res.body).not.toContain(TEST_API_KEY);
      expect(res.body).not.toContain('test-ip-hash-secret');
    });
  });
});

describeEachEngine('GET /api/settings with integrations set up', (engine) => {
  const t = useTestApp(engine, { CALENDLY_WEBHOOK_SIGNING_KEY: 'calendly-signing-key-0123456789', HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
  const integration = async (name: string) =>
    ((await api(t().app).get('/api/settings')).json.integrations as { name: string; configured: boolean; status: string }[]).find((i) => i.name === name);

  it('says which booking sources are received, never their keys', async () => {
    const res = await api(t().app).get('/api/settings');
    expect(res.body).not.toContain('calendly-signing-key-0123456789');
    expect(await integration('Booking integration (Calendly, Cal.com)')).toMatchObject({ configured: true, status: expect.stringContaining('Calendly (POST /hooks/calendly)') });
    expect((await integration('Booking integration (Calendly, Cal.com)'))?.status).not.toContain('Cal.com (POST');
  });

  it('counts the webhook endpoints, and one stopped by a 410 is told apart', async () => {
    expect(await integration('Outbound webhooks')).toMatchObject({ configured: false, status: expect.stringContaining('No endpoint registered') });
    const created = await api(t().app).post('/api/webhooks', { url: 'http://127.0.0.1:9/a', events: ['trigger.fired'] });
    expect(created.status, created.body).toBe(201);
    await api(t().app).post('/api/webhooks', { url: 'http://127.0.0.1:9/b', events: ['trigger.fired'] });
    expect(await integration('Outbound webhooks')).toMatchObject({ configured: true, status: expect.stringMatching(/^2 active endpoints\./) });
    await t().ctx.db.query(`UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'answered 410 Gone' WHERE id = $1`, [created.json.id]);
    expect(await integration('Outbound webhooks')).toMatchObject({ configured: true, status: expect.stringMatching(/^1 active endpoint; 1 stopped after answering 410 Gone\./) });
  });
});

describeEachEngine('POST /api/demo', (engine) => {
  const t = useTestApp(engine);
  it('loads the sample searches into an empty database, once', async () => {
    const res = await api(t().app).post('/api/demo');
    expect(res.status, res.body).toBe(200);
    expect(res.json.applications).toBe(10);
    expect(res.json.clicks).toBeGreaterThan(10);
    expect(res.json.queued).toBeGreaterThanOrEqual(3);
    const queue = await api(t().app).get('/api/analytics/priority-queue');
    expect(queue.json.total_pending).toBe(res.json.queued);
    const again = await api(t().app).post('/api/demo');
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conflict');
    expect((await api(t().app).get('/api/applications?limit=1')).json.total).toBe(10);
    expect((await api(t().app).post('/api/demo', { rows: 5 })).status).toBe(400);
  });
});

describe('GET /api/events (Server-Sent Events) [pglite]', () => {
  const t = useTestApp('pglite');
  it('needs the key or a session like every /api route', async () => {
    const res = await t().app.inject({ url: '/api/events' });
    expect(res.statusCode).toBe(401);
  });
  it('streams a change event when a click arrives, and ends its streams when the app closes', async () => {
    const { links } = await seedApplication(t().app, { company: 'Live' });
    await t().app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t().app.server.address() as { port: number };
    const received: string[] = [];
    const ended = new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { 'x-api-key': TEST_API_KEY } }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => received.push(chunk));
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    await expect.poll(() => received.join('')).toContain('retry:');
    await new Promise((r) => setTimeout(r, 1_200)); // one poll: the watcher's baseline is read
    await click(t().app, links[0].tracking_id);
    await expect.poll(() => received.join(''), { timeout: 5_000 }).toContain('event: change');
    await t().app.close();
    expect(await ended).toBe(200);
  });

});
