import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

/** SPEC §5: PATCH /api/links/:id {"disabled": true|false} revokes or restores a tracking link. */
describeEachEngine('revoking a tracked link', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  let appId = '';
  let link: { id: string; tracking_id: string; target_url: string };
  const clicksOf = async (linkId: string) =>
    (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE link_id = $1', [linkId])).rows[0].n;

  beforeAll(async () => {
    const seeded = await seedApplication(t().app, {}, [{ link_type: 'resume' }, { link_type: 'portfolio' }]);
    appId = seeded.application.id;
    link = seeded.links[0];
  });

  it('a new link is enabled, and says so', async () => {
    const listed = await client().get(`/api/applications/${appId}/links`);
    expect(listed.json.links[0]).toMatchObject({ id: link.id, disabled: false, disabled_at: null });
  });

  it('a disabled link answers 404 and records nothing; its old clicks stay; restoring it works again', async () => {
    expect((await click(t().app, link.tracking_id)).statusCode).toBe(302);
    expect(await clicksOf(link.id)).toBe(1);

    const off = await client().patch(`/api/links/${link.id}`, { disabled: true });
    expect(off.status, off.body).toBe(200);
    expect(off.json).toMatchObject({ id: link.id, disabled: true });
    expect(Date.parse(off.json.disabled_at)).not.toBeNaN();

    for (const method of ['GET', 'HEAD'] as const) {
      const res = await click(t().app, link.tracking_id, { method });
      expect(res.statusCode).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    const imported = await client().post('/api/clicks/import', { clicks: [{ tracking_id: link.tracking_id, clicked_at: new Date().toISOString() }] });
    expect(imported.json.imported).toBe(0);
    expect(imported.json.rejected[0].error).toContain('tracking_id');
    expect(await clicksOf(link.id)).toBe(1);
    const analytics = await client().get(`/api/analytics/applications/${appId}`);
    expect(analytics.json.total_clicks).toBe(1);

    // disabling twice keeps the first time
    const again = await client().patch(`/api/links/${link.id}`, { disabled: true });
    expect(again.json.disabled_at).toBe(off.json.disabled_at);

    const on = await client().patch(`/api/links/${link.id}`, { disabled: false });
    expect(on.json).toMatchObject({ disabled: false, disabled_at: null });
    const followed = await click(t().app, link.tracking_id);
    expect(followed.statusCode).toBe(302);
    expect(followed.headers.location).toBe(link.target_url);
    expect(await clicksOf(link.id)).toBe(2);
  });

  it('the other links of the application are not affected', async () => {
    const seeded = await seedApplication(t().app, {}, [{ link_type: 'resume' }, { link_type: 'github' }]);
    await client().patch(`/api/links/${seeded.links[0].id}`, { disabled: true });
    expect((await click(t().app, seeded.links[1].tracking_id)).statusCode).toBe(302);
  });

  it.each([
    [{}, 'disabled is required'],
    [{ disabled: 'yes' }, 'disabled'],
    [{ disabled: 1 }, 'disabled'],
    [{ disabled: true, target_url: 'https://evil.example/' }, "unknown field 'target_url'"],
  ])('a bad body %j is 400 naming the field, and changes nothing', async (body, message) => {
    const res = await client().patch(`/api/links/${link.id}`, body);
    expect(res.status, res.body).toBe(400);
    expect(res.json.error.message).toContain(message);
    const listed = await client().get(`/api/applications/${appId}/links`);
    const now = listed.json.links.find((l: { id: string }) => l.id === link.id);
    expect(now).toMatchObject({ disabled: false, target_url: link.target_url });
  });

  it('a tracking id is not a link id: 400 (malformed), and an unknown link id is 404', async () => {
    expect((await client().patch(`/api/links/${link.tracking_id}`, { disabled: true })).status).toBe(400);
    expect((await client().patch('/api/links/3f1c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f', { disabled: true })).status).toBe(404);
  });
});
