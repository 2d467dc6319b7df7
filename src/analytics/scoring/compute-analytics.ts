/**
 * The analytics of one application as of `now`: counts, time features, the four scores
 * and their factors. Pure: no I/O, no clock reads (pass an earlier `now` to get the
 * analytics as they were then), never throws on odd input.
 */
import type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions } from '../types.js';
import { scoreEngagement } from './engagement.js';
import { scoreHealth } from './health.js';
import { scoreIntent } from './intent.js';
import { predictOutcome } from './outcome.js';
import { summarizeClicks } from './summarize-clicks.js';
import { computeTimeFeatures } from './time-features.js';
import { DAY_MS, HOUR_MS } from './weights.js';
import { getZoneClock } from './zone-clock.js';

export function computeAnalytics(
  app: ScoringApplication,
  clicks: readonly ScoringClick[],
  now: Date,
  opts: ScoringOptions,
): ApplicationAnalytics {
  const nowMs = now.getTime();
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
  const ageDays = nonNegative((nowMs - appliedMs) / DAY_MS);
  const silenceDays = nonNegative((nowMs - (summary.lastClickAt ?? appliedMs)) / DAY_MS);

  const engagement = scoreEngagement({
    distinctLinks: summary.distinctLinks,
    weightedLinks: summary.weightedLinks,
    passedOnVisitors: summary.passedOnVisitors,
    repeatOpens: summary.repeatOpens,
    distinctLocalDays: time.distinctLocalDays,
    uniqueVisitors: summary.uniqueVisitors,
    lastClickAt: summary.lastClickAt,
    hoursToFirstClick,
    nowMs,
  });
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
