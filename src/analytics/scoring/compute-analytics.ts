/**
 * The analytics of one application as of `now`: counts, time features, the four scores
 * and their factors. Pure: no I/O, no clock reads (pass an earlier `now` to get the
 * analytics as they were then), never throws on odd input.
 */
import type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions } from '../types.js';
import { engagementScoreOf, scoreEngagement, type EngagementInput } from './engagement.js';
import { healthScoreOf, scoreHealth } from './health.js';
import { intentScoreOf, scoreIntent } from './intent.js';
import { outcomeOf, predictOutcome } from './outcome.js';
import { summarizeClicks, type ClickSummary } from './summarize-clicks.js';
import { computeTimeFeatures, type TimeFeatures } from './time-features.js';
import { DAY_MS, HOUR_MS } from './weights.js';
import { getZoneClock } from './zone-clock.js';

/** What the scores are computed from, minus the moment: fixed while no click comes in. */
export interface ScoringInputs {
  app: ScoringApplication;
  appliedMs: number;
  summary: ClickSummary;
  time: TimeFeatures;
  hoursToFirstClick: number | null;
}

export function scoringInputsOf(app: ScoringApplication, clicks: readonly ScoringClick[], nowMs: number, opts: ScoringOptions): ScoringInputs {
  const appliedMs = app.appliedAt.getTime();
  const summary = summarizeClicks(clicks, nowMs);
  const clock = getZoneClock(app.timezone ?? opts.defaultTimezone);
  const time = computeTimeFeatures(summary.times, clock);
  // From applied_at to the first human click at or after it (SPEC §5): a click dated before
  // applied_at (history imported, or applied_at entered late) counts for engagement but says
  // nothing about how fast they answered, so it never makes an urgent_attention.
  const firstAfterApplying = Number.isFinite(appliedMs) ? summary.times.find((t) => t >= appliedMs) : undefined;
  const hoursToFirstClick =
    firstAfterApplying === undefined ? null : Math.floor(((firstAfterApplying - appliedMs) / HOUR_MS) * 100) / 100; // floored: 1.999 h is still "under 2 h"
  return { app, appliedMs, summary, time, hoursToFirstClick };
}

function engagementInput(inp: ScoringInputs, nowMs: number): EngagementInput {
  return {
    distinctLinks: inp.summary.distinctLinks,
    weightedLinks: inp.summary.weightedLinks,
    passedOnVisitors: inp.summary.passedOnVisitors,
    repeatOpens: inp.summary.repeatOpens,
    distinctLocalDays: inp.time.distinctLocalDays,
    uniqueVisitors: inp.summary.uniqueVisitors,
    lastClickAt: inp.summary.lastClickAt,
    hoursToFirstClick: inp.hoursToFirstClick,
    nowMs,
  };
}

const ageDaysAt = (inp: ScoringInputs, nowMs: number) => nonNegative((nowMs - inp.appliedMs) / DAY_MS);
const silenceDaysAt = (inp: ScoringInputs, nowMs: number) => nonNegative((nowMs - (inp.summary.lastClickAt ?? inp.appliedMs)) / DAY_MS);

/** The scores as of `nowMs` from fixed inputs, without factor texts: what computeAnalytics gives for them. */
export function scoresAt(inp: ScoringInputs, nowMs: number, intentScore = intentScoreOf(inp.summary.kinds.keys())) {
  const engagementScore = engagementScoreOf(engagementInput(inp, nowMs));
  const silenceDays = silenceDaysAt(inp, nowMs);
  const healthScore = healthScoreOf({
    status: inp.app.status,
    engagementScore,
    intentScore,
    ageDays: ageDaysAt(inp, nowMs),
    silenceDays,
    hasHumanClicks: inp.summary.humanClicks > 0,
  });
  const outcome = outcomeOf({ status: inp.app.status, engagementScore, intentScore, silenceDays });
  return { engagementScore, intentScore, healthScore, ...outcome };
}

export function computeAnalytics(
  app: ScoringApplication,
  clicks: readonly ScoringClick[],
  now: Date,
  opts: ScoringOptions,
): ApplicationAnalytics {
  const nowMs = now.getTime();
  const inp = scoringInputsOf(app, clicks, nowMs, opts);
  const { summary, time, hoursToFirstClick } = inp;
  const ageDays = ageDaysAt(inp, nowMs);
  const silenceDays = silenceDaysAt(inp, nowMs);

  const engagement = scoreEngagement(engagementInput(inp, nowMs));
  const intent = scoreIntent(summary.kinds, nowMs);
  const health = scoreHealth({
    status: app.status,
    engagementScore: engagement.score,
    intentScore: intent.score,
    ageDays,
    silenceDays,
    hasHumanClicks: summary.humanClicks > 0,
  });
  const outcome = predictOutcome({
    status: app.status,
    engagementScore: engagement.score,
    intentScore: intent.score,
    silenceDays,
  });

  return {
    totalClicks: summary.totalClicks,
    humanClicks: summary.humanClicks,
    botClicks: summary.botClicks,
    uniqueVisitors: summary.uniqueVisitors,
    distinctLinks: summary.distinctLinks,
    clickSequence: summary.clickSequence,
    firstClickAt: summary.firstClickAt === null ? null : new Date(summary.firstClickAt),
    lastClickAt: summary.lastClickAt === null ? null : new Date(summary.lastClickAt),
    hoursToFirstClick,
    weekendClicks: time.weekendClicks,
    businessHoursClicks: time.businessHoursClicks,
    calendlyClicked: summary.kinds.has('calendly'),
    engagementScore: engagement.score,
    intentScore: intent.score,
    healthScore: health.score,
    predictedOutcome: outcome.predictedOutcome,
    outcomeProbability: outcome.outcomeProbability,
    factors: {
      engagement: engagement.factors,
      intent: intent.factors,
      health: health.factors,
      outcome: outcome.factors,
    },
    computedAt: new Date(nowMs),
  };
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
