export { computeAnalytics, SCORING_VERSION } from './scoring/index.js';
export type { ApplicationAnalytics, ScoringApplication, ScoringClick, ScoringOptions, ScoreFactor } from './types.js';
export { loadScoringInputs, type ScoringInput } from './read-model/load-scoring-inputs.js';
export { writeAnalytics } from './read-model/write-analytics.js';
export {
  recomputeAnalyticsBatch,
  scoreAnalyticsBatch,
  recomputeAllAnalytics,
  type ScoredApplication,
  type RecomputeAllOptions,
} from './read-model/recompute-analytics.js';
export { analyticsToJson } from './read-model/analytics-json.js';
