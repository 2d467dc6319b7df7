/** Pure scoring of application analytics: no database, no I/O. See docs/scoring.md. */
export { computeAnalytics } from './compute-analytics.js';
export {
  BUSINESS_HOURS,
  CLICK_SEQUENCE_LIMIT,
  ENGAGEMENT,
  HEALTH,
  HEALTH_STATUS_POINTS,
  INTENT_LINK_WEIGHTS,
  INTENT_OTHER_KIND_SHARE,
  OUTCOME,
  OUTCOME_STATUS_LOG_ODDS,
  SCORING_VERSION,
  WAITING_STATUSES,
  type IntentKind,
} from './weights.js';
export { getZoneClock, type LocalTime, type ZoneClock } from './zone-clock.js';
