import { describe, expect, it } from 'vitest';
import type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions } from '../../src/analytics/types.js';
import { computeAnalytics } from '../../src/analytics/scoring/index.js';
import { LINK_DISPLAY_NAMES, type LinkType } from '../../src/domain.js';
import {
  RULES_VERSION,
  TRIGGER_RULES,
  adviceWithoutTrigger,
  cleanText,
  computePriorityScore,
  evaluateTriggers,
  pickMostUrgent,
  priorityRank,
  recommendedAction,
  type EvaluatedClick,
  type Scorer,
  type TriggerAnalytics,
  type TriggerState,
  type TriggerType,
} from '../../src/workflow/rules/index.js';

const HOUR = 3_600_000;
const OPTS: ScoringOptions = { defaultTimezone: 'UTC' };
// Monday 6 Oct 2025, 09:00 UTC.
const APPLIED = new Date('2025-10-06T09:00:00Z');
const app: ScoringApplication & { id: string } = { id: 'app-1', status: 'applied', appliedAt: APPLIED, timezone: null };

let seq = 0;
function click(at: Date | number | string, over: Partial<EvaluatedClick> = {}): EvaluatedClick {
  const linkType: LinkType = over.linkType ?? 'resume';
  seq += 1;
  return {
    id: `c${String(seq).padStart(4, '0')}`,
    clickedAt: new Date(at),
    linkId: `link-${linkType}`,
    linkType,
    isCalendly: linkType === 'calendly',
    ipHash: 'ip-1',
    isBot: false,
    ...over,
  };
}
const afterApply = (hours: number) => APPLIED.getTime() + hours * HOUR;

/**
 * A scorer whose numbers are easy to predict, to pin down the evaluator's own logic:
 * engagement = 10 per human click (so the 7th click reaches 70), weekend by UTC day.
 */
const countingScorer: Scorer = (application, clicks, now) => {
  const human = clicks.filter((c) => !c.isBot && c.clickedAt <= now);
  const first = human.reduce<Date | null>((m, c) => (m === null || c.clickedAt < m ? c.clickedAt : m), null);
  const calendly = human.some((c) => c.isCalendly);
  return {
    engagementScore: Math.min(100, 10 * human.length),
    intentScore: calendly ? 80 : Math.min(50, 10 * human.length),
    healthScore: 50,
    hoursToFirstClick: first === null ? null : (first.getTime() - application.appliedAt.getTime()) / HOUR,
    weekendClicks: human.filter((c) => [0, 6].includes(c.clickedAt.getUTCDay())).length,
    humanClicks: human.length,
    clickSequence: [...human].sort((a, b) => +a.clickedAt - +b.clickedAt).map((c) => LINK_DISPLAY_NAMES[c.linkType]),
    calendlyClicked: calendly,
  };
};

function evaluate(clicks: EvaluatedClick[], states: TriggerState[] = [], scorer: Scorer = countingScorer) {
  return evaluateTriggers(app, clicks, states, scorer, OPTS);
}
const byType = (fired: ReturnType<typeof evaluate>, type: TriggerType) => fired.find((f) => f.type === type);
const processed = (type: TriggerType, at: Date | number | string): TriggerState => ({
  type,
  lastProcessedAt: new Date(at),
  open: false,
});

describe('trigger rules as data', () => {
  it('has the four SPEC rules with versions', () => {
    expect(RULES_VERSION).toBe('v1');
    expect(TRIGGER_RULES.map((r) => [r.type, r.priority, r.action, r.deadlineAfterMs, r.version])).toEqual([
      ['high_engagement_followup', 'high', 'send_personalized_email', 24 * HOUR, 'v1'],
      ['interview_preparation', 'high', 'prepare_interview_materials', 12 * HOUR, 'v1'],
      ['urgent_attention', 'critical', 'flag_for_review', 4 * HOUR, 'v1'],
      ['weekend_interest', 'low', 'note_personal_interest', null, 'v1'],
    ]);
  });
});

