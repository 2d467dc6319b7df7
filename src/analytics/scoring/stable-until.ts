/**
 * How long the stored scores of an application stay right with no new input: the full run
 * skips an application whose inputs did not change and whose `stable_until` has not come.
 *
 * With no new click, only time moves the scores: engagement's recency decays, health's freshness
 * fades and its silence penalty grows, the outcome's silence term grows, and a queue item's time
 * sensitivity rises as its deadline nears. Each of engagement, health, the outcome probability and
 * (once engagement is fixed) the priority is monotone in time, and the label follows the
 * probability and the silence one way only, so once any of them differs from its value now, it
 * never comes back. Steps growing fourfold from one minute therefore find a moment before the first
 * change (at least a quarter of the way to it): early only costs an evaluation, never a stale score.
 */
import type { ScoringApplication, ScoringClick, ScoringOptions } from '../types.js';
import { scoresAt, scoringInputsOf } from './compute-analytics.js';
import { intentScoreOf } from './intent.js';
import { DAY_MS } from './weights.js';

const FIRST_STEP_MS = 60_000;
/** Even when nothing would change, evaluate again after this long. */
export const STABLE_HORIZON_MS = 30 * DAY_MS;

export interface StabilityContext {
  /** Another value derived from the scores and time that must stay as it is (the queue item's priority). */
  priorityAt?: (scores: { engagementScore: number; intentScore: number }, at: Date) => number;
}

export function scoresStableUntil(
  app: ScoringApplication,
  clicks: readonly ScoringClick[],
  now: Date,
  opts: ScoringOptions,
  ctx: StabilityContext = {},
): Date {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) return now;
  const inp = scoringInputsOf(app, clicks, nowMs, opts);
  // A click stamped after now joins the scores when its moment comes.
  let limit = nowMs + STABLE_HORIZON_MS;
  for (const c of clicks) {
    const t = c.clickedAt.getTime();
    if (t > nowMs && t < limit) limit = t;
  }
  const intentScore = intentScoreOf(inp.summary.kinds.keys()); // no time in it
  const base = scoresAt(inp, nowMs, intentScore);
  const basePriority = ctx.priorityAt?.(base, now);
  const same = (t: number): boolean => {
    const s = scoresAt(inp, t, intentScore);
    return (
      s.engagementScore === base.engagementScore &&
      s.healthScore === base.healthScore &&
      s.outcomeProbability === base.outcomeProbability &&
      s.predictedOutcome === base.predictedOutcome &&
      (ctx.priorityAt === undefined || ctx.priorityAt(s, new Date(t)) === basePriority)
    );
  };
  let stable = nowMs;
  for (let step = FIRST_STEP_MS; nowMs + step < limit; step *= 4) {
    if (!same(nowMs + step)) return new Date(stable);
    stable = nowMs + step;
  }
  return new Date(same(limit) ? limit : stable);
}
