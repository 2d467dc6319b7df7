import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, click, seedApplication, useTestApp } from '../helpers/test-app.js';

describeEachEngine('rate limit on /api', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_API_RATE_LIMIT: '5' });

  it('answers 429 with the error shape once a client passes the limit, wrong keys included', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t().app.inject({ method: 'GET', url: '/api/applications', headers: { 'x-api-key': i % 2 ? TEST_API_KEY : 'wrong-key-guess-000' }, remoteAddress: '198.51.100.20' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('too many requests') } });
        // the real wait of the one-minute window, not a made-up second
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(1);
      }
    }
    expect(statuses.slice(0, 5).every((s) => s === 200 || s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // another client is not affected
    const other = await t().app.inject({ method: 'GET', url: '/api/applications', headers: { 'x-api-key': TEST_API_KEY }, remoteAddress: '198.51.100.21' });
    expect(other.statusCode).toBe(200);
  });

  it('counts a percent-encoded spelling of an /api path like the plain one (the limit is on the matched route)', async () => {
    const statuses: number[] = [];
    for (const url of ['/%61pi/applications', '/ap%69/applications', '/api/%61pplications', '/%61%70%69/applications', '/api/applications', '/%61pi/applications']) {
      const res = await t().app.inject({ method: 'GET', url, headers: { 'x-api-key': TEST_API_KEY }, remoteAddress: '198.51.100.30' });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('limits /metrics too, wrong keys included, so keys cannot be guessed there without a limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t().app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${i % 2 ? TEST_API_KEY : 'guess'}` }, remoteAddress: '198.51.100.40' });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5).every((s) => s === 200 || s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('never limits tracked links: every click is stored', async () => {
    const { links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }]);
    for (let i = 0; i < 12; i++) expect((await click(t().app, links[0].tracking_id, { ip: '198.51.100.22' })).statusCode).toBe(302);
    const n = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE link_id = $1', [links[0].id]);
    expect(n.rows[0].n).toBe(12);
  });
});
