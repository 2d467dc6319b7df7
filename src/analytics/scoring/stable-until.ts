/**
 * How long the stored scores of an application stay right with no new input: the full run
 * skips an application whose inputs did not change and whose `stable_until` has not come.
 *
 * With no new click, only time moves the scores: engagement's recency decays, health's freshness
 * fades and its silence penalty grows, the outcome's silence term grows, and a queue item's time
 * sensitivity rises as its deadline nears. Each of engagement, health, the outcome probability and
 * (once engagement is fixed) the priority is monotone in time, and the label follows the
 * probability and the silence one way only, so once any of them differs from its value now, it
 * never comes back. Doubling steps from one minute therefore find a moment before the first
 * change (at least half-way to it): early only costs an evaluation, never a stale score.
 */
import type { ScoringApplication, ScoringClick, ScoringOptions } from '../types.js';
import { scoresAt, scoringInputsOf } from './compute-analytics.js';
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
  const key = (t: number): string => {
    const s = scoresAt(inp, t);
    const priority = ctx.priorityAt ? ctx.priorityAt(s, new Date(t)) : '';
    return `${s.engagementScore}|${s.intentScore}|${s.healthScore}|${s.outcomeProbability}|${s.predictedOutcome}|${priority}`;
  };
  const base = key(nowMs);
  let stable = nowMs;
  for (let step = FIRST_STEP_MS; nowMs + step < limit; step *= 2) {
    if (key(nowMs + step) !== base) return new Date(stable);
    stable = nowMs + step;
  }
  return new Date(key(limit) === base ? limit : stable);
}
