/** Pure workflow rules: which triggers fire, how urgent an item is, and what to tell the user. */
export {
  TRIGGER_TYPES,
  TRIGGER_ACTIONS,
  TRIGGER_RULES,
  ALL_TRIGGER_RULES,
  BOOKING_NOT_COMPLETED_RULE,
  BOOKING_WAIT_MS,
  RULES_VERSION,
  getTriggerRule,
  isTriggerType,
  type TriggerType,
  type TriggerAction,
  type TriggerRule,
  type TriggerRuleInfo,
  type RefirePolicy,
} from './trigger-rules.js';
export type { Scorer, TriggerAnalytics } from './types.js';
export {
  evaluateTriggers,
  MAX_EVALUATED_CLICKS,
  type TriggerState,
  type FiredTrigger,
  type TriggerInputs,
  type EvaluatedClick,
  type EvaluateTriggersOptions,
} from './evaluate-triggers.js';
export { evaluateBookingNotCompleted, bookingWaitEndsAfter, type BookingFact, type BookingWaitVerdict } from './booking-not-completed.js';
export { computePriorityScore, computeTimeSensitivity, statusFactorOf, type PriorityScore } from './priority-score.js';
export { pickMostUrgent, priorityRank, compareUrgency } from './most-urgent.js';
export {
  recommendedAction,
  adviceWithoutTrigger,
  type ActionContext,
  type AdviceContext,
  type WorkflowAdvice,
} from './recommended-action.js';
export { cleanText } from './clean-text.js';
export { flagsOf, FLAG_TRIGGER_TYPES, type Flag, type FlagKind } from './flags.js';
