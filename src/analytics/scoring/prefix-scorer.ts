/**
 * The trigger rules score an application as of each of its human clicks in turn (scores of the
 * first click, of the first two, …). Calling computeAnalytics for each prefix costs O(n) per
 * call, so O(n²) per application, plus every factor's text. This scorer gives the same numbers
 * (a property test holds it to computeAnalytics) by keeping the running counts from one call to
 * the next when a call extends the previous prefix, and computing the scores only: the same
 * formulas (engagementRaws, intentScoreOf, healthScoreOf), without the factor texts.
 */
import { LINK_DISPLAY_NAMES } from '../../domain.js';
import type { RuleScores, ScoringApplication, ScoringClick, ScoringOptions } from '../types.js';
import { engagementScoreOf } from './engagement.js';
import { healthScoreOf } from './health.js';
import { intentScoreOf } from './intent.js';
import { intentKind } from './summarize-clicks.js';
import { CLICK_SEQUENCE_LIMIT, DAY_MS, ENGAGEMENT, HOUR_MS, type IntentKind } from './weights.js';
import { getZoneClock, type ZoneClock } from './zone-clock.js';

/** The analytics fields the trigger rules read, as computeAnalytics gives them. */
export type PrefixScores = RuleScores;

interface RunningCounts {
  app: ScoringApplication;
  clock: ZoneClock;
  /** Clicks of the caller's array consumed so far, and the last of them (to recognise an extension). */
  consumed: number;
  lastInput: ScoringClick | null;
  lastTime: number;
  humans: number;
  /** link → its weight: 1, or ENGAGEMENT.doubtfulLinkWeight while opened only from cloud networks (as summarizeClicks). */
  links: Map<string, number>;
  weightedLinks: number;
  /** address hash + device (as summarizeClicks). */
  visitors: Set<string>;
  days: Set<number>;
  kinds: Set<IntentKind>;
  weekendClicks: number;
  firstAfterApplying: number | null;
  lastClickAt: number | null;
  sequence: string[];
}

const byTimeThenLink = (a: ScoringClick, b: ScoringClick) =>
  a.clickedAt.getTime() - b.clickedAt.getTime() || (a.linkId < b.linkId ? -1 : a.linkId > b.linkId ? 1 : 0);

/**
 * A scorer shaped like computeAnalytics (scores only). Create one per application evaluation:
 * it carries its counts over when a call passes the previous call's clicks (the same objects)
 * followed by later ones, and starts over otherwise.
 */
