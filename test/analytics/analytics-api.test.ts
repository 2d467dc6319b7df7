/**
 * GET /api/analytics/applications/:id through the HTTP API (SPEC §4): every field, the time
 * zone rules, the calibration a user can rely on, bot clicks counted but never scored, and
 * the scores that GET /api/applications/:id carries once the read model has them.
 */
import { describe, expect, it } from 'vitest';
import { PREDICTED_OUTCOMES } from '../../src/domain.js';
import { describeEachEngine } from '../helpers/databases.js';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { api, click, testConfig, useTestApp } from '../helpers/test-app.js';
import {
  BOT_UA,
  DAY,
  HOUR,
  MINUTE,
  createScenario,
  importClicks,
  iso,
  mondayEarlyUtc,
  processTriggers,
  wednesdayAfternoonUtc,
  analyticsRow,
} from '../helpers/workflow.js';

const SCORE_FIELDS = ['engagement_score', 'intent_score', 'health_score'] as const;

function expectWellFormed(a: Record<string, any>) {
  for (const f of SCORE_FIELDS) {
    expect(Number.isInteger(a[f]), f).toBe(true);
    expect(a[f]).toBeGreaterThanOrEqual(0);
    expect(a[f]).toBeLessThanOrEqual(100);
  }
  expect(PREDICTED_OUTCOMES).toContain(a.predicted_outcome);
  expect(a.outcome_probability).toBeGreaterThanOrEqual(0);
  expect(a.outcome_probability).toBeLessThanOrEqual(1);
  for (const part of ['engagement', 'intent', 'health'] as const) {
    const factors = a.factors[part] as { name: string; points: number; detail: string }[];
    expect(factors.length, part).toBeGreaterThan(0);
    for (const f of factors) {
      expect(typeof f.name).toBe('string');
      expect(Number.isInteger(f.points), `${part}.${f.name} points`).toBe(true);
      expect(f.detail.trim().length, `${part}.${f.name} detail`).toBeGreaterThan(3);
    }
    // The parts a person reads add up to the score they see.
    expect(factors.reduce((s, f) => s + f.points, 0), `${part} factors sum`).toBe(a[`${part}_score`]);
  }
  expect(Array.isArray(a.factors.outcome)).toBe(true);
}