describe('evaluateTriggers: each condition fires with priority, action and a deadline from the click', () => {
  it('high_engagement_followup at the first click with engagement >= 70, deadline +24 h from that click', () => {
    const clicks = Array.from({ length: 9 }, (_, i) => click(afterApply(10 + i)));
    const fired = byType(evaluate(clicks), 'high_engagement_followup');
    const seventh = clicks[6].clickedAt.getTime();
    expect(fired).toMatchObject({ priority: 'high', action: 'send_personalized_email', ruleVersion: 'v1' });
    expect(fired?.conditionMetAt.getTime()).toBe(seventh);
    expect(fired?.deadline?.getTime()).toBe(seventh + 24 * HOUR);
    expect(fired?.clickId).toBe(clicks[6].id);
    expect(fired?.inputs).toMatchObject({ engagementScore: 70, humanClicks: 7 });
  });

  it('does not fire high_engagement_followup below 70', () => {
    const clicks = Array.from({ length: 6 }, (_, i) => click(afterApply(10 + i)));
    expect(byType(evaluate(clicks), 'high_engagement_followup')).toBeUndefined();
  });

  it('interview_preparation at the Calendly click, deadline +12 h', () => {
    const clicks = [click(afterApply(5)), click(afterApply(8), { linkType: 'calendly' }), click(afterApply(9))];
    const fired = byType(evaluate(clicks), 'interview_preparation');
    expect(fired).toMatchObject({ priority: 'high', action: 'prepare_interview_materials', clickId: clicks[1].id });
    expect(fired?.conditionMetAt).toEqual(new Date(afterApply(8)));
    expect(fired?.deadline).toEqual(new Date(afterApply(8 + 12)));
    expect(fired?.inputs.clickSequenceTail).toEqual(['Resume', 'Calendly']);
  });

  it('interview_preparation for a booking host link that is not of type calendly', () => {
    const clicks = [click(afterApply(5), { linkType: 'website', isCalendly: true })];
    expect(byType(evaluate(clicks), 'interview_preparation')?.conditionMetAt).toEqual(new Date(afterApply(5)));
  });

  it('urgent_attention when the first human click is under 2 h after applying, deadline +4 h', () => {
    const clicks = [click(afterApply(1.5)), click(afterApply(30))];
    const fired = byType(evaluate(clicks), 'urgent_attention');
    expect(fired).toMatchObject({ priority: 'critical', action: 'flag_for_review', clickId: clicks[0].id });
    expect(fired?.conditionMetAt).toEqual(new Date(afterApply(1.5)));
    expect(fired?.deadline).toEqual(new Date(afterApply(5.5)));
    expect(fired?.inputs.hoursToFirstClick).toBe(1.5);
  });

  it('no urgent_attention at exactly 2 h or later', () => {
    expect(byType(evaluate([click(afterApply(2))]), 'urgent_attention')).toBeUndefined();
    expect(byType(evaluate([click(afterApply(3)), click(afterApply(3.5))]), 'urgent_attention')).toBeUndefined();
  });

  it('weekend_interest at the first weekend click, low, without deadline', () => {
    const saturday = new Date('2025-10-11T10:00:00Z');
    const clicks = [click(afterApply(5)), click(saturday)];
    const fired = byType(evaluate(clicks), 'weekend_interest');
    expect(fired).toMatchObject({ priority: 'low', action: 'note_personal_interest', deadline: null });
    expect(fired?.conditionMetAt).toEqual(saturday);
  });

  it('returns nothing without human clicks, and at most one trigger per type in rule order', () => {
    expect(evaluate([])).toEqual([]);
    const clicks = [
      click(afterApply(1), { linkType: 'calendly' }),
      click('2025-10-11T10:00:00Z', { linkType: 'calendly' }),
      ...Array.from({ length: 10 }, (_, i) => click(afterApply(50 + i))),
    ];
    expect(evaluate(clicks).map((f) => f.type)).toEqual([
      'high_engagement_followup',
      'interview_preparation',
      'urgent_attention',
      'weekend_interest',
    ]);
  });
});