export function createPrefixScorer(): (app: ScoringApplication, clicks: readonly ScoringClick[], now: Date, opts: ScoringOptions) => PrefixScores {
  let state: RunningCounts | null = null;

  const fresh = (app: ScoringApplication, opts: ScoringOptions): RunningCounts => ({
    app,
    clock: getZoneClock(app.timezone ?? opts.defaultTimezone),
    consumed: 0,
    lastInput: null,
    lastTime: Number.NEGATIVE_INFINITY,
    humans: 0,
    links: new Map(),
    weightedLinks: 0,
    visitors: new Set(),
    days: new Set(),
    kinds: new Set(),
    weekendClicks: 0,
    firstAfterApplying: null,
    lastClickAt: null,
    sequence: [],
  });

  /** Adds human clicks in (time, link) order; false when one lies after `nowMs` (then the counts cannot be carried on). */
  const add = (s: RunningCounts, chunk: readonly ScoringClick[], nowMs: number): boolean => {
    const humans = chunk.filter((c) => !c.isBot);
    if (humans.some((c) => !(c.clickedAt.getTime() <= nowMs))) return false;
    humans.sort(byTimeThenLink); // stable: clicks at one instant keep the caller's order per link, as summarizeClicks does
    const appliedMs = s.app.appliedAt.getTime();
    for (const click of humans) {
      const t = click.clickedAt.getTime();
      s.humans++;
      const weight = click.doubtful ? ENGAGEMENT.doubtfulLinkWeight : 1;
      const before = s.links.get(click.linkId) ?? 0;
      if (weight > before) {
        s.links.set(click.linkId, weight);
        s.weightedLinks += weight - before;
      }
      if (click.ipHash) s.visitors.add(`${click.ipHash}|${click.deviceClass ?? ''}`);
      const kind = intentKind(click);
      s.kinds.add(kind);
      const { dayNumber, weekday } = s.clock.localTime(t);
      s.days.add(dayNumber);
      if (weekday === 0 || weekday === 6) s.weekendClicks++;
      if (s.firstAfterApplying === null && Number.isFinite(appliedMs) && t >= appliedMs) s.firstAfterApplying = t;
      s.lastClickAt = t;
      s.sequence.push(LINK_DISPLAY_NAMES[kind]);
    }
    if (s.sequence.length > 2 * CLICK_SEQUENCE_LIMIT) s.sequence.splice(0, s.sequence.length - CLICK_SEQUENCE_LIMIT);
    return true;
  };

  return (app, clicks, now, opts) => {
    const nowMs = now.getTime();
    const s0 = state;
    const extends_ =
      s0 !== null &&
      s0.app === app &&
      nowMs >= s0.lastTime &&
      clicks.length >= s0.consumed &&
      (s0.consumed === 0 || clicks[s0.consumed - 1] === s0.lastInput) &&
      // A new click at or before the instant of the last one would have to be ordered among them: start over.
      clicks.slice(s0.consumed).every((c) => c.clickedAt.getTime() > s0.lastTime);
    let s: RunningCounts;
    if (extends_ && s0 && add(s0, clicks.slice(s0.consumed), nowMs)) s = s0;
    else {
      s = fresh(app, opts);
      if (!add(s, clicks, nowMs)) {
        // Some click lies after `now`: these counts leave it out, so they cannot be carried to a later call.
        s = fresh(app, opts);
        add(s, clicks.filter((c) => c.clickedAt.getTime() <= nowMs), nowMs);
        state = null;
        return scoresOf(s, nowMs);
      }
    }
    for (let i = s === s0 ? s.consumed : 0; i < clicks.length; i++) s.lastTime = Math.max(s.lastTime, clicks[i].clickedAt.getTime());
    s.consumed = clicks.length;
    s.lastInput = clicks.length > 0 ? clicks[clicks.length - 1] : null;
    state = s;
    return scoresOf(s, nowMs);
  };
}

function scoresOf(s: RunningCounts, nowMs: number): PrefixScores {
  const appliedMs = s.app.appliedAt.getTime();
  // As computeAnalytics: floored to 1/100 h, so 1.999 h is still "under 2 h".
  const hoursToFirstClick = s.firstAfterApplying === null ? null : Math.floor(((s.firstAfterApplying - appliedMs) / HOUR_MS) * 100) / 100;
  const engagementScore = engagementScoreOf({
    distinctLinks: s.links.size,
    weightedLinks: s.weightedLinks,
    repeatOpens: s.humans - s.links.size,
    distinctLocalDays: s.days.size,
    uniqueVisitors: s.visitors.size,
    lastClickAt: s.lastClickAt,
    hoursToFirstClick,
    nowMs,
  });
  const intentScore = intentScoreOf(s.kinds);
  const healthScore = healthScoreOf({
    status: s.app.status,
    engagementScore,
    intentScore,
    ageDays: nonNegative((nowMs - appliedMs) / DAY_MS),
    silenceDays: nonNegative((nowMs - (s.lastClickAt ?? appliedMs)) / DAY_MS),
    hasHumanClicks: s.humans > 0,
  });
  return {
    engagementScore,
    intentScore,
    healthScore,
    hoursToFirstClick,
    weekendClicks: s.weekendClicks,
    humanClicks: s.humans,
    clickSequence: s.sequence.slice(-CLICK_SEQUENCE_LIMIT),
    calendlyClicked: s.kinds.has('calendly'),
  };
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
