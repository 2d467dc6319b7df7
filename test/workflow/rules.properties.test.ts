import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAnalytics } from '../../src/analytics/scoring/index.js';
import type { ScoringApplication, ScoringOptions } from '../../src/analytics/types.js';
import { APPLICATION_STATUSES, LINK_TYPES, TRIGGER_PRIORITIES } from '../../src/domain.js';
import {
  TRIGGER_RULES,
  TRIGGER_TYPES,
  cleanText,
  compareUrgency,
  computePriorityScore,
  evaluateTriggers,
  pickMostUrgent,
  recommendedAction,
  type EvaluatedClick,
  type Scorer,
  type TriggerState,
} from '../../src/workflow/rules/index.js';

const HOUR = 3_600_000;
const OPTS: ScoringOptions = { defaultTimezone: 'UTC' };
const APPLIED = Date.parse('2025-10-06T09:00:00Z');
const scorer: Scorer = computeAnalytics;
const RUNS = { numRuns: 150 };

const appArb: fc.Arbitrary<ScoringApplication> = fc.record({
  status: fc.constantFrom('applied', 'screening', 'interviewing', 'offer'),
  appliedAt: fc.constant(new Date(APPLIED)),
  timezone: fc.constantFrom(null, 'UTC', 'Asia/Tokyo', 'America/Los_Angeles'),
});

// Click times on a 10-minute grid over 12 days after applying, so ties happen.
const timeArb = fc.integer({ min: 0, max: 12 * 24 * 6 }).map((k) => APPLIED + k * 10 * 60_000);
const clickArb = (isBot: fc.Arbitrary<boolean>) =>
  fc.record({
    clickedAt: timeArb.map((t) => new Date(t)),
    linkType: fc.constantFrom(...LINK_TYPES),
    ipHash: fc.constantFrom('ip-a', 'ip-b', 'ip-c', null),
    isBot,
    booking: fc.boolean(),
  });
const withIds = (prefix: string, raw: { clickedAt: Date; linkType: (typeof LINK_TYPES)[number]; ipHash: string | null; isBot: boolean; booking: boolean }[]): EvaluatedClick[] =>
  raw.map((c, i) => ({
    id: `${prefix}${String(i).padStart(3, '0')}`,
    clickedAt: c.clickedAt,
    linkType: c.linkType,
    linkId: `link-${c.linkType}`,
    isCalendly: c.linkType === 'calendly' || (c.linkType === 'website' && c.booking),
    ipHash: c.ipHash,
    isBot: c.isBot,
  }));
const clicksArb = fc.array(clickArb(fc.boolean()), { maxLength: 30 }).map((r) => withIds('h', r));
const botsArb = fc.array(clickArb(fc.constant(true)), { minLength: 1, maxLength: 15 }).map((r) => withIds('b', r));

const statesArb: fc.Arbitrary<TriggerState[]> = fc
  .tuple(
    ...TRIGGER_TYPES.map((type) =>
      fc.oneof(
        fc.constant(null),
        fc.record({ type: fc.constant(type), open: fc.boolean(), lastProcessedAt: fc.option(timeArb.map((t) => new Date(t))) }),
      ),
    ),
  )
  .map((list) => list.filter((s): s is TriggerState => s !== null));