describe('evaluateTriggers: deadlines never move', () => {
  it('gives the same conditionMetAt and deadline with later clicks and a later now', () => {
    const clicks = [click(afterApply(1), { linkType: 'calendly' }), ...Array.from({ length: 8 }, (_, i) => click(afterApply(3 + i)))];
    const first = evaluate(clicks);
    const later = [...clicks, ...Array.from({ length: 20 }, (_, i) => click(afterApply(100 + i), { linkType: 'calendly' }))];
    const again = evaluateTriggers(app, later, [], countingScorer, OPTS, { now: new Date(afterApply(500)) });
    for (const f of first) {
      const g = byType(again, f.type);
      expect(g?.conditionMetAt).toEqual(f.conditionMetAt);
      expect(g?.deadline).toEqual(f.deadline);
    }
    expect(first.length).toBeGreaterThan(0);
  });

  it('ignores clicks after options.now', () => {
    const clicks = [click(afterApply(5), { linkType: 'calendly' })];
    expect(evaluateTriggers(app, clicks, [], countingScorer, OPTS, { now: new Date(afterApply(4)) })).toEqual([]);
  });

  it('is independent of the input order of clicks', () => {
    const clicks = [click(afterApply(1)), click(afterApply(2), { linkType: 'calendly' }), click(afterApply(3))];
    expect(evaluate([...clicks].reverse())).toEqual(evaluate(clicks));
  });
});

describe('evaluateTriggers: open and processed rules', () => {
  const calendlyAt = (h: number) => click(afterApply(h), { linkType: 'calendly' });

  it('never refires an open rule', () => {
    const clicks = [click(afterApply(1)), calendlyAt(3), click('2025-10-11T10:00:00Z'), ...Array.from({ length: 8 }, (_, i) => click(afterApply(200 + i)))];
    const allOpen: TriggerState[] = TRIGGER_RULES.map((r) => ({ type: r.type, lastProcessedAt: null, open: true }));
    expect(evaluate(clicks, allOpen)).toEqual([]);
    const openEvenIfProcessedBefore = allOpen.map((s) => ({ ...s, lastProcessedAt: new Date(afterApply(0)) }));
    expect(evaluate(clicks, openEvenIfProcessedBefore)).toEqual([]);
  });

  it('interview_preparation refires only on a later human Calendly click', () => {
    const processedAt = afterApply(10);
    const states = [processed('interview_preparation', processedAt)];
    const before = [calendlyAt(3)];
    expect(byType(evaluate([...before, click(afterApply(12))], states), 'interview_preparation')).toBeUndefined();
    // a Calendly click at exactly processed_at is not later
    expect(byType(evaluate([...before, calendlyAt(10)], states), 'interview_preparation')).toBeUndefined();
    // a later Calendly click by a bot does not count
    const botCalendly = { ...calendlyAt(14), isBot: true };
    expect(byType(evaluate([...before, botCalendly], states), 'interview_preparation')).toBeUndefined();
    const later = calendlyAt(14);
    const fired = byType(evaluate([...before, click(afterApply(12)), later], states), 'interview_preparation');
    expect(fired?.conditionMetAt).toEqual(later.clickedAt);
    expect(fired?.deadline).toEqual(new Date(afterApply(14 + 12)));
    expect(fired?.clickId).toBe(later.id);
  });

  it('weekend_interest refires only on a later weekend click', () => {
    const sat = new Date('2025-10-11T10:00:00Z');
    const states = [processed('weekend_interest', '2025-10-12T00:00:00Z')];
    const weekday = click('2025-10-13T10:00:00Z');
    expect(byType(evaluate([click(sat), weekday], states), 'weekend_interest')).toBeUndefined();
    const nextSat = click('2025-10-18T09:00:00Z');
    const fired = byType(evaluate([click(sat), weekday, nextSat], states), 'weekend_interest');
    expect(fired?.conditionMetAt).toEqual(nextSat.clickedAt);
    expect(fired?.clickId).toBe(nextSat.id);
  });

  it('weekend_interest refire window starting mid-history compares with the click before it', () => {
    const states = [processed('weekend_interest', '2025-10-11T12:00:00Z')];
    const clicks = [click('2025-10-11T10:00:00Z'), click('2025-10-13T10:00:00Z'), click('2025-10-14T10:00:00Z')];
    expect(byType(evaluate(clicks, states), 'weekend_interest')).toBeUndefined();
  });

  it('high_engagement_followup refires at the first later human click with engagement >= 70', () => {
    const clicks = Array.from({ length: 8 }, (_, i) => click(afterApply(10 + i)));
    const processedAt = afterApply(30);
    const states = [processed('high_engagement_followup', processedAt)];
    expect(byType(evaluate(clicks, states), 'high_engagement_followup')).toBeUndefined();
    const next = click(afterApply(40));
    const bot = click(afterApply(35), { isBot: true });
    const fired = byType(evaluate([...clicks, bot, next], states), 'high_engagement_followup');
    expect(fired?.conditionMetAt).toEqual(next.clickedAt);
    expect(fired?.deadline).toEqual(new Date(afterApply(40 + 24)));
  });

  it('urgent_attention never refires once processed', () => {
    const clicks = [click(afterApply(0.5)), ...Array.from({ length: 20 }, (_, i) => click(afterApply(50 + i)))];
    expect(byType(evaluate(clicks), 'urgent_attention')).toBeDefined();
    expect(byType(evaluate(clicks, [processed('urgent_attention', afterApply(1))]), 'urgent_attention')).toBeUndefined();
  });

  it('a never-fired rule (processed null, not open) fires at the first human click where it held', () => {
    const states: TriggerState[] = [{ type: 'interview_preparation', lastProcessedAt: null, open: false }];
    const fired = byType(evaluate([click(afterApply(3)), calendlyAt(4), calendlyAt(5)], states), 'interview_preparation');
    expect(fired?.conditionMetAt).toEqual(new Date(afterApply(4)));
  });
});

