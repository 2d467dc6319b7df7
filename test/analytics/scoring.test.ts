import { describe, expect, it } from 'vitest';
import { computeAnalytics, ENGAGEMENT, getZoneClock, SCORING_VERSION } from '../../src/analytics/scoring/index.js';
import type { LinkType } from '../../src/domain.js';
import type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions } from '../../src/analytics/types.js';

// Helpers are repeated in scoring.properties.test.ts on purpose: each test file stands alone.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPTS: ScoringOptions = { defaultTimezone: 'UTC' };

function app(overrides: Partial<ScoringApplication> = {}): ScoringApplication {
  return { status: 'applied', appliedAt: new Date('2026-11-01T09:00:00Z'), timezone: null, ...overrides };
}

function click(at: Date | string | number, linkId: string, linkType: LinkType, extra: Partial<ScoringClick> = {}): ScoringClick {
  return {
    clickedAt: new Date(at),
    linkId,
    linkType,
    isCalendly: linkType === 'calendly',
    ipHash: 'visitor-1',
    isBot: false,
    ...extra,
  };
}

/** Everything a bot click must not change: the analytics minus the two bot-aware counts. */
function humanView(a: ApplicationAnalytics): Omit<ApplicationAnalytics, 'totalClicks' | 'botClicks'> {
  const { totalClicks: _t, botClicks: _b, ...rest } = a;
  return rest;
}

function sumPoints(factors: readonly { points: number }[]): number {
  return factors.reduce((s, f) => s + f.points, 0);
}

const NOW = new Date('2026-11-25T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('calibration (SPEC §4)', () => {
  it('no human clicks: engagement 0 and intent 0, even with bot clicks', () => {
    for (const clicks of [[], [click(ago(HOUR), 'r', 'resume', { isBot: true }), click(ago(HOUR), 'c', 'calendly', { isBot: true })]]) {
      const a = computeAnalytics(app(), clicks, NOW, OPTS);
      expect(a.engagementScore).toBe(0);
      expect(a.intentScore).toBe(0);
      expect(a.hoursToFirstClick).toBeNull();
      expect(a.firstClickAt).toBeNull();
      expect(a.clickSequence).toEqual([]);
    }
  });

  it('one human click on one resume link: engagement ≤ 40 and intent ≤ 50, however fast and recent', () => {
    // Worst case for engagement: clicked the moment the application was sent, scored at that moment.
    for (const applied of [NOW, ago(HOUR), ago(5 * DAY), ago(90 * DAY)]) {
      for (const at of [applied, ago(0), ago(30 * 60_000)]) {
        if (at < applied) continue;
        const a = computeAnalytics(app({ appliedAt: applied }), [click(at, 'r', 'resume')], NOW, OPTS);
        expect(a.engagementScore).toBeLessThanOrEqual(40);
        expect(a.intentScore).toBeLessThanOrEqual(50);
        expect(a.engagementScore).toBeGreaterThan(0);
      }
    }
  });

  it('three different links each opened twice by humans within the last 48 h: engagement ≥ 70', () => {
    const links = [['r', 'resume'], ['p', 'portfolio'], ['l', 'linkedin']] as const;
    const layouts: Record<string, (link: number, visit: number) => Date> = {
      'different days': (link, visit) => ago((visit === 0 ? 40 : 4) * HOUR + link * 60_000),
      'minutes apart': (link, visit) => ago(10 * 60_000 + link * 60_000 + visit * 3_000),
      'as old as allowed': (link, visit) => ago(48 * HOUR - link * 1000 - visit * 10_000),
    };
    for (const [name, at] of Object.entries(layouts)) {
      // Worst case: applied long ago (no speed points), one visitor or no known address.
      for (const ipHash of ['same-visitor', null]) {
        const clicks = links.flatMap(([id, type], i) => [0, 1].map((v) => click(at(i, v), id, type, { ipHash })));
        const a = computeAnalytics(app({ appliedAt: ago(120 * DAY) }), clicks, NOW, OPTS);
        expect(a.engagementScore, name).toBeGreaterThanOrEqual(70);
      }
    }
  });

  it('a human click on a Calendly link: intent ≥ 80, whether typed calendly or a booking host', () => {
    const variants: ScoringClick[] = [
      click(ago(HOUR), 'c', 'calendly'),
      click(ago(HOUR), 'c', 'other', { isCalendly: true }),
      click(ago(HOUR), 'c', 'website', { isCalendly: true }),
      click(ago(200 * DAY), 'c', 'calendly'),
    ];
    for (const c of variants) {
      const a = computeAnalytics(app({ appliedAt: ago(300 * DAY) }), [c], NOW, OPTS);
      expect(a.intentScore).toBeGreaterThanOrEqual(80);
      expect(a.calendlyClicked).toBe(true);
      expect(a.clickSequence).toEqual(['Calendly']);
    }
  });

  it('adding a human click never lowers engagement or intent at the same moment', () => {
    const base = [click(ago(3 * DAY), 'c', 'calendly', { ipHash: 'x' }), click(ago(2 * DAY), 'r', 'resume', { ipHash: 'y' })];
    const before = computeAnalytics(app(), base, NOW, OPTS);
    for (const extra of [
      click(ago(10 * DAY), 'l', 'linkedin'), // earlier than the first click
      click(ago(HOUR), 'l', 'linkedin'), // a weaker kind
      click(ago(2 * DAY), 'r', 'resume', { ipHash: 'y' }), // an exact repeat
      click(new Date('2026-10-01T00:00:00Z'), 'g', 'github'), // before applying
    ]) {
      const after = computeAnalytics(app(), [...base, extra], NOW, OPTS);
      expect(after.engagementScore).toBeGreaterThanOrEqual(before.engagementScore);
      expect(after.intentScore).toBeGreaterThanOrEqual(before.intentScore);
    }
  });
});

