import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, click, seedApplication, useTestApp } from '../helpers/test-app.js';

const gauge = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describeEachEngine('/metrics state gauges', (engine) => {
  const t = useTestApp(engine);

  it('reports the recalculation backlog and the queue from the database at scrape time', async () => {
    const before = await t().app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(before.statusCode).toBe(200);
    expect(before.headers['content-type']).toContain('text/plain');
    expect(gauge(before.body, 'hirepulse_recalc_backlog')).toBe(0);
    expect(gauge(before.body, 'hirepulse_queue_pending')).toBe(0);

    const { links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }]);
    expect((await click(t().app, links[0].tracking_id)).statusCode).toBe(302);
    // The test app runs no worker: the click's recalculation mark is waiting.
    const after = await t().app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(gauge(after.body, 'hirepulse_recalc_backlog')).toBe(1);
    expect(gauge(after.body, 'hirepulse_clicks_recorded_total{source="live",bot="false"}')).toBe(1);
    expect(after.body).toContain('hirepulse_redirect_duration_seconds_bucket');
  });
});
