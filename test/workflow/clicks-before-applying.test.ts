/**
 * Issue 7, item 7 (SPEC §5): hours_to_first_click counts from applied_at to the first human
 * click at or after it. The README tour walked into the bug: an application created now, then
 * a past click imported, fired a critical, overdue urgent_attention ("first click came 0 min
 * after applying").
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { computeAnalytics } from '../../src/analytics/index.js';
import { evaluateTriggers } from '../../src/workflow/rules/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import { DAY, HOUR, createScenario, importClicks, processTriggers, triggerRows } from '../helpers/workflow.js';

describeEachEngine('clicks dated before applied_at', (engine) => {
  const t = useTestApp(engine);

  it('an imported click from before applying counts for engagement but fires no urgent_attention (the README tour)', async () => {
    const s = await createScenario(t().app, {}, ['resume']); // applied now
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: Date.now() - DAY }]);
    const fired = await processTriggers(t().app, s.id);
    expect(fired.triggers_fired.map((x) => x.type)).not.toContain('urgent_attention');
    const a = (await api(t().app).get(`/api/analytics/applications/${s.id}`)).json;
    expect(a).toMatchObject({ human_clicks: 1, hours_to_first_click: null });
    expect(a.first_click_at).not.toBeNull();
    expect(a.engagement_score).toBeGreaterThan(0);
    expect((await triggerRows(t().ctx.db, s.id)).map((r) => r.trigger_type)).not.toContain('urgent_attention');
  });

  it('the first click at or after applied_at is the one that counts: a live click an hour after applying is urgent', async () => {
    const appliedAt = new Date(Date.now() - HOUR);
    const s = await createScenario(t().app, { applied_at: appliedAt.toISOString() }, ['resume', 'portfolio']);
    await importClicks(t().app, [{ tracking_id: s.link.portfolio, at: appliedAt.getTime() - 3 * DAY }]);
    expect((await click(t().app, s.link.resume)).statusCode).toBe(302);
    const fired = await processTriggers(t().app, s.id);
    const urgent = fired.triggers_fired.find((x) => x.type === 'urgent_attention');
    expect(urgent).toBeDefined();
    const a = (await api(t().app).get(`/api/analytics/applications/${s.id}`)).json;
    expect(a.hours_to_first_click).toBeGreaterThanOrEqual(0.99);
    expect(a.hours_to_first_click).toBeLessThan(1.1);
    // the deadline counts from the click that made the condition true, not from the old one
    expect(Date.parse(urgent!.condition_met_at)).toBeGreaterThan(appliedAt.getTime());
  });
});

it('property: clicks dated before applied_at never make urgent_attention, whatever their number, links and times', () => {
  const appliedAt = new Date('2026-03-10T12:00:00Z');
  const now = new Date('2026-03-20T12:00:00Z');
  const kinds = ['resume', 'portfolio', 'linkedin', 'github', 'calendly', 'website', 'other'] as const;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ before: fc.integer({ min: 1, max: 30 * 24 * 60 }), kind: fc.constantFrom(...kinds), link: fc.integer({ min: 0, max: 4 }) }),
        { minLength: 1, maxLength: 12 },
      ),
      (specs) => {
        const clicks = specs.map((c, i) => ({
          id: String(i),
          linkId: `l${c.link}`,
          linkType: c.kind,
          isCalendly: c.kind === 'calendly',
          clickedAt: new Date(appliedAt.getTime() - c.before * 60_000),
          isBot: false,
          ipHash: 'v1',
        }));
        const app = { status: 'applied' as const, appliedAt, timezone: 'UTC' };
        const opts = { defaultTimezone: 'UTC' };
        expect(computeAnalytics(app, clicks, now, opts).hoursToFirstClick).toBeNull();
        const fired = evaluateTriggers(app, clicks, [], computeAnalytics, opts, { now });
        expect(fired.map((f) => f.type)).not.toContain('urgent_attention');
      },
    ),
    { numRuns: 300 },
  );
});