describe('factors', () => {
  it('points add up to engagement, intent and health exactly, and each detail is a sentence', () => {
    const clicks = [
      click(ago(9 * DAY), 'r', 'resume'),
      click(ago(8 * DAY), 'p', 'portfolio', { ipHash: 'v2' }),
      click(ago(2 * HOUR), 'c', 'calendly'),
    ];
    const a = computeAnalytics(app({ status: 'screening' }), clicks, NOW, OPTS);
    expect(sumPoints(a.factors.engagement)).toBe(a.engagementScore);
    expect(sumPoints(a.factors.intent)).toBe(a.intentScore);
    expect(sumPoints(a.factors.health)).toBe(a.healthScore);
    for (const list of Object.values(a.factors)) {
      for (const f of list) {
        expect(f.detail.length).toBeGreaterThan(5);
        expect(Number.isFinite(f.points)).toBe(true);
      }
    }
    expect(a.factors.intent[0]).toMatchObject({ name: 'calendly', points: 85 });
    expect(a.factors.intent[0].detail).toMatch(/^Calendly opened 2 h ago/);
    expect(a.factors.engagement.find((f) => f.name === 'breadth')?.detail).toBe('3 distinct links opened');
  });

  it("a clamped score shows the difference as a 'cap' factor", () => {
    const types = ['calendly', 'portfolio', 'resume', 'github', 'website', 'other', 'linkedin'] as const;
    const a = computeAnalytics(app(), types.map((t) => click(ago(HOUR), t, t)), NOW, OPTS);
    expect(a.intentScore).toBe(100);
    const cap = a.factors.intent.find((f) => f.name === 'cap');
    expect(cap?.points).toBeLessThan(0);
    expect(sumPoints(a.factors.intent)).toBe(100);

    const rejected = computeAnalytics(app({ status: 'rejected' }), [click(ago(HOUR), 'r', 'resume')], NOW, OPTS);
    expect(rejected.healthScore).toBe(0);
    expect(rejected.factors.health.find((f) => f.name === 'cap')?.points).toBeGreaterThan(0);
    expect(sumPoints(rejected.factors.health)).toBe(0);
  });

  it('outcome factors are log-odds that add up to the logit of the probability', () => {
    const a = computeAnalytics(app({ appliedAt: ago(2 * DAY) }), [click(ago(DAY), 'r', 'resume')], NOW, OPTS);
    const logit = Math.log(a.outcomeProbability / (1 - a.outcomeProbability));
    expect(sumPoints(a.factors.outcome)).toBeCloseTo(logit, 1);
    expect(a.factors.outcome[0]).toMatchObject({ name: 'prior', points: -1.99 });
  });

  it('engagement weights add up to 100', () => {
    const max =
      ENGAGEMENT.breadthPerLink * ENGAGEMENT.breadthMaxLinks +
      ENGAGEMENT.repeatPerOpen * ENGAGEMENT.repeatMax +
      ENGAGEMENT.returnDayPoints * ENGAGEMENT.returnDayMax +
      ENGAGEMENT.visitorPoints * ENGAGEMENT.visitorMax +
      ENGAGEMENT.recencyMax +
      ENGAGEMENT.speedMax;
    expect(max).toBe(100);
    expect(SCORING_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });
});

describe('counts, order and the click sequence', () => {
  it('sorts clicks by time then link id, whatever the input order, and uses display names', () => {
    const t = ago(DAY);
    const clicks = [
      click(ago(2 * HOUR), 'z', 'linkedin'),
      click(t, 'b', 'github'),
      click(t, 'a', 'portfolio'),
      click(ago(3 * DAY), 'q', 'other', { isCalendly: true }),
      click(ago(HOUR), 'w', 'website'),
      click(ago(4 * DAY), 'o', 'other'),
      click(ago(5 * DAY), 'r', 'resume'),
    ];
    const a = computeAnalytics(app(), clicks, NOW, OPTS);
    expect(a.clickSequence).toEqual(['Resume', 'Other', 'Calendly', 'Portfolio', 'GitHub', 'LinkedIn', 'Website']);
    expect(a.firstClickAt?.toISOString()).toBe(ago(5 * DAY).toISOString());
    expect(a.lastClickAt?.toISOString()).toBe(ago(HOUR).toISOString());
    expect(a.distinctLinks).toBe(7);
  });

  it('keeps the 50 most recent entries of a long sequence; calendlyClicked stays exact', () => {
    const clicks = [click(ago(20 * DAY), 'c', 'calendly')];
    for (let i = 0; i < 60; i++) clicks.push(click(ago((60 - i) * HOUR), 'r', 'resume'));
    const a = computeAnalytics(app(), clicks, NOW, OPTS);
    expect(a.humanClicks).toBe(61);
    expect(a.clickSequence).toHaveLength(50);
    expect(a.clickSequence.every((s) => s === 'Resume')).toBe(true);
    expect(a.calendlyClicked).toBe(true);
    expect(a.intentScore).toBeGreaterThanOrEqual(80);
  });

  it('counts bots apart and lets them change nothing else', () => {
    const human = [click(ago(2 * DAY), 'r', 'resume', { ipHash: 'h1' }), click(ago(DAY), 'p', 'portfolio', { ipHash: 'h2' })];
    const bots = [
      click(ago(3 * DAY), 'c', 'calendly', { isBot: true, ipHash: 'scanner' }),
      click(ago(3 * DAY), 'g', 'github', { isBot: true, ipHash: 'scanner' }),
      click(ago(10 * 60_000), 'r', 'resume', { isBot: true, ipHash: 'scanner2' }),
    ];
    const plain = computeAnalytics(app(), human, NOW, OPTS);
    const mixed = computeAnalytics(app(), [...bots, ...human], NOW, OPTS);
    expect(mixed.totalClicks).toBe(5);
    expect(mixed.botClicks).toBe(3);
    expect(mixed.humanClicks).toBe(2);
    expect(mixed.uniqueVisitors).toBe(2);
    expect(mixed.calendlyClicked).toBe(false);
    expect(humanView(mixed)).toEqual(humanView(plain));
  });

  it('ignores clicks after `now`, so an earlier `now` gives the analytics as they were then', () => {
    const clicks = [click(ago(3 * DAY), 'r', 'resume'), click(ago(HOUR), 'c', 'calendly'), click(ago(2 * HOUR), 'x', 'other', { isBot: true })];
    const then = ago(2 * DAY);
    const asOfThen = computeAnalytics(app(), clicks, then, OPTS);
    expect(asOfThen.totalClicks).toBe(1);
    expect(asOfThen.calendlyClicked).toBe(false);
    expect(asOfThen.computedAt.toISOString()).toBe(then.toISOString());
    expect(asOfThen).toEqual(computeAnalytics(app(), clicks.slice(0, 1), then, OPTS));
  });

  it('unique visitors are distinct IP hashes of human clicks; unknown addresses are not visitors', () => {
    const clicks = [
      click(ago(HOUR), 'r', 'resume', { ipHash: 'a' }),
      click(ago(HOUR), 'p', 'portfolio', { ipHash: 'a' }),
      click(ago(HOUR), 'g', 'github', { ipHash: 'b' }),
      click(ago(HOUR), 'g', 'github', { ipHash: null }),
      click(ago(HOUR), 'g', 'github', { ipHash: 'c', isBot: true }),
    ];
    expect(computeAnalytics(app(), clicks, NOW, OPTS).uniqueVisitors).toBe(2);
  });
});

describe('hours to first click', () => {
  it('is measured from appliedAt in hours, floored to 2 decimals', () => {
    const applied = new Date('2026-11-20T08:00:00Z');
    const a = computeAnalytics(app({ appliedAt: applied }), [click(applied.getTime() + 100 * 60_000, 'r', 'resume')], NOW, OPTS);
    expect(a.hoursToFirstClick).toBe(1.66); // 100 min = 1.666… h
  });

  it('stays under 2 for a first click one second before the 2 h mark (the urgent_attention threshold)', () => {
    const applied = new Date('2026-11-20T08:00:00Z');
    const a = computeAnalytics(app({ appliedAt: applied }), [click(applied.getTime() + 2 * 3_600_000 - 1000, 'r', 'resume')], NOW, OPTS);
    expect(a.hoursToFirstClick).toBe(1.99);
    expect(a.hoursToFirstClick! < 2).toBe(true);
  });

  it('counts from the first human click at or after appliedAt: null when every click precedes it, and without human clicks', () => {
    const applied = new Date('2026-11-20T08:00:00Z');
    const early = computeAnalytics(app({ appliedAt: applied }), [click(applied.getTime() - HOUR, 'r', 'resume')], NOW, OPTS);
    expect(early.hoursToFirstClick).toBeNull();
    expect(early.humanClicks).toBe(1);
    const both = computeAnalytics(app({ appliedAt: applied }), [click(applied.getTime() - HOUR, 'r', 'resume'), click(applied.getTime() + 3 * HOUR, 'p', 'portfolio')], NOW, OPTS);
    expect(both.hoursToFirstClick).toBe(3);
    const bot = computeAnalytics(app({ appliedAt: applied }), [click(NOW, 'r', 'resume', { isBot: true })], NOW, OPTS);
    expect(bot.hoursToFirstClick).toBeNull();
  });
});

describe('time zones and DST', () => {
  const features = (zone: string | null, at: string, defaultTimezone = 'UTC') => {
    const a = computeAnalytics(app({ timezone: zone }), [click(at, 'r', 'resume')], new Date('2026-12-31T00:00:00Z'), { defaultTimezone });
    return { weekend: a.weekendClicks, business: a.businessHoursClicks };
  };

  it('America/New_York around the spring change (2026-03-08)', () => {
    const ny = 'America/New_York';
    expect(features(ny, '2026-03-08T04:30:00Z')).toEqual({ weekend: 1, business: 0 }); // Sat 23:30 EST
    expect(features(ny, '2026-03-09T04:30:00Z')).toEqual({ weekend: 0, business: 0 }); // Mon 00:30 EDT (EST would say Sunday)
    expect(features(ny, '2026-03-09T13:30:00Z')).toEqual({ weekend: 0, business: 1 }); // Mon 09:30 EDT (EST would say 08:30)
    expect(features(ny, '2026-03-09T22:30:00Z')).toEqual({ weekend: 0, business: 0 }); // Mon 18:30 EDT
    expect(features(ny, '2026-03-06T14:00:00Z')).toEqual({ weekend: 0, business: 1 }); // Fri 09:00 EST
    expect(features(ny, '2026-03-06T13:59:59Z')).toEqual({ weekend: 0, business: 0 }); // Fri 08:59:59 EST
    expect(features(ny, '2026-03-08T07:30:00Z')).toEqual({ weekend: 1, business: 0 }); // Sun 03:30 EDT, just after the gap
  });

  it('Europe/Berlin around the autumn change (2026-10-25)', () => {
    const berlin = 'Europe/Berlin';
    expect(features(berlin, '2026-10-23T07:30:00Z')).toEqual({ weekend: 0, business: 1 }); // Fri 09:30 CEST
    expect(features(berlin, '2026-10-25T22:30:00Z')).toEqual({ weekend: 1, business: 0 }); // Sun 23:30 CET (CEST would say Monday)
    expect(features(berlin, '2026-10-26T07:30:00Z')).toEqual({ weekend: 0, business: 0 }); // Mon 08:30 CET (CEST would say 09:30)
    expect(features(berlin, '2026-10-26T16:59:00Z')).toEqual({ weekend: 0, business: 1 }); // Mon 17:59 CET
    expect(features(berlin, '2026-10-26T17:00:00Z')).toEqual({ weekend: 0, business: 0 }); // Mon 18:00 CET
  });

  it('the repeated hour of an autumn change is one local day', () => {
    const clicks = [click('2026-10-25T00:30:00Z', 'r', 'resume'), click('2026-10-25T01:30:00Z', 'p', 'portfolio')]; // 02:30 CEST, 02:30 CET
    const berlin = computeAnalytics(app({ timezone: 'Europe/Berlin' }), clicks, NOW, OPTS);
    expect(berlin.weekendClicks).toBe(2);
    expect(berlin.factors.engagement.find((f) => f.name === 'return_days')?.points).toBe(0);
    // In Honolulu the same instants are Saturday 14:30 and 15:30: still one day, still weekend.
    const hawaii = computeAnalytics(app({ timezone: 'Pacific/Honolulu' }), clicks, NOW, OPTS);
    expect(hawaii.weekendClicks).toBe(2);
  });

  it("uses the application's zone, else the default, and falls back to UTC for an invalid zone", () => {
    const at = '2026-11-27T23:30:00Z'; // Friday 23:30 UTC, Saturday 08:30 in Tokyo, Friday 18:30 in New York
    expect(features('Asia/Tokyo', at).weekend).toBe(1);
    expect(features(null, at, 'Asia/Tokyo').weekend).toBe(1);
    expect(features(null, at).weekend).toBe(0);
    expect(features('America/New_York', '2026-11-27T22:59:00Z').business).toBe(1); // 17:59 local
    expect(() => features('Not/AZone', at)).not.toThrow();
    expect(features('Not/AZone', at)).toEqual({ weekend: 0, business: 0 });
    expect(features('', '2026-11-28T12:00:00Z')).toEqual({ weekend: 1, business: 0 });
    expect(features(null, '2026-11-28T12:00:00Z', 'Mars/Olympus')).toEqual({ weekend: 1, business: 0 });
    expect(getZoneClock('Not/AZone').zone).toBe('UTC');
  });

  it('half-hour offsets and half-hour DST shifts are handled (Lord Howe, Kathmandu)', () => {
    // Lord Howe moves from +10:30 to +11:00 at 02:00 local on 2026-10-04 (15:30 UTC on 10-03).
    const lh = getZoneClock('Australia/Lord_Howe');
    expect(lh.offsetAt(Date.parse('2026-10-03T15:29:00Z'))).toBe(10.5 * HOUR);
    expect(lh.offsetAt(Date.parse('2026-10-03T15:31:00Z'))).toBe(11 * HOUR);
    expect(getZoneClock('Asia/Kathmandu').offsetAt(Date.parse('2026-06-01T00:00:00Z'))).toBe(5.75 * HOUR);
  });
});

describe('health and predicted outcome', () => {
  it('starts a fresh application without clicks at the prior, in review', () => {
    const a = computeAnalytics(app({ appliedAt: NOW }), [], NOW, OPTS);
    expect(a.outcomeProbability).toBe(0.12);
    expect(a.predictedOutcome).toBe('in_review');
    expect(a.healthScore).toBeGreaterThan(0);
  });

  it('stalls, then becomes unlikely, as silence grows', () => {
    const a14 = computeAnalytics(app({ appliedAt: ago(15 * DAY) }), [], NOW, OPTS);
    expect(a14.predictedOutcome).toBe('stalled');
    const a40 = computeAnalytics(app({ appliedAt: ago(40 * DAY) }), [], NOW, OPTS);
    expect(a40.predictedOutcome).toBe('unlikely');
    expect(a40.outcomeProbability).toBeGreaterThan(0);
    const a10 = computeAnalytics(app({ appliedAt: ago(10 * DAY) }), [], NOW, OPTS);
    expect(a10.healthScore).toBeGreaterThan(a14.healthScore);
    expect(a40.healthScore).toBe(0);
    expect(a40.factors.health.find((f) => f.name === 'silence')?.detail).toBe('no human click in the 40 days since applying');
  });

  it('a Calendly visit makes an interview likely; status overrides the clicks', () => {
    const clicks = [click(ago(2 * HOUR), 'c', 'calendly'), click(ago(DAY), 'r', 'resume')];
    expect(computeAnalytics(app(), clicks, NOW, OPTS).predictedOutcome).toBe('interview_likely');
    for (const status of ['interviewing', 'offer', 'accepted'] as const) {
      const a = computeAnalytics(app({ status }), [], NOW, OPTS);
      expect(a.predictedOutcome).toBe('interview_likely');
      expect(a.outcomeProbability).toBeGreaterThan(0.8);
      expect(a.outcomeProbability).toBeLessThan(1);
    }
    for (const status of ['rejected', 'withdrawn', 'ghosted'] as const) {
      const a = computeAnalytics(app({ status }), clicks, NOW, OPTS);
      expect(a.predictedOutcome).toBe('unlikely');
      expect(a.outcomeProbability).toBeGreaterThan(0);
      expect(a.outcomeProbability).toBeLessThan(0.1);
      expect(a.healthScore).toBe(0);
    }
    expect(computeAnalytics(app({ status: 'draft' }), [], NOW, OPTS).predictedOutcome).toBe('stalled');
  });

  it('a status further along raises health', () => {
    const clicks = [click(ago(DAY), 'r', 'resume')];
    const applied = computeAnalytics(app({ status: 'applied', appliedAt: ago(30 * DAY) }), clicks, NOW, OPTS).healthScore;
    const screening = computeAnalytics(app({ status: 'screening', appliedAt: ago(30 * DAY) }), clicks, NOW, OPTS).healthScore;
    expect(screening).toBeGreaterThan(applied);
  });
});

describe('robustness', () => {
  it('never throws on invalid dates, unknown link types or zones', () => {
    const weird = [
      click(Number.NaN, 'r', 'resume'),
      click(ago(HOUR), 'x', 'nonsense' as never),
      click(ago(HOUR), 'y', 'toString' as never),
    ];
    const a = computeAnalytics(app({ appliedAt: new Date(Number.NaN), timezone: 'Nope/Nope' }), weird, NOW, OPTS);
    expect(a.totalClicks).toBe(2);
    expect(a.clickSequence).toEqual(['Other', 'Other']);
    expect(a.hoursToFirstClick).toBeNull();
    for (const s of [a.engagementScore, a.intentScore, a.healthScore]) expect(Number.isInteger(s)).toBe(true);
  });
});