describe('evaluateTriggers properties (real scorer)', () => {
  it('adding bot clicks never changes the result', () => {
    fc.assert(
      fc.property(appArb, clicksArb, botsArb, statesArb, (app, clicks, bots, states) => {
        const base = evaluateTriggers(app, clicks, states, scorer, OPTS);
        const mixed = evaluateTriggers(app, [...bots, ...clicks, ...bots.slice(0, 3)], states, scorer, OPTS);
        expect(mixed).toEqual(base);
      }),
      RUNS,
    );
  });

  it('deadlines never move: later clicks or a later evaluation keep every fired conditionMetAt and deadline', () => {
    fc.assert(
      fc.property(appArb, clicksArb, timeArb, statesArb, (app, clicks, cutoff, states) => {
        const early = clicks.filter((c) => c.clickedAt.getTime() <= cutoff);
        const before = evaluateTriggers(app, early, states, scorer, OPTS);
        const after = evaluateTriggers(app, clicks, states, scorer, OPTS, { now: new Date(cutoff + 30 * 24 * HOUR) });
        for (const f of before) {
          const g = after.find((x) => x.type === f.type);
          expect(g).toEqual(f);
        }
      }),
      RUNS,
    );
  });

  it('fires per the rules: once per type, at a human click, deadline = conditionMetAt + offset, respecting open/processed', () => {
    fc.assert(
      fc.property(appArb, clicksArb, statesArb, (app, clicks, states) => {
        const fired = evaluateTriggers(app, clicks, states, scorer, OPTS);
        expect(new Set(fired.map((f) => f.type)).size).toBe(fired.length);
        const humanTimes = new Set(clicks.filter((c) => !c.isBot).map((c) => c.clickedAt.getTime()));
        for (const f of fired) {
          const rule = TRIGGER_RULES.find((r) => r.type === f.type)!;
          const state = states.find((s) => s.type === f.type);
          expect(humanTimes.has(f.conditionMetAt.getTime())).toBe(true);
          expect(f.deadline?.getTime() ?? null).toBe(rule.deadlineAfterMs === null ? null : f.conditionMetAt.getTime() + rule.deadlineAfterMs);
          expect(f).toMatchObject({ priority: rule.priority, action: rule.action, ruleVersion: rule.version });
          expect(state?.open ?? false).toBe(false);
          const clicked = clicks.find((c) => c.id === f.clickId);
          expect(clicked?.isBot).toBe(false);
          expect(clicked?.clickedAt).toEqual(f.conditionMetAt);
          const analytics = computeAnalytics(app, clicks, f.conditionMetAt, OPTS);
          expect(rule.condition(analytics)).toBe(true);
          if (state?.lastProcessedAt) {
            expect(f.type).not.toBe('urgent_attention');
            expect(f.conditionMetAt.getTime()).toBeGreaterThan(state.lastProcessedAt.getTime());
            if (f.type === 'interview_preparation') expect(clicked?.isCalendly).toBe(true);
          } else {
            // First firing: the condition held at no earlier human click.
            for (const t of humanTimes) {
              if (t < f.conditionMetAt.getTime()) expect(rule.condition(computeAnalytics(app, clicks, new Date(t), OPTS))).toBe(false);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on the order clicks arrive in', () => {
    fc.assert(
      fc.property(appArb, clicksArb, statesArb, (app, clicks, states) => {
        expect(evaluateTriggers(app, [...clicks].reverse(), states, scorer, OPTS)).toEqual(evaluateTriggers(app, clicks, states, scorer, OPTS));
      }),
      { numRuns: 50 },
    );
  });
});

describe('priority and urgency properties', () => {
  const scoreArb = fc.integer({ min: 0, max: 100 });
  const now = new Date('2025-10-14T12:00:00Z');
  const deadlineArb = fc.option(fc.integer({ min: -200 * HOUR, max: 200 * HOUR }).map((d) => new Date(now.getTime() + d)));

  it('priority score is an integer 0–100, never lower with more engagement, intent or a nearer deadline', () => {
    fc.assert(
      fc.property(scoreArb, scoreArb, deadlineArb, fc.constantFrom(...APPLICATION_STATUSES), fc.integer({ min: 0, max: 100 * HOUR }), (e, i, deadline, status, sooner) => {
        const r = computePriorityScore({ engagementScore: e, intentScore: i, deadline, status, now });
        expect(Number.isInteger(r.score) && r.score >= 0 && r.score <= 100).toBe(true);
        expect(r.timeSensitivity).toBeGreaterThanOrEqual(0);
        expect(r.timeSensitivity).toBeLessThanOrEqual(100);
        const more = computePriorityScore({ engagementScore: Math.min(100, e + 1), intentScore: Math.min(100, i + 1), deadline, status, now });
        expect(more.score).toBeGreaterThanOrEqual(r.score);
        if (deadline) {
          const nearer = computePriorityScore({ engagementScore: e, intentScore: i, deadline: new Date(deadline.getTime() - sooner), status, now });
          expect(nearer.timeSensitivity).toBeGreaterThanOrEqual(r.timeSensitivity);
        }
      }),
    );
  });

  it('pickMostUrgent ignores input order and returns an item no other item beats', () => {
    const itemArb = fc.record({
      type: fc.constantFrom(...TRIGGER_TYPES, 'zz_other'),
      priority: fc.constantFrom(...TRIGGER_PRIORITIES),
      deadline: fc.option(fc.integer({ min: 0, max: 5 }).map((h) => new Date(now.getTime() + h * HOUR))),
    });
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 8 }), (items) => {
        const best = pickMostUrgent(items)!;
        for (const x of items) expect(compareUrgency(best, x)).toBeLessThanOrEqual(0);
        const shuffled = [...items].reverse();
        expect(compareUrgency(pickMostUrgent(shuffled)!, best)).toBe(0);
      }),
    );
  });

  it('recommended actions never carry control characters from user text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.option(fc.string({ unit: 'binary' })), fc.constantFrom(...TRIGGER_TYPES), (company, jobTitle, contactName, type) => {
        const s = recommendedAction(type, { company, jobTitle, contactName, deadline: now, timeZone: 'UTC' });
        // eslint-disable-next-line no-control-regex
        expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        expect(Array.from(cleanText(company)).length).toBeLessThanOrEqual(120);
      }),
    );
  });
});