describe('evaluateTriggers: bots and cost', () => {
  it('bot clicks never fire anything', () => {
    const bots = [
      click(afterApply(0.1), { isBot: true, linkType: 'calendly' }),
      click('2025-10-11T10:00:00Z', { isBot: true }),
      ...Array.from({ length: 20 }, (_, i) => click(afterApply(3 + i), { isBot: true })),
    ];
    expect(evaluate(bots)).toEqual([]);
  });

  it('a bot Calendly click at the same instant as a human click is not counted as Calendly', () => {
    const t = afterApply(5);
    expect(byType(evaluate([click(t), click(t, { isBot: true, linkType: 'calendly' })]), 'interview_preparation')).toBeUndefined();
  });

  it('calls the scorer with human clicks only, up to and including the evaluated instant', () => {
    const seen: ScoringClick[][] = [];
    const spy: Scorer = (a, c, now, o) => {
      seen.push([...c]);
      expect(c.every((x) => !x.isBot && x.clickedAt <= now)).toBe(true);
      return countingScorer(a, c, now, o);
    };
    const t = afterApply(5);
    evaluate([click(t), click(t, { linkType: 'calendly' }), click(afterApply(6), { isBot: true }), click(afterApply(7))], [], spy);
    expect(seen.map((c) => c.length)).toEqual([2, 3]); // one call per distinct instant
  });

  it('caps the scorer calls at the latest maxEvaluatedClicks instants and stops once every rule fired', () => {
    let calls = 0;
    const counting: Scorer = (...args) => {
      calls += 1;
      return countingScorer(...args);
    };
    const many = Array.from({ length: 2_000 }, (_, i) => click(afterApply(3 + i)));
    const fired = evaluateTriggers(app, many, [], counting, OPTS, { maxEvaluatedClicks: 50 });
    expect(calls).toBeLessThanOrEqual(50);
    expect(byType(fired, 'high_engagement_followup')?.conditionMetAt).toEqual(many[1950].clickedAt);

    calls = 0;
    const states = TRIGGER_RULES.filter((r) => r.type !== 'high_engagement_followup').map((r) => ({ type: r.type, lastProcessedAt: null, open: true }));
    evaluateTriggers(app, many.slice(0, 20), states, counting, OPTS);
    expect(calls).toBe(7); // engagement reaches 70 at the 7th click; nothing left to scan after it
  });
});

