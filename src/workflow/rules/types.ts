/**
 * The small slice of analytics the workflow rules read, and the scorer they call.
 * Declared here (not imported from the scoring module) so the rules stay pure and
 * testable with any scorer: the real `computeAnalytics` is assignable to `Scorer`.
 */
import type { RuleScores, ScoringApplication, ScoringClick, ScoringOptions } from '../../analytics/types.js';

/** The analytics fields a trigger rule or its audit record looks at. */
export type TriggerAnalytics = RuleScores;

/**
 * Scores an application as of `now`, from the clicks with `clickedAt <= now`, ignoring
 * bot clicks. Shaped like `computeAnalytics` in `src/analytics/scoring`.
 */
export type Scorer = (
  app: ScoringApplication,
  clicks: readonly ScoringClick[],
  now: Date,
  opts: ScoringOptions,
) => TriggerAnalytics;