describeEachEngine('GET /api/analytics/applications/:id', (engine) => {
  const t = useTestApp(engine);
  const get = async (id: string) => {
    const res = await api(t().app).get(`/api/analytics/applications/${id}`);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };

  it('answers every SPEC §4 field: counts, visitors, ordered click_sequence, first click, hours to it, weekend clicks in the application zone, scores and factors', async () => {
    // Monday 02:00 UTC is Sunday evening in New York: a weekend click there, not in UTC.
    const mon = mondayEarlyUtc(26);
    const s = await createScenario(
      t().app,
      { applied_at: iso(mon.getTime() - 3.5 * HOUR), timezone: 'America/New_York' },
      ['resume', 'portfolio', 'calendly'],
    );
    // Imported out of order: the sequence must come back in time order.
    await importClicks(t().app, [
      { tracking_id: s.link.calendly, at: mon.getTime() + 11 * HOUR, ip: '198.51.100.7' },
      { tracking_id: s.link.resume, at: mon, ip: '198.51.100.7' },
      { tracking_id: s.link.resume, at: mon.getTime() + 12 * HOUR, ip: '203.0.113.99' },
      { tracking_id: s.link.portfolio, at: mon.getTime() + 10 * HOUR, ip: '198.51.100.7' },
      { tracking_id: s.link.portfolio, at: mon.getTime() + 5 * HOUR, ua: BOT_UA },
    ]);
    const a = await get(s.id);
    expect(a).toMatchObject({
      total_clicks: 5,
      human_clicks: 4,
      bot_clicks: 1,
      unique_visitors: 2,
      click_sequence: ['Resume', 'Portfolio', 'Calendly', 'Resume'],
      first_click_at: iso(mon),
      hours_to_first_click: 3.5,
      weekend_clicks: 1,
    });
    expectWellFormed(a);
    // A Calendly click is the strongest intent signal; the factors say so in words.
    expect(a.intent_score).toBeGreaterThanOrEqual(80);
    const calendly = a.factors.intent.find((f: { name: string }) => f.name === 'calendly');
    expect(calendly.detail).toMatch(/Calendly opened .* ago/);
    const breadth = a.factors.engagement.find((f: { name: string }) => f.name === 'breadth');
    expect(breadth.detail).toBe('3 distinct links opened');
  });

  it('counts weekend clicks in the application zone, not in UTC', async () => {
    const mon = mondayEarlyUtc(2);
    const ny = await createScenario(t().app, { applied_at: iso(mon.getTime() - DAY), timezone: 'America/New_York' });
    const utc = await createScenario(t().app, { applied_at: iso(mon.getTime() - DAY), timezone: 'UTC' });
    await importClicks(t().app, [
      { tracking_id: ny.link.resume, at: mon },
      { tracking_id: utc.link.resume, at: mon },
    ]);
    expect((await get(ny.id)).weekend_clicks).toBe(1);
    expect((await get(utc.id)).weekend_clicks).toBe(0);
  });

  describe('calibration (SPEC §4)', () => {
    it('no human clicks: engagement 0, intent 0, no first click', async () => {
      const s = await createScenario(t().app);
      const a = await get(s.id);
      expect(a).toMatchObject({
        total_clicks: 0,
        human_clicks: 0,
        bot_clicks: 0,
        unique_visitors: 0,
        click_sequence: [],
        first_click_at: null,
        hours_to_first_click: null,
        weekend_clicks: 0,
        engagement_score: 0,
        intent_score: 0,
      });
      expectWellFormed(a);
    });

    it('one human click on one resume link: engagement ≤ 40, intent ≤ 50', async () => {
      const s = await createScenario(t().app);
      expect((await click(t().app, s.link.resume)).statusCode).toBe(302);
      const a = await get(s.id);
      expect(a.human_clicks).toBe(1);
      expect(a.engagement_score).toBeGreaterThan(0);
      expect(a.engagement_score).toBeLessThanOrEqual(40);
      expect(a.intent_score).toBeGreaterThan(0);
      expect(a.intent_score).toBeLessThanOrEqual(50);
    });

    it('three different links each opened twice within the last 48 hours: engagement ≥ 70', async () => {
      const now = Date.now();
      const s = await createScenario(t().app, { applied_at: iso(now - 3 * DAY) }, ['resume', 'github', 'linkedin']);
      const hoursAgo = [40, 30, 20, 10, 5, 1];
      const types = ['resume', 'github', 'linkedin', 'resume', 'github', 'linkedin'];
      await importClicks(t().app, types.map((type, i) => ({ tracking_id: s.link[type], at: now - hoursAgo[i] * HOUR })));
      const a = await get(s.id);
      expect(a.human_clicks).toBe(6);
      expect(a.engagement_score).toBeGreaterThanOrEqual(70);
    });

    it('a human click on a Calendly link, or on a known booking host, gives intent ≥ 80', async () => {
      const s = await createScenario(t().app, {}, [
        'calendly',
        { link_type: 'website', target_url: 'https://calendly.com/jane-doe/30min' },
      ]);
      await click(t().app, s.links[0].tracking_id);
      expect((await get(s.id)).intent_score).toBeGreaterThanOrEqual(80);

      const host = await createScenario(t().app, {}, [{ link_type: 'website', target_url: 'https://cal.com/jane/intro' }]);
      await click(t().app, host.links[0].tracking_id);
      const a = await get(host.id);
      expect(a.click_sequence).toEqual(['Calendly']);
      expect(a.intent_score).toBeGreaterThanOrEqual(80);
    });

    it('adding a human click does not lower engagement or intent', async () => {
      const now = Date.now();
      const s = await createScenario(t().app, { applied_at: iso(now - 5 * DAY) }, ['resume', 'linkedin', 'portfolio']);
      await importClicks(t().app, [
        { tracking_id: s.link.portfolio, at: now - 3 * DAY },
        { tracking_id: s.link.resume, at: now - 2 * HOUR },
      ]);
      const before = await get(s.id);
      await importClicks(t().app, [{ tracking_id: s.link.linkedin, at: now - 30 * HOUR }]);
      const after = await get(s.id);
      expect(after.human_clicks).toBe(3);
      expect(after.engagement_score).toBeGreaterThanOrEqual(before.engagement_score);
      expect(after.intent_score).toBeGreaterThanOrEqual(before.intent_score);
    });
  });

  it('bot clicks (bot user agent, HEAD, scanner burst) are counted in bot_clicks and change no score', async () => {
    const anchor = wednesdayAfternoonUtc(6);
    const input = { applied_at: iso(anchor.getTime() - 30 * HOUR), timezone: 'UTC' };
    const humanClicks = (s: Awaited<ReturnType<typeof createScenario>>) => [
      { tracking_id: s.link.resume, at: anchor, ip: '198.51.100.7' },
      { tracking_id: s.link.portfolio, at: anchor.getTime() + 20 * MINUTE, ip: '198.51.100.8' },
      { tracking_id: s.link.resume, at: anchor.getTime() + 2 * HOUR, ip: '198.51.100.7' },
    ];
    const plain = await createScenario(t().app, input, ['resume', 'portfolio', 'calendly']);
    const withBots = await createScenario(t().app, input, ['resume', 'portfolio', 'calendly']);
    await importClicks(t().app, [...humanClicks(plain), ...humanClicks(withBots)]);

    const burstAt = anchor.getTime() + 3 * HOUR;
    await importClicks(t().app, [
      // a crawler opens the booking page
      { tracking_id: withBots.link.calendly, at: anchor.getTime() + 1 * HOUR, ua: BOT_UA, ip: '192.0.2.1' },
      // a mail scanner opens every link within a second, with a browser user agent, from three addresses
      { tracking_id: withBots.link.calendly, at: burstAt, ip: '192.0.2.10' },
      { tracking_id: withBots.link.portfolio, at: burstAt + 400, ip: '192.0.2.11' },
      { tracking_id: withBots.link.resume, at: burstAt + 900, ip: '192.0.2.12' },
    ]);
    // a link checker sends HEAD
    expect((await click(t().app, withBots.link.calendly, { method: 'HEAD' })).statusCode).toBe(302);

    const a = await get(plain.id);
    const b = await get(withBots.id);
    expect(a.bot_clicks).toBe(0);
    expect(b.bot_clicks).toBe(5);
    expect(b.total_clicks).toBe(a.total_clicks + 5);
    const comparable = (x: Record<string, unknown>) => {
      const { application_id: _a, total_clicks: _t, bot_clicks: _b, computed_at: _c, ...rest } = x;
      return rest;
    };
    expect(comparable(b)).toEqual(comparable(a));
    expect(b.click_sequence).toEqual(['Resume', 'Portfolio', 'Resume']);
    expect(b.unique_visitors).toBe(2);
  });

  it('unknown id: 404; malformed id: 400 naming it (SPEC §6)', async () => {
    const unknown = await api(t().app).get('/api/analytics/applications/6f1c1e9e-4a8b-4c6e-9d0a-1b2c3d4e5f60');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    for (const id of ['not-a-uuid', '1', "'; DROP TABLE link_clicks; --"]) {
      const res = await api(t().app).get(`/api/analytics/applications/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(400);
      expect(res.json.error).toEqual({ code: 'invalid_input', message: 'id must be a UUID' });
    }
  });

  it('GET /api/applications/:id includes the scores once the read model has the application', async () => {
    const s = await createScenario(t().app, {}, ['calendly']);
    await click(t().app, s.link.calendly);
    const before = await api(t().app).get(`/api/applications/${s.id}`);
    expect(before.status).toBe(200);
    expect(before.json.scores).toBeNull();

    await processTriggers(t().app, s.id);
    const after = await api(t().app).get(`/api/applications/${s.id}`);
    const row = await analyticsRow(t().ctx.db, s.id);
    expect(after.json.scores).toEqual({
      engagement_score: row.engagement_score,
      intent_score: row.intent_score,
      health_score: row.health_score,
      predicted_outcome: row.predicted_outcome,
      outcome_probability: row.outcome_probability,
      computed_at: row.computed_at.toISOString(),
    });
    expect(after.json.scores.intent_score).toBeGreaterThanOrEqual(80);
    // The list shows the same scores.
    const list = await api(t().app).get('/api/applications?limit=100');
    expect(list.json.applications.find((x: { id: string }) => x.id === s.id).scores).toEqual(after.json.scores);
  });

  it('weekend clicks fall back to HIREPULSE_TIMEZONE: an application without a zone is judged there, one with a zone in its own', async () => {
    // The same database served by an app configured with HIREPULSE_TIMEZONE=America/New_York.
    const ny = await buildApp(
      createAppContext(testConfig({ HIREPULSE_TIMEZONE: 'America/New_York' }), t().ctx.db, createMetrics()),
      { logger: false },
    );
    try {
      const mon = mondayEarlyUtc(2); // Sunday evening in New York
      const noZone = await createScenario(ny, { applied_at: iso(mon.getTime() - DAY) });
      const utcZone = await createScenario(ny, { applied_at: iso(mon.getTime() - DAY), timezone: 'UTC' });
      expect(noZone.application.timezone).toBeNull();
      await importClicks(ny, [
        { tracking_id: noZone.link.resume, at: mon },
        { tracking_id: utcZone.link.resume, at: mon },
      ]);
      expect((await api(ny).get(`/api/analytics/applications/${noZone.id}`)).json.weekend_clicks).toBe(1);
      expect((await api(ny).get(`/api/analytics/applications/${utcZone.id}`)).json.weekend_clicks).toBe(0);
      // the default (UTC) app sees the zone-less application's click on a Monday
      expect((await get(noZone.id)).weekend_clicks).toBe(0);
    } finally {
      await ny.close();
    }
  });
});
