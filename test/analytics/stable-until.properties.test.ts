import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAnalytics } from '../../src/analytics/scoring/index.js';
import { scoresStableUntil } from '../../src/analytics/scoring/stable-until.js';
import type { ScoringApplication, ScoringOptions } from '../../src/analytics/types.js';
import { APPLICATION_STATUSES, LINK_TYPES } from '../../src/domain.js';
import { computePriorityScore } from '../../src/workflow/rules/index.js';

const OPTS: ScoringOptions = { defaultTimezone: 'UTC' };
const DAY = 86_400_000;
const T0 = Date.parse('2025-05-01T00:00:00Z');

const appArb: fc.Arbitrary<ScoringApplication> = fc.record({
  status: fc.constantFrom(...APPLICATION_STATUSES),
  appliedAt: fc.integer({ min: 0, max: 40 * 24 }).map((h) => new Date(T0 + h * 3_600_000)),
  timezone: fc.constantFrom(null, 'Asia/Kolkata', 'America/New_York'),
});
const clicksArb = fc.array(
  fc.record({ h: fc.integer({ min: 0, max: 60 * 24 }), link: fc.integer({ min: 0, max: 3 }), type: fc.constantFrom(...LINK_TYPES), isBot: fc.boolean() }),
  { maxLength: 25 },
);

describe('scoresStableUntil', () => {
  it('no score, label, probability or priority changes before the moment it gives', () => {
    fc.assert(
      fc.property(
        appArb,
        clicksArb,
        fc.integer({ min: 0, max: 70 * 24 }),
        fc.option(fc.integer({ min: -5 * 24, max: 10 * 24 })),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (app, raw, nowH, deadlineH, fractions) => {
          const now = new Date(T0 + nowH * 3_600_000);
          const clicks = raw.map((c, i) => ({
            clickedAt: new Date(T0 + c.h * 3_600_000 + i),
            linkId: `l${c.link}`,
            linkType: c.type,
            isCalendly: c.type === 'calendly',
            ipHash: `ip${i % 3}`,
            isBot: c.isBot,
          }));
          const deadline = deadlineH === null ? null : new Date(now.getTime() + deadlineH * 3_600_000);
          const priorityAt = (s: { engagementScore: number; intentScore: number }, at: Date) =>
            computePriorityScore({ engagementScore: s.engagementScore, intentScore: s.intentScore, deadline, status: app.status, now: at }).score;
          const until = scoresStableUntil(app, clicks, now, OPTS, { priorityAt }).getTime();
          expect(until).toBeGreaterThanOrEqual(now.getTime());
          const view = (t: number) => {
            const a = computeAnalytics(app, clicks, new Date(t), OPTS);
            return [a.engagementScore, a.intentScore, a.healthScore, a.outcomeProbability, a.predictedOutcome, priorityAt(a, new Date(t))];
          };
          const base = view(now.getTime());
          for (const f of fractions) {
            const t = now.getTime() + Math.floor(f * (until - now.getTime()));
            if (t < until) expect(view(t)).toEqual(base);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a moment within a factor of four of the first change (not always "now")', () => {
    // Applied 10 days ago, one click 3 days ago: recency is decaying, so the scores change within days.
    const now = new Date(T0 + 20 * DAY);
    const app: ScoringApplication = { status: 'applied', appliedAt: new Date(T0 + 10 * DAY), timezone: null };
    const clicks = [{ clickedAt: new Date(T0 + 17 * DAY), linkId: 'a', linkType: 'resume' as const, isCalendly: false, ipHash: 'x', isBot: false }];
    const until = scoresStableUntil(app, clicks, now, OPTS).getTime();
    const firstChange = (() => {
      const base = computeAnalytics(app, clicks, now, OPTS);
      for (let t = now.getTime(); ; t += 60_000) {
        const a = computeAnalytics(app, clicks, new Date(t), OPTS);
        if (a.engagementScore !== base.engagementScore || a.healthScore !== base.healthScore || a.outcomeProbability !== base.outcomeProbability || a.predictedOutcome !== base.predictedOutcome) return t;
      }
    })();
    expect(until).toBeLessThan(firstChange);
    expect(until - now.getTime()).toBeGreaterThanOrEqual((firstChange - now.getTime()) / 4 - 60_000);
  });
});
