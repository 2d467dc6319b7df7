/**
 * Issue 14: a bound on API work in flight (HIREPULSE_API_MAX_IN_FLIGHT). An /api flood gets clean
 * 503s with Retry-After, the tracked links keep answering 302 with their clicks stored, and the
 * bound frees itself once the flood is over.
 */
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, api, click, seedApplication, testConfig, useTestApp } from '../helpers/test-app.js';

describeEachEngine('overload', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_API_MAX_IN_FLIGHT: '2' });

  it('an /api flood gets 503 + Retry-After past the bound; /t/ keeps answering; the bound frees itself', async () => {
    const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }]);
    const flood = Array.from({ length: 16 }, (_, i) =>
      t().app.inject({
        method: i % 2 ? 'POST' : 'GET',
        url: i % 2 ? '/api/analytics/process-triggers' : '/api/applications',
        headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' },
        payload: i % 2 ? '{}' : undefined,
      }),
    );
    const clicks = Array.from({ length: 10 }, () => click(t().app, links[0].tracking_id));
    const [apiAnswers, clickAnswers] = await Promise.all([Promise.all(flood), Promise.all(clicks)]);

    expect(clickAnswers.map((r) => r.statusCode)).toEqual(Array(10).fill(302));
    const statuses = apiAnswers.map((r) => r.statusCode);
    expect(statuses.every((s) => s === 200 || s === 503), statuses.join()).toBe(true);
    const refused = apiAnswers.filter((r) => r.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json().error).toMatchObject({ code: 'unavailable' });
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);

    const stored = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [application.id]);
    expect(stored.rows[0].n).toBe(10);
    // Over: one at a time, every request is served again (nothing leaked from the counter).
    for (let i = 0; i < 5; i++) expect((await api(t().app).get('/api/applications')).status).toBe(200);
  });
});

describe('HIREPULSE_API_MAX_IN_FLIGHT', () => {
  it('defaults to 64 and takes 0 for no bound', () => {
    expect(testConfig().apiMaxInFlight).toBe(64);
    expect(testConfig({ HIREPULSE_API_MAX_IN_FLIGHT: '0' }).apiMaxInFlight).toBe(0);
    expect(() => testConfig({ HIREPULSE_API_MAX_IN_FLIGHT: 'many' })).toThrow(/HIREPULSE_API_MAX_IN_FLIGHT/);
  });
});
