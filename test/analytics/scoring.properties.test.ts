import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAnalytics, getZoneClock } from '../../src/analytics/scoring/index.js';
import { APPLICATION_STATUSES, LINK_TYPES } from '../../src/domain.js';
import type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions } from '../../src/analytics/types.js';

// Helpers are repeated from scoring.test.ts on purpose: each test file stands alone.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPTS: ScoringOptions = { defaultTimezone: 'Europe/Berlin' };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const ZONES = [null, 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Invalid/Zone'] as const;

interface Scenario {
  app: ScoringApplication;
  clicks: ScoringClick[];
  now: Date;
  linkCount: number;
}

const linkArb = fc.record({
  linkType: fc.constantFrom(...LINK_TYPES),
  // About one link in ten of another type sits on a booking host.
  bookingHost: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const clickSpecArb = fc.record({
  link: fc.nat(),
  /** From appliedAt; some clicks precede it, some come after `now` (and must be ignored). */
  offset: fc.integer({ min: -2 * DAY, max: 130 * DAY }),
  visitor: fc.option(fc.constantFrom('ip-a', 'ip-b', 'ip-c', 'ip-d'), { nil: null }),
  isBot: fc.boolean(),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    appliedAt: fc.integer({ min: T0, max: T0 + 200 * DAY }),
    nowOffset: fc.integer({ min: 0, max: 120 * DAY }),
    status: fc.constantFrom(...APPLICATION_STATUSES),
    timezone: fc.constantFrom(...ZONES),
    links: fc.array(linkArb, { minLength: 1, maxLength: 7 }),
    clicks: fc.array(clickSpecArb, { maxLength: 60 }),
  })
  .map(({ appliedAt, nowOffset, status, timezone, links, clicks }) => ({
    app: { status, appliedAt: new Date(appliedAt), timezone },
    now: new Date(appliedAt + nowOffset),
    linkCount: links.length,
    clicks: clicks.map((c) => {
      const i = c.link % links.length;
      const link = links[i];
      return {
        clickedAt: new Date(appliedAt + c.offset),
        linkId: `link-${i}`,
        linkType: link.linkType,
        isCalendly: link.linkType === 'calendly' || link.bookingHost,
        ipHash: c.visitor,
        isBot: c.isBot,
      };
    }),
  }));

/** A click at or before `now` on one of the links or on a new one. */
function extraClickArb(s: Scenario, isBot: boolean): fc.Arbitrary<ScoringClick> {
  const earliest = s.app.appliedAt.getTime() - 2 * DAY;
  return fc
    .record({
      link: fc.integer({ min: 0, max: 7 }),
      linkType: fc.constantFrom(...LINK_TYPES),
      at: fc.integer({ min: Math.min(earliest, s.now.getTime()), max: s.now.getTime() }),
      visitor: fc.option(fc.constantFrom('ip-a', 'ip-z'), { nil: null }),
    })
    .map(({ link, linkType, at, visitor }) => {
      const existing = s.clicks.find((c) => c.linkId === `link-${link}`);
      return {
        clickedAt: new Date(at),
        linkId: `link-${link}`,
        linkType: existing?.linkType ?? linkType,
        isCalendly: existing?.isCalendly ?? linkType === 'calendly',
        ipHash: visitor,
        isBot,
      };
    });
}

const run = (s: Scenario, clicks = s.clicks) => computeAnalytics(s.app, clicks, s.now, OPTS);

function humanView(a: ApplicationAnalytics): Omit<ApplicationAnalytics, 'totalClicks' | 'botClicks'> {
  const { totalClicks: _t, botClicks: _b, ...rest } = a;
  return rest;
}

const sumPoints = (factors: readonly { points: number }[]) => factors.reduce((s, f) => s + f.points, 0);

describe('scoring properties', () => {
  it('scores are integers in 0–100, the probability lies strictly inside (0, 1), factors add up', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = run(s);
        for (const score of [a.engagementScore, a.intentScore, a.healthScore]) {
          expect(Number.isInteger(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
        }
        expect(a.outcomeProbability).toBeGreaterThan(0);
        expect(a.outcomeProbability).toBeLessThan(1);
        expect(Math.round(a.outcomeProbability * 100) / 100).toBe(a.outcomeProbability);
        expect(sumPoints(a.factors.engagement)).toBe(a.engagementScore);
        expect(sumPoints(a.factors.intent)).toBe(a.intentScore);
        expect(sumPoints(a.factors.health)).toBe(a.healthScore);
        for (const f of Object.values(a.factors).flat()) expect(Number.isFinite(f.points)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('counts are consistent with the clicks at or before now', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = run(s);
        const seen = s.clicks.filter((c) => c.clickedAt <= s.now);
        const human = seen.filter((c) => !c.isBot);
        expect(a.totalClicks).toBe(seen.length);
        expect(a.humanClicks).toBe(human.length);
        expect(a.botClicks).toBe(seen.length - human.length);
        expect(a.clickSequence).toHaveLength(Math.min(50, human.length));
        expect(a.calendlyClicked).toBe(human.some((c) => c.isCalendly));
        expect(a.uniqueVisitors).toBe(new Set(human.map((c) => c.ipHash).filter((h) => h !== null)).size);
        expect(a.weekendClicks + a.businessHoursClicks).toBeLessThanOrEqual(a.humanClicks);
        if (human.length === 0) {
          expect(a.engagementScore).toBe(0);
          expect(a.intentScore).toBe(0);
          expect(a.hoursToFirstClick).toBeNull();
        } else if (human.some((c) => c.clickedAt >= s.app.appliedAt)) {
          expect(a.hoursToFirstClick).toBeGreaterThanOrEqual(0);
        } else {
          // every human click predates applied_at: they count, but not as a first answer (SPEC §5)
          expect(a.hoursToFirstClick).toBeNull();
        }
      }),
    );
  });

  it('adding a human click never lowers engagement or intent at the same now', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) => fc.tuple(fc.constant(s), extraClickArb(s, false))),
        ([s, extra]) => {
          const before = run(s);
          const after = run(s, [...s.clicks, extra]);
          expect(after.engagementScore).toBeGreaterThanOrEqual(before.engagementScore);
          expect(after.intentScore).toBeGreaterThanOrEqual(before.intentScore);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('bot clicks never change any score, factor or human feature', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) => fc.tuple(fc.constant(s), fc.array(extraClickArb(s, true), { minLength: 1, maxLength: 10 }))),
        ([s, bots]) => {
          const withoutBots = run(s, s.clicks.filter((c) => !c.isBot));
          const withBots = run(s, [...bots, ...s.clicks]);
          expect(humanView(withBots)).toEqual(humanView(withoutBots));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the order of the input does not matter', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray(s.clicks, { minLength: s.clicks.length, maxLength: s.clicks.length })),
        ),
        ([s, shuffled]) => {
          expect(run(s, shuffled)).toEqual(run(s));
        },
      ),
    );
  });

  it('as of an earlier now, clicks after it are as good as absent', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(run(s)).toEqual(run(s, s.clicks.filter((c) => c.clickedAt <= s.now)));
      }),
    );
  });

  it('local time agrees with Intl for any instant in 2025–2027, across DST changes', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Kathmandu'];
    const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const reference = new Map(
      zones.map((z) => [z, new Intl.DateTimeFormat('en-US', { timeZone: z, weekday: 'short', hour: 'numeric', hourCycle: 'h23' })]),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        (zone, ms) => {
          const parts = reference.get(zone)!.formatToParts(ms);
          const local = getZoneClock(zone).localTime(ms);
          expect(weekdays[local.weekday]).toBe(parts.find((p) => p.type === 'weekday')?.value);
          expect(local.hour).toBe(Number(parts.find((p) => p.type === 'hour')?.value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