describe('evaluateTriggers with the real scorer (computeAnalytics)', () => {
  const real: Scorer = computeAnalytics;

  it('high_engagement_followup: three links each opened twice within 48 h; dated at the first click where engagement >= 70', () => {
    const types: LinkType[] = ['resume', 'portfolio', 'github'];
    const clicks = [0, 1].flatMap((round) => types.map((t, i) => click(afterApply(20 + round * 10 + i), { linkType: t, linkId: `l-${t}` })));
    const fired = byType(evaluate(clicks, [], real), 'high_engagement_followup');
    expect(fired).toBeDefined();
    const at = fired!.conditionMetAt;
    expect(fired!.deadline).toEqual(new Date(at.getTime() + 24 * HOUR));
    // Oracle: engagement as of that click is >= 70, and as of the human click before it, < 70.
    expect(computeAnalytics(app, clicks, at, OPTS).engagementScore).toBeGreaterThanOrEqual(70);
    const earlier = clicks.filter((c) => c.clickedAt < at).map((c) => c.clickedAt);
    const before = earlier.length ? new Date(Math.max(...earlier.map(Number))) : null;
    if (before) expect(computeAnalytics(app, clicks, before, OPTS).engagementScore).toBeLessThan(70);
    expect(fired!.inputs.engagementScore).toBe(computeAnalytics(app, clicks, at, OPTS).engagementScore);
  });

  it('interview_preparation at the human Calendly click (intent >= 80)', () => {
    const clicks = [click(afterApply(5)), click(afterApply(7), { linkType: 'calendly' })];
    const fired = byType(evaluate(clicks, [], real), 'interview_preparation');
    expect(fired?.conditionMetAt).toEqual(new Date(afterApply(7)));
    expect(fired?.deadline).toEqual(new Date(afterApply(19)));
    expect(fired?.inputs.intentScore).toBeGreaterThanOrEqual(80);
  });

  it('urgent_attention when the first human click is 30 min after applying', () => {
    const fired = byType(evaluate([click(afterApply(0.5)), click(afterApply(40))], [], real), 'urgent_attention');
    expect(fired).toMatchObject({ priority: 'critical', deadline: new Date(afterApply(4.5)), conditionMetAt: new Date(afterApply(0.5)) });
    expect(byType(evaluate([click(afterApply(2.5))], [], real), 'urgent_attention')).toBeUndefined();
  });

  it("weekend_interest follows the application's time zone (Friday 20:00 UTC is Saturday in Tokyo)", () => {
    const clicks = [click('2025-10-10T20:00:00Z')];
    const tokyo = { ...app, timezone: 'Asia/Tokyo' };
    expect(byType(evaluateTriggers(tokyo, clicks, [], real, OPTS), 'weekend_interest')?.conditionMetAt).toEqual(new Date('2025-10-10T20:00:00Z'));
    expect(byType(evaluateTriggers(app, clicks, [], real, OPTS), 'weekend_interest')).toBeUndefined();
    // a processed weekend trigger refires on a later Tokyo-weekend click only
    const states = [processed('weekend_interest', '2025-10-11T00:00:00Z')];
    const monday = click('2025-10-13T01:00:00Z'); // Monday in Tokyo
    expect(byType(evaluateTriggers(tokyo, [...clicks, monday], states, real, OPTS), 'weekend_interest')).toBeUndefined();
    const nextFriNight = click('2025-10-17T16:00:00Z'); // Saturday 01:00 in Tokyo
    expect(byType(evaluateTriggers(tokyo, [...clicks, monday, nextFriNight], states, real, OPTS), 'weekend_interest')?.clickId).toBe(nextFriNight.id);
  });

  it('stays fast on a long history: 3,000 human clicks, at most 500 scorer calls', () => {
    // Worst case: no rule can fire (weekday only, no Calendly, first click after 3 h,
    // engagement trigger already open), so the whole capped window is scanned.
    const many = Array.from({ length: 3_000 }, (_, i) => click(afterApply(3) + i * 5_000, { linkType: (['resume', 'github', 'portfolio'] as const)[i % 3] }));
    let calls = 0;
    const counted: Scorer = (...args) => (calls++, real(...args));
    const states: TriggerState[] = [{ type: 'high_engagement_followup', lastProcessedAt: null, open: true }];
    const started = performance.now();
    expect(evaluateTriggers(app, many, states, counted, OPTS)).toEqual([]);
    const ms = performance.now() - started;
    expect(calls).toBe(500);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('computePriorityScore', () => {
  const now = new Date('2025-10-14T12:00:00Z');
  const inH = (h: number) => new Date(now.getTime() + h * HOUR);
  it.each([
    // engagement, intent, deadline, status, score, timeSensitivity, statusFactor
    [80, 90, inH(-1), 'interviewing', 87, 100, 90], // overdue: (320+360+100+90)/10
    [80, 90, now, 'interviewing', 87, 100, 90], // due right now counts as passed
    [50, 50, inH(36), 'applied', 50, 50, 50], // 36 h away = 50
    [50, 50, inH(18), 'applied', 53, 75, 50], // (200+200+75+50)/10 = 52.5 → 53
    [70, 60, null, 'offer', 62, 0, 100], // no deadline
    [70, 60, inH(72), 'screening', 59, 0, 70], // 72 h away = 0
    [70, 60, inH(500), 'screening', 59, 0, 70],
    [0, 0, null, 'applied', 5, 0, 50],
    [0, 0, null, 'draft', 0, 0, 0],
    [0, 0, null, 'ghosted', 0, 0, 0],
    [100, 100, inH(-5), 'offer', 100, 100, 100],
    [150, -20, null, 'applied', 45, 0, 50], // inputs clamped to 0–100
  ] as const)('e=%s i=%s deadline=%s status=%s → %s', (e, i, deadline, status, score, ts, sf) => {
    expect(computePriorityScore({ engagementScore: e, intentScore: i, deadline, status, now })).toEqual({
      score,
      timeSensitivity: ts,
      statusFactor: sf,
    });
  });

  it('uses time sensitivity unrounded', () => {
    const r = computePriorityScore({ engagementScore: 0, intentScore: 0, deadline: inH(71), status: 'bogus', now });
    expect(r.timeSensitivity).toBeCloseTo(100 / 72, 10);
    expect(r.score).toBe(0);
  });
});

describe('pickMostUrgent', () => {
  const d = (h: number) => new Date(Date.UTC(2025, 9, 14) + h * HOUR);
  it('orders critical > high > medium > low, then earliest deadline, null last, then type', () => {
    expect([priorityRank('critical'), priorityRank('high'), priorityRank('medium'), priorityRank('low')]).toEqual([0, 1, 2, 3]);
    const items = [
      { type: 'weekend_interest', priority: 'low', deadline: null },
      { type: 'interview_preparation', priority: 'high', deadline: d(12) },
      { type: 'high_engagement_followup', priority: 'high', deadline: d(24) },
      { type: 'urgent_attention', priority: 'critical', deadline: d(40) },
    ] as const;
    expect(pickMostUrgent(items)?.type).toBe('urgent_attention');
    expect(pickMostUrgent(items.slice(0, 3))?.type).toBe('interview_preparation');
    expect(pickMostUrgent([{ type: 'b', priority: 'high', deadline: null }, { type: 'a', priority: 'high', deadline: d(99) }])?.type).toBe('a');
    expect(pickMostUrgent([{ type: 'b', priority: 'high', deadline: d(1) }, { type: 'a', priority: 'high', deadline: d(1) }])?.type).toBe('a');
    expect(pickMostUrgent([{ type: 'x', priority: 'low', deadline: d(0) }, { type: 'y', priority: 'medium', deadline: null }])?.type).toBe('y');
    expect(pickMostUrgent([])).toBeNull();
  });
});

describe('recommendedAction and adviceWithoutTrigger', () => {
  const deadline = new Date('2025-10-14T14:00:00Z'); // a Tuesday
  const analytics: Partial<ApplicationAnalytics> = { distinctLinks: 3, humanClicks: 6, engagementScore: 78, hoursToFirstClick: 0.75, weekendClicks: 2 };

  it('writes a concrete follow-up sentence with who, where, role, deadline and evidence', () => {
    expect(recommendedAction('high_engagement_followup', { timeZone: 'UTC', company: 'Acme', jobTitle: 'Staff Engineer', contactName: 'Dana', deadline, analytics })).toBe(
      'Send Dana at Acme a personalized follow-up about the Staff Engineer role before Tue 14 Oct, 14:00 UTC: they opened 3 of your links, 6 times in all (engagement 78/100).',
    );
  });

  it('covers every trigger type and words overdue deadlines', () => {
    for (const type of TRIGGER_RULES.map((r) => r.type)) {
      const s = recommendedAction(type, { timeZone: 'UTC', company: 'Acme', jobTitle: 'SRE', deadline, analytics, now: new Date('2025-10-15T00:00:00Z') });
      expect(s).toContain('Acme');
      expect(s).toContain('SRE');
      expect(s.endsWith('.')).toBe(true);
    }
    expect(recommendedAction('urgent_attention', { timeZone: 'UTC', company: 'Acme', jobTitle: 'SRE', deadline, analytics, now: new Date('2025-10-15T00:00:00Z') })).toContain(
      'now (it was due Tue 14 Oct, 14:00 UTC)',
    );
    expect(recommendedAction('urgent_attention', { timeZone: 'UTC', company: 'Acme', jobTitle: 'SRE', deadline, analytics })).toContain('within 45 minutes');
    expect(recommendedAction('interview_preparation', { company: 'Acme', jobTitle: 'SRE', deadline, timeZone: 'Europe/Paris' })).toContain(
      'before Tue 14 Oct, 16:00 Europe/Paris',
    );
  });

  it('strips control and bidi characters from user text', () => {
    const s = recommendedAction('weekend_interest', { timeZone: 'UTC', company: 'Ac\u0000me\n\u202eCorp\u0007', jobTitle: 'Dev\r\nOps', contactName: '\u001b[31mDana', deadline: null });
    // eslint-disable-next-line no-control-regex
    expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(s).toContain('Ac me Corp');
    expect(cleanText('  a\tb\u2066c  ')).toBe('a b c');
    expect(cleanText('x'.repeat(300)).length).toBe(120);
  });

  it('advises a check-in after 14 silent days, a follow-up with no clicks after 7, and flags ghosting after 30', () => {
    const now = new Date('2025-11-01T12:00:00Z');
    const base = { company: 'Acme', jobTitle: 'SRE', status: 'applied', now, timeZone: 'UTC' };
    const stalled = adviceWithoutTrigger({ ...base, appliedAt: new Date('2025-10-10T00:00:00Z'), analytics: { humanClicks: 4, lastClickAt: new Date('2025-10-16T12:00:00Z') } });
    expect(stalled).toMatchObject({ type: 'check_in_stalled', priority: 'medium', action: 'send_check_in', deadline: null });
    expect(stalled?.recommendedAction).toMatch(/^Send your contact at Acme a short check-in about the SRE role: nobody has opened your links for 16 days/);
    expect(adviceWithoutTrigger({ ...base, appliedAt: new Date('2025-10-24T00:00:00Z'), analytics: { humanClicks: 0 } })?.type).toBe('follow_up_no_clicks');
    expect(adviceWithoutTrigger({ ...base, appliedAt: new Date('2025-09-01T00:00:00Z') })?.type).toBe('consider_ghosted');
    expect(adviceWithoutTrigger({ ...base, appliedAt: new Date('2025-10-29T00:00:00Z') })).toBeNull();
    expect(adviceWithoutTrigger({ ...base, appliedAt: new Date('2025-10-10T00:00:00Z'), analytics: { humanClicks: 2, lastClickAt: new Date('2025-10-25T00:00:00Z') } })).toBeNull();
    expect(adviceWithoutTrigger({ ...base, status: 'rejected', appliedAt: new Date('2025-09-01T00:00:00Z') })).toBeNull();
  });
});

// Keep the analytics type honest: TriggerAnalytics is a slice of ApplicationAnalytics.
const _slice: (a: ApplicationAnalytics) => TriggerAnalytics = (a) => a;
void _slice;
