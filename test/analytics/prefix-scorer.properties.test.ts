import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAnalytics } from '../../src/analytics/scoring/index.js';
import { createPrefixScorer } from '../../src/analytics/scoring/prefix-scorer.js';
import type { ScoringApplication, ScoringClick, ScoringOptions } from '../../src/analytics/types.js';
import { APPLICATION_STATUSES, LINK_TYPES } from '../../src/domain.js';
import { TRIGGER_TYPES, evaluateTriggers, type EvaluatedClick, type TriggerState } from '../../src/workflow/rules/index.js';

const OPTS: ScoringOptions = { defaultTimezone: 'Europe/Berlin' };
const APPLIED = Date.parse('2025-03-20T09:00:00Z'); // DST changes in the window (Europe, US)
const pick = (a: ReturnType<typeof computeAnalytics>) => ({
  engagementScore: a.engagementScore,
  intentScore: a.intentScore,
  healthScore: a.healthScore,
  hoursToFirstClick: a.hoursToFirstClick,
  weekendClicks: a.weekendClicks,
  humanClicks: a.humanClicks,
  clickSequence: a.clickSequence,
  calendlyClicked: a.calendlyClicked,
});

const appArb: fc.Arbitrary<ScoringApplication> = fc.record({
  status: fc.constantFrom(...APPLICATION_STATUSES),
  // Some clicks come before applying (imported history).
  appliedAt: fc.integer({ min: -3, max: 3 }).map((d) => new Date(APPLIED + d * 86_400_000)),
  timezone: fc.constantFrom(null, 'UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Not/AZone'),
});
// 10-minute grid over 20 days so instants are shared; a few links so repeats and ties on links happen.
const clicksArb: fc.Arbitrary<EvaluatedClick[]> = fc
  .array(
    fc.record({
      k: fc.integer({ min: 0, max: 20 * 24 * 6 }),
      link: fc.integer({ min: 0, max: 4 }),
      type: fc.constantFrom(...LINK_TYPES),
      ip: fc.constantFrom('a', 'b', 'c', null),
      isBot: fc.boolean(),
      booking: fc.boolean(),
    }),
    { maxLength: 60 },
  )
  .map((raw) =>
    raw.map((c, i) => ({
      id: String(1000 + i),
      clickedAt: new Date(APPLIED - 2 * 86_400_000 + c.k * 600_000),
      linkId: `link-${c.link}`,
      linkType: c.type,
      isCalendly: c.type === 'calendly' || c.booking,
      ipHash: c.ip,
      isBot: c.isBot,
    })),
  );

describe('prefix scorer (the trigger rules’ scorer) equals computeAnalytics', () => {
  it('on every prefix, in order, as evaluateTriggers asks for them', () => {
    fc.assert(
      fc.property(appArb, clicksArb, (app, clicks) => {
        const humans = clicks.filter((c) => !c.isBot).sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime() || (a.id < b.id ? -1 : 1));
        const scorer = createPrefixScorer();
        for (let end = 0; end <= humans.length; end++) {
          const prefix = humans.slice(0, end);
          const now = new Date(end === 0 ? APPLIED : humans[end - 1].clickedAt.getTime());
          expect(scorer(app, prefix, now, OPTS)).toEqual(pick(computeAnalytics(app, prefix, now, OPTS)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('on arbitrary calls (going back, clicks after now, bots mixed in)', () => {
    const callArb = fc.record({ end: fc.nat(60), nowShift: fc.integer({ min: -86_400_000, max: 86_400_000 }) });
    fc.assert(
      fc.property(appArb, clicksArb, fc.array(callArb, { maxLength: 8 }), (app, clicks, calls) => {
        const sorted = [...clicks].sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime() || (a.id < b.id ? -1 : 1));
        const scorer = createPrefixScorer();
        for (const call of calls) {
          const prefix: ScoringClick[] = sorted.slice(0, Math.min(call.end, sorted.length));
          const base = prefix.length > 0 ? prefix[prefix.length - 1].clickedAt.getTime() : APPLIED;
          const now = new Date(base + call.nowShift);
          expect(scorer(app, prefix, now, OPTS)).toEqual(pick(computeAnalytics(app, prefix, now, OPTS)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('evaluateTriggers fires the same triggers with either scorer', () => {
    const statesArb: fc.Arbitrary<TriggerState[]> = fc
      .tuple(...TRIGGER_TYPES.map((type) => fc.option(fc.record({ type: fc.constant(type), open: fc.boolean(), lastProcessedAt: fc.option(fc.integer({ min: 0, max: 20 * 24 }).map((h) => new Date(APPLIED + h * 3_600_000))) }))))
      .map((xs) => xs.filter((x): x is TriggerState => x !== null));
    fc.assert(
      fc.property(appArb, clicksArb, statesArb, (app, clicks, states) => {
        const now = new Date(APPLIED + 15 * 86_400_000);
        const expected = evaluateTriggers(app, clicks, states, computeAnalytics, OPTS, { now });
        expect(evaluateTriggers(app, clicks, states, createPrefixScorer(), OPTS, { now })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
