import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases.js';
import { api, click, seedApplication, useTestApp } from './helpers/test-app.js';

describeEachEngine('smoke', (engine) => {
  const t = useTestApp(engine);
  it('creates an application, a link, and follows it', async () => {
    const { links } = await seedApplication(t().app);
    const res = await click(t().app, links[0].tracking_id);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(links[0].target_url);
    const rows = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks');
    expect(rows.rows[0].n).toBe(1);
    expect((await api(t().app).get('/api/applications')).json.total).toBe(1);
  });
});
